--[[
  Counts tokens a model call really spent for a task: taken first from what the task still
  has reserved (so the month is not counted twice), the rest added to the month's use.

  KEYS[1] the user's token hash for the month the task was created in {used, reserved}
  KEYS[2] the user's open reservations (hash taskId -> "<reserved>:<consumed>:<month>")
  ARGV[1] task id   ARGV[2] tokens spent   ARGV[3] TTL ms of the month hash

  Returns the month's tokens used after this call.
]]
local spent = tonumber(ARGV[2])
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then
  local reserved, consumed, month = string.match(held, '^(%d+):(%d+)(.*)$')
  local take = math.min(tonumber(reserved), spent)
  redis.call('HSET', KEYS[2], ARGV[1], (tonumber(reserved) - take) .. ':' .. (tonumber(consumed) + spent) .. month)
  redis.call('HINCRBY', KEYS[1], 'reserved', -take)
end
local used = redis.call('HINCRBY', KEYS[1], 'used', spent)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return used
