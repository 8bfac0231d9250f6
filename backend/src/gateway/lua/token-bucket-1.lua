--[[
  Token bucket: takes one token if there is one. Smooth (no burst at a window boundary) and
  one key per caller. Uses the server's clock so that every API instance agrees.

  KEYS[1] bucket hash {tokens, at_ms}
  ARGV[1] capacity (tokens; also the burst)
  ARGV[2] refill rate in tokens per millisecond

  Returns {allowed (1|0), ms until a token is available (0 when allowed)}.
]]
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
return { allowed, wait }
