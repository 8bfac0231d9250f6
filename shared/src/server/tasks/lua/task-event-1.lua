--[[
  Appends one event that changes nothing in the record (progress, streamed tokens) and tells
  every API process through pub/sub, so their event streams read it at once.

  KEYS[1] task event stream
  ARGV[1] event JSON   ARGV[2] max stream length (approximate trim)
  ARGV[3] pub/sub channel   ARGV[4] its message

  Returns the event's stream id, or "" when the stream is gone (the task expired): an event
  must not recreate a stream without its TTL.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return '' end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return id
