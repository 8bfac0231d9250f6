--[[
  Replaces a task record and appends its events to the task's stream, atomically, but only
  if the record's current status is one of the allowed ones (so a cancelled task is never
  overwritten by a late worker result, and a finished task is never cancelled).

  KEYS[1] task record (JSON string)
  KEYS[2] task event stream
  ARGV[1] new record JSON
  ARGV[2] comma-separated statuses the current record may have ("*" = any, incl. missing)
  ARGV[3] TTL in milliseconds for both keys
  ARGV[4] max stream length (approximate trim)
  ARGV[5..n] event JSON, one per event, appended in order

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
local id = ''
for i = 5, #ARGV do
  id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[i])
end
if id ~= '' then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
return id
