--[[
  Token bucket: takes up to ARGV[3] tokens (at least one, or none). Smooth (no burst at a
  window boundary) and one key per caller. Uses the server's clock so that every instance
  agrees. Instances lease a few tokens at a time; they can only under-use the limit, never
  exceed it, since every token comes out of this one bucket.

  KEYS[1] bucket hash {tokens, at}
  ARGV[1] capacity (tokens; also the burst)
  ARGV[2] refill rate in tokens per millisecond
  ARGV[3] how many tokens the caller would like

  Returns {tokens granted (0 = refused), ms until a token is available (0 when granted)}.
]]
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local granted = math.min(wanted, math.floor(tokens))
local wait = 0
if granted >= 1 then
  tokens = tokens - granted
else
  granted = 0
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
return { granted, wait }
