--[[
  Replaces a task record and appends its events, atomically, but only if the record's current
  status is one of the allowed ones (so a cancelled task is never overwritten by a late worker
  result, and a finished task is never cancelled). A task that ends leaves the user's
  in-flight set, its input files expire soon after, and what is left of its token reservation
  goes back to the month's allowance — once, whoever ends it (worker, cancel, reaper).

  KEYS[1] task record   KEYS[2] task event stream   KEYS[3] the user's in-flight set   KEYS[4] task input
  KEYS[5] the user's token hash for the month the task was created in {used, reserved}
  KEYS[6] the user's open reservations (hash taskId -> "<reserved>:<consumed>:<month>")
  ARGV[1] new record JSON
  ARGV[2] comma-separated statuses the current record may have ("*" = any, incl. missing)
  ARGV[3] TTL in milliseconds for the record and the stream
  ARGV[4] max stream length (approximate trim)
  ARGV[5] task id   ARGV[6] 1 when the new status is terminal, else 0
  ARGV[7] TTL ms of the input once the task has ended
  ARGV[8] pub/sub channel for task events   ARGV[9] its message
  ARGV[10] tokens the task reports spending (its metrics): counted at the end only when no
           gateway call of ours counted them (a worker pointed at another gateway)
  ARGV[11..n] event JSON, one per event, appended in order

  Returns: the last appended event's stream id ("" when none), or
           -1 when the record is missing, -2 when its status is not allowed.
]]
local current = redis.call('GET', KEYS[1])
if ARGV[2] ~= '*' then
  if not current then return -1 end
  local status = cjson.decode(current)['status']
  local allowed = false
  for s in string.gmatch(ARGV[2], '([^,]+)') do
    if s == status then allowed = true end
  end
  if not allowed then return -2 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
if ARGV[6] == '1' then
  redis.call('ZREM', KEYS[3], ARGV[5])
  if redis.call('PTTL', KEYS[4]) > tonumber(ARGV[7]) then redis.call('PEXPIRE', KEYS[4], ARGV[7]) end
  local held = redis.call('HGET', KEYS[6], ARGV[5])
  if held then
    local reserved, consumed = string.match(held, '^(%d+):(%d+)')
    redis.call('HINCRBY', KEYS[5], 'reserved', -tonumber(reserved))
    if tonumber(consumed) == 0 and tonumber(ARGV[10]) > 0 then redis.call('HINCRBY', KEYS[5], 'used', ARGV[10]) end
    redis.call('HDEL', KEYS[6], ARGV[5])
  end
end
local id = ''
for i = 11, #ARGV do
  id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[i])
end
if id ~= '' then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  redis.call('PUBLISH', ARGV[8], ARGV[9])
end
return id
