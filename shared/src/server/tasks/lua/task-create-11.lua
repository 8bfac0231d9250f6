--[[
  Creates a task in one step, or refuses it: the record, its input, its first event, the
  user's index and in-flight set, the rate bucket, the day's task count, the month's token
  reservation, the idempotency key and the "creation pending" marker are written together or
  not at all. What lives on other Cluster slots (the BullMQ job, the audit entry) is written
  after, idempotently, while the pending marker stands; a retry with the same idempotency key
  or the reaper finishes an interrupted creation. 200 creations at once against a nearly spent
  allowance reserve at most what is left: each runs alone, against the others' reservations.

  KEYS[1] idempotency key (`...:idem:~` when the client sent none)
  KEYS[2] task record          KEYS[3] task input          KEYS[4] task event stream
  KEYS[5] the user's task index (zset)                     KEYS[6] the user's in-flight set (zset)
  KEYS[7] the user's task-creation token bucket (hash: t = tokens, ts = ms)
  KEYS[8] the task's creation-pending marker
  KEYS[9] the user's task count for today   KEYS[10] the user's token hash for this month {used, reserved}
  KEYS[11] the user's open reservations (hash taskId -> "<reserved>:<consumed>:<month>")
  ARGV[1] task id   ARGV[2] record JSON   ARGV[3] input JSON   ARGV[4] first event JSON
  ARGV[5] 1 when the client sent an idempotency key, else 0
  ARGV[6] record TTL ms   ARGV[7] input TTL ms   ARGV[8] idempotency and pending TTL ms
  ARGV[9] max events kept in the stream (approximate trim)
  ARGV[10] tasks per rate window (bucket size)   ARGV[11] rate window ms (refill time of a full bucket)
  ARGV[12] most tasks in flight                  ARGV[13] in-flight entries older than this (ms) are stale
  ARGV[14] pub/sub channel for task events       ARGV[15] its message
  ARGV[16] most tasks per day   ARGV[17] most tokens per month   ARGV[18] tokens to reserve for this task
  ARGV[19] TTL ms of the day counter             ARGV[20] TTL ms of the month hash
  ARGV[21] the month (`YYYYMM`) KEYS[10] counts: noted with the reservation, where spend is counted

  Returns
    {1, taskId, streamId}                    created
    {2, existingTaskId}                      the idempotency key names an existing task
    {0, limit, retryAfterMs, used, max}      refused; limit is 'rate', 'in_flight', 'tasks_per_day'
                                             or 'tokens_per_month' (retryAfterMs -1: when the period resets)
  Times come from the Redis server's clock, the same for every API process.
]]
if ARGV[5] == '1' then
  local existing = redis.call('GET', KEYS[1])
  if existing then return {2, existing} end
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local size = tonumber(ARGV[10])
local window = tonumber(ARGV[11])
local perMs = size / window
local bucket = redis.call('HMGET', KEYS[7], 't', 'ts')
local tokens = tonumber(bucket[1]) or size
local since = tonumber(bucket[2]) or now
tokens = math.min(size, tokens + math.max(0, now - since) * perMs)
if tokens < 1 then
  return {0, 'rate', math.ceil((1 - tokens) / perMs), size - math.floor(tokens), size}
end

local cap = tonumber(ARGV[12])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - tonumber(ARGV[13]))
local running = redis.call('ZCARD', KEYS[6])
if running >= cap then
  return {0, 'in_flight', 0, running, cap}
end

local today = tonumber(redis.call('GET', KEYS[9]) or '0')
if today >= tonumber(ARGV[16]) then
  return {0, 'tasks_per_day', -1, today, tonumber(ARGV[16])}
end

local month = redis.call('HMGET', KEYS[10], 'used', 'reserved')
local spent = (tonumber(month[1]) or 0) + (tonumber(month[2]) or 0)
local estimate = tonumber(ARGV[18])
if spent + estimate > tonumber(ARGV[17]) then
  return {0, 'tokens_per_month', -1, spent, tonumber(ARGV[17])}
end

redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[6])
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[7])
local id = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', 'e', ARGV[4])
redis.call('PEXPIRE', KEYS[4], ARGV[6])
redis.call('ZADD', KEYS[5], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[6]))
redis.call('PEXPIRE', KEYS[5], ARGV[6])
redis.call('ZADD', KEYS[6], now, ARGV[1])
redis.call('PEXPIRE', KEYS[6], ARGV[13])
redis.call('HSET', KEYS[7], 't', tostring(tokens - 1), 'ts', now)
redis.call('PEXPIRE', KEYS[7], window * 2)
redis.call('INCR', KEYS[9])
redis.call('PEXPIRE', KEYS[9], ARGV[19])
redis.call('HINCRBY', KEYS[10], 'reserved', estimate)
redis.call('PEXPIRE', KEYS[10], ARGV[20])
redis.call('HSET', KEYS[11], ARGV[1], estimate .. ':0:' .. ARGV[21])
redis.call('PEXPIRE', KEYS[11], ARGV[6])
redis.call('SET', KEYS[8], '1', 'PX', ARGV[8])
if ARGV[5] == '1' then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[8]) end
redis.call('PUBLISH', ARGV[14], ARGV[15])
return {1, ARGV[1], id}
