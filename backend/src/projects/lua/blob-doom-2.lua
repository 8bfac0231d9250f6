--[[
  The collector's claim on one unreferenced blob before deleting it: refused while any save
  holds a pin on it. While doomed, saves wait instead of pinning (see blob-pin-2.lua), so a
  save never counts on a blob that is being deleted. The claim lapses by itself if the
  collector dies.

  KEYS[1] pins   (sorted set: member sha256, score = pinned until, ms of Redis time)
  KEYS[2] doomed (sorted set: member sha256, score = doomed until, ms of Redis time)
  ARGV[1] doom duration in ms (longer than one delete may take)
  ARGV[2] sha256

  Returns: 1 when doomed (the collector may delete it now), 0 when a save has it pinned.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pinned = redis.call('ZSCORE', KEYS[1], ARGV[2])
if pinned and tonumber(pinned) > now then return 0 end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[2])
return 1
