--[[
  Books one gateway call into the day's rollups: per model, per user, and per user and model;
  appends the call to the day's capped stream; keeps every key until the retention ends.

  KEYS[1] day per model   (HASH <model>:<metric>)
  KEYS[2] day per user    (HASH <uid>:<metric>)
  KEYS[3] day of the user (HASH <model>:<metric>)
  KEYS[4] day's calls     (STREAM)
  ARGV[1] model id
  ARGV[2] user id
  ARGV[3] tokens in        ARGV[4] tokens out
  ARGV[5] cost in nano-USD ARGV[6] latency ms (integer)
  ARGV[7] 1 if the call failed, else 0
  ARGV[8] unix time (s) at which the day's keys expire
  ARGV[9] the call record as JSON
  ARGV[10] how many calls the stream keeps (approximately)

  Returns 1.
]]
local metrics = { 'calls', 'errors', 'in', 'out', 'cost', 'ms' }
local values = { 1, tonumber(ARGV[7]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]) }
for i, metric in ipairs(metrics) do
  if values[i] ~= 0 then
    redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':' .. metric, values[i])
    redis.call('HINCRBY', KEYS[2], ARGV[2] .. ':' .. metric, values[i])
    redis.call('HINCRBY', KEYS[3], ARGV[1] .. ':' .. metric, values[i])
  end
end
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[10], '*', 'call', ARGV[9])
for i = 1, 4 do
  redis.call('EXPIREAT', KEYS[i], ARGV[8])
end
return 1
