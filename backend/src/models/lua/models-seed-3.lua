--[[
  Brings the models configured by environment variables into the registry at start-up.
  Compare-and-set per entry, so several processes starting at once, or an admin editing
  meanwhile, never lose a change: an entry is written only if it still holds what the
  caller read (nothing, or the environment's previous version of it).

  KEYS[1] entries hash (id -> JSON)
  KEYS[2] version counter
  KEYS[3] tombstone set: ids an admin deleted stay deleted
  ARGV[1] pub/sub channel
  ARGV[2..] triples: id, new JSON, expected current JSON ('' = must be absent)

  Returns the number of entries written (the version is bumped once if any).
]]
local written = 0
for i = 2, #ARGV, 3 do
  local id, json, expected = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('SISMEMBER', KEYS[3], id) == 0 then
    local current = redis.call('HGET', KEYS[1], id) or ''
    if current == expected then
      redis.call('HSET', KEYS[1], id, json)
      written = written + 1
    end
  end
end
if written > 0 then
  local version = redis.call('INCR', KEYS[2])
  redis.call('PUBLISH', ARGV[1], tostring(version))
end
return written
