--[[
recover: take back events whose lease expired (their consumer crashed or froze). Below the max attempts
they go to the front of the ready list; at the max they are dead-lettered, so an event that kills every
consumer that touches it cannot loop forever. Atomic, so any number of consumers may run it at once.
The expired consumer's late ack or fail is refused afterwards: its owner/token fields are gone. `now`
becomes the event's `changed_at` (when its status last changed, for the status lookup). With archiving on,
a dead letter's archive line is committed to the outbox in the same step (includes/archive-dead.lua).

KEYS[1]  in-flight sorted set
KEYS[2]  ready list
KEYS[3]  dead-letter sorted set
KEYS[4]  counters hash
KEYS[5]  outbox hash
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  now (ms)
ARGV[3]  max attempts
ARGV[4]  max events to recover in this call
ARGV[5]  1: archive dead letters, 0: not

Returns {requeued, deadLettered}.
]]
--- @include "includes/keys"
--- @include "includes/archive-dead"

local now = ARGV[2]
local maxAttempts = tonumber(ARGV[3])
local requeued, dead = 0, 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))) do
  local key = eventKey(id)
  redis.call('ZREM', KEYS[1], id)
  local attempts = tonumber(redis.call('HGET', key, 'attempts'))
  if attempts then
    redis.call('HDEL', key, 'owner', 'token')
    if attempts >= maxAttempts then
      local reason = 'lease expired on attempt ' .. attempts .. ' (consumer crashed or stalled)'
      redis.call('HSET', key, 'last_error', reason, 'last_failed_at', now, 'dead_at', now, 'changed_at', now)
      if ARGV[5] == '1' then archiveDead(KEYS[5], id, now, reason) end
      redis.call('HSETNX', key, 'first_failed_at', now)
      redis.call('ZADD', KEYS[3], now, id)
      dead = dead + 1
    else
      redis.call('HSET', key, 'changed_at', now)
      redis.call('LPUSH', KEYS[2], id)
      requeued = requeued + 1
    end
  end
end
if requeued > 0 then redis.call('HINCRBY', KEYS[4], 'redelivered', requeued) end
if dead > 0 then redis.call('HINCRBY', KEYS[4], 'dead_lettered', dead) end
return {requeued, dead}
