--[[
  Fixed-window rate limit: counts one hit in the current window.

  KEYS[1] counter key for this user and window
  ARGV[1] limit (hits per window)
  ARGV[2] window length in milliseconds

  Returns {allowed (1|0), hits so far, ms until the window resets}.
  A refused hit is not counted, so a client that waits is not punished further.
]]
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[2]) end
if hits >= tonumber(ARGV[1]) then
  return {0, hits, ttl}
end
hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, hits, ttl}
