--[[
  Accepts one audit entry: an O(1) stream append that takes its place (the stream id) from
  Redis, so concurrent appends never conflict and never retry. Chaining happens later, in
  order, in one place (audit-integrate-3.lua). With an event id, a repeated append (a retried
  request, the reaper finishing an interrupted creation) returns the first entry's id instead.

  KEYS[1] audit inbox (stream)
  KEYS[2] the event id's "seen" key (`...:seen:~` when the entry has no event id)
  ARGV[1] entry JSON
  ARGV[2] 1 when the entry has an event id, else 0
  ARGV[3] how long an event id is remembered, ms

  Returns {1, streamId} when appended, {0, streamId of the first append} for a repeat.
]]
if ARGV[2] == '1' then
  local prior = redis.call('GET', KEYS[2])
  if prior then return {0, prior} end
end
local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[1])
if ARGV[2] == '1' then redis.call('SET', KEYS[2], id, 'PX', ARGV[3]) end
return {1, id}
