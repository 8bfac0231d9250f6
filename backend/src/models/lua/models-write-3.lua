--[[
  One change to the model registry, with the version bump and the change notice.

  KEYS[1] entries hash (id -> JSON)
  KEYS[2] version counter
  KEYS[3] tombstone set (ids an admin deleted)
  ARGV[1] operation: 'create' | 'replace' | 'delete'
  ARGV[2] model id
  ARGV[3] entry JSON ('create', 'replace'); for 'replace' ARGV[4] is the JSON it must replace
  ARGV[4] expected current JSON ('replace' only: a concurrent change makes this one fail)
  ARGV[5] pub/sub channel to announce the new version on

  Returns the new version (> 0), or
    -1  'create': the id exists already
    -2  'replace' / 'delete': the id does not exist
    -3  'replace': the entry changed since it was read (retry with a fresh read)
]]
local op = ARGV[1]
local id = ARGV[2]
local current = redis.call('HGET', KEYS[1], id)

if op == 'create' then
  if current then return -1 end
  redis.call('HSET', KEYS[1], id, ARGV[3])
  redis.call('SREM', KEYS[3], id)
elseif op == 'replace' then
  if not current then return -2 end
  if current ~= ARGV[4] then return -3 end
  redis.call('HSET', KEYS[1], id, ARGV[3])
elseif op == 'delete' then
  if not current then return -2 end
  redis.call('HDEL', KEYS[1], id)
  redis.call('SADD', KEYS[3], id)
else
  return redis.error_reply('unknown operation ' .. tostring(op))
end

local version = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[5], tostring(version))
return version
