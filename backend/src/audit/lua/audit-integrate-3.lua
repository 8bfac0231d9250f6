--[[
  Moves accepted entries from the inbox into the chained log, in order, with the sequence
  numbers and keyed MACs the integrator computed (the key never reaches Redis). Only the
  integrator holding the lease calls it; the expected head makes a stale holder's call a no-op.

  KEYS[1] audit inbox (stream)   KEYS[2] audit log (stream)   KEYS[3] chain head (hash: seq, mac, id)
  ARGV[1] the head's sequence the caller chained from (0 for an empty log)
  ARGV[2..] groups of four: inbox stream id, sequence, MAC, entry JSON; in stream order

  Returns the new head sequence, or -1 when the head is not at ARGV[1] (nothing written).
  Each log entry keeps its inbox stream id, so ids stay the entries' identity everywhere.
]]
local seq = tonumber(redis.call('HGET', KEYS[3], 'seq') or '0')
if seq ~= tonumber(ARGV[1]) then return -1 end
local last = nil
for i = 2, #ARGV, 4 do
  redis.call('XADD', KEYS[2], ARGV[i], 's', ARGV[i + 1], 'm', ARGV[i + 2], 'e', ARGV[i + 3])
  redis.call('XDEL', KEYS[1], ARGV[i])
  last = i
end
if last then
  redis.call('HSET', KEYS[3], 'seq', ARGV[last + 1], 'mac', ARGV[last + 2], 'id', ARGV[last])
  return tonumber(ARGV[last + 1])
end
return seq
