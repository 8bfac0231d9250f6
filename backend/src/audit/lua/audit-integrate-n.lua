--[[
  Moves accepted entries from the inbox into the chained log, in order, with the sequence
  numbers and keyed MACs the integrator computed (the key never reaches Redis), and files each
  entry in the indexes an admin filters by (user, action, target, and outcomes other than ok).
  Only the integrator holding the lease calls it; the expected head makes a stale holder's call
  a no-op.

  KEYS[1] audit inbox (stream)   KEYS[2] audit log (stream)   KEYS[3] chain head (hash: seq, mac, id)
  KEYS[4..] index sets (zset: stream id by sequence), each named once, in any order
  ARGV[1] the head's sequence the caller chained from (0 for an empty log)
  ARGV[2] how many entries follow
  ARGV[3..] per entry: inbox stream id, sequence, MAC, entry JSON, how many index keys, then
            their positions in KEYS
  Returns the new head sequence, or -1 when the head is not at ARGV[1] (nothing written).
  Each log entry keeps its inbox stream id, so ids stay the entries' identity everywhere.
]]
local seq = tonumber(redis.call('HGET', KEYS[3], 'seq') or '0')
if seq ~= tonumber(ARGV[1]) then return -1 end
local i = 3
local last = nil
for _ = 1, tonumber(ARGV[2]) do
  local id, s, mac, body, n = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4])
  redis.call('XADD', KEYS[2], id, 's', s, 'm', mac, 'e', body)
  redis.call('XDEL', KEYS[1], id)
  for k = 1, n do
    redis.call('ZADD', KEYS[tonumber(ARGV[i + 4 + k])], s, id)
  end
  last = { id, s, mac }
  i = i + 5 + n
end
if last then
  redis.call('HSET', KEYS[3], 'seq', last[2], 'mac', last[3], 'id', last[1])
  return tonumber(last[2])
end
return seq
