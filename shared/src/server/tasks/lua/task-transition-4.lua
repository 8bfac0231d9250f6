--[[
  Replaces a task record and appends its events, atomically, but only if the record's current
  status is one of the allowed ones (so a cancelled task is never overwritten by a late worker
  result, and a finished task is never cancelled). A task that ends leaves the user's
  in-flight set, and its input files expire soon after.

  KEYS[1] task record   KEYS[2] task event stream   KEYS[3] the user's in-flight set   KEYS[4] task input
  ARGV[1] new record JSON
  ARGV[2] comma-separated statuses the current record may have ("*" = any, incl. missing)
  ARGV[3] TTL in milliseconds for the record and the stream
  ARGV[4] max stream length (approximate trim)
  ARGV[5] task id   ARGV[6] 1 when the new status is terminal, else 0
  ARGV[7] TTL ms of the input once the task has ended
  ARGV[8] pub/sub channel for task events   ARGV[9] its message
  ARGV[10..n] event JSON, one per event, appended in order

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
end
local id = ''
for i = 10, #ARGV do
  id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[i])
end
if id ~= '' then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  redis.call('PUBLISH', ARGV[8], ARGV[9])
end
return id
