--[[
  Pins blobs that a save (or duplicate, or restore) is about to reference, so that the
  garbage collector leaves them alone until the new manifest is written and visible to its
  mark phase. A blob the collector is deleting right now (doomed) is not pinned: the caller
  waits for that delete to finish, then pins it and uploads it again.

  KEYS[1] pins   (sorted set: member sha256, score = pinned until, ms of Redis time)
  KEYS[2] doomed (sorted set: member sha256, score = doomed until, ms of Redis time)
  ARGV[1] pin duration in ms
  ARGV[2..n] sha256 of each blob

  Returns: the hashes that were NOT pinned because they are doomed (empty when all pinned).
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local busy = {}
for i = 2, #ARGV do
  local doomed = redis.call('ZSCORE', KEYS[2], ARGV[i])
  if doomed and tonumber(doomed) > now then
    busy[#busy + 1] = ARGV[i]
  else
    -- GT: never shorten a longer pin another save holds on the same blob.
    redis.call('ZADD', KEYS[1], 'GT', untilMs, ARGV[i])
  end
end
return busy
