--[[
  Appends one entry to the hash-chained audit stream, but only if the chain head is still
  the one the caller hashed against (compare-and-set; the caller retries on conflict).
  The hash itself (SHA-256 over previous hash + entry) is computed by the caller.

  KEYS[1] audit stream
  KEYS[2] chain head (the last entry's hash)
  ARGV[1] expected current head ("" for an empty chain)
  ARGV[2] this entry's hash
  ARGV[3] entry JSON (includes prev and hash)

  Returns the stream id, or 0 when the head moved (retry).
]]
local head = redis.call('GET', KEYS[2]) or ''
if head ~= ARGV[1] then return 0 end
local id = redis.call('XADD', KEYS[1], '*', 'entry', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2])
return id
