--[[
  Opens one of a user's event streams if they have fewer than the cap open (counted across
  every API process). Each open stream is a member whose score is its expiry time; a stream's
  holder refreshes it while open, so the slots of a crashed process free themselves.

  KEYS[1] the user's open-stream set (zset: stream id -> expiry ms)
  ARGV[1] stream id   ARGV[2] lease length ms   ARGV[3] most streams open at once

  Returns {1, open} when opened (open includes this one), {0, open} when at the cap.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local open = redis.call('ZCARD', KEYS[1])
if open >= tonumber(ARGV[3]) then return {0, open} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, open + 1}
