--[[
  Books a batch of gateway calls of one UTC day into that day's rollups (per model, per user,
  per user and model), appends each call to the day's capped stream, and keeps every key until
  the retention ends. The caller has already added up the increments per field.

  KEYS[1]   day per model   (HASH <model>:<metric>)
  KEYS[2]   day per user    (HASH <uid>:<metric>)
  KEYS[3]   day's calls     (STREAM, field "call" = the record as JSON)
  KEYS[4..] day of each user in the batch (HASH <model>:<metric>)
  ARGV[1] unix time (s) at which the day's keys expire
  ARGV[2] how many calls the stream keeps (approximately)
  ARGV[3] number of (field, increment) pairs for KEYS[1]
  ARGV[4] number of (field, increment) pairs for KEYS[2]
  ARGV[5] number of (user key index, field, increment) triples, the index counting from KEYS[4] = 1
  ARGV[6] number of call records
  ARGV[7..] the pairs, the triples, then the records, in that order

  Returns the number of calls booked.
]]
local i = 7
for _ = 1, tonumber(ARGV[3]) do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
for _ = 1, tonumber(ARGV[4]) do
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end
for _ = 1, tonumber(ARGV[5]) do
  redis.call('HINCRBY', KEYS[3 + tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
  i = i + 3
end
local calls = tonumber(ARGV[6])
for _ = 1, calls do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'call', ARGV[i])
  i = i + 1
end
for k = 1, #KEYS do
  redis.call('EXPIREAT', KEYS[k], ARGV[1])
end
return calls
