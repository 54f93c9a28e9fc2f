--[[
fail: record a failed processing attempt of events this consumer still holds. Below the max attempts the
event waits in the delayed set for its backoff; at the max it moves to the dead-letter set with its error.
Either way `now` becomes the event's `changed_at` (when its status last changed, for the status lookup).
With archiving on, a dead letter's archive line is committed to the outbox in the same step
(includes/archive-dead.lua).

KEYS[1]  in-flight sorted set
KEYS[2]  delayed sorted set (score = due time ms)
KEYS[3]  dead-letter sorted set (score = time of death ms)
KEYS[4]  counters hash
KEYS[5]  outbox hash
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  consumer id
ARGV[3]  now (ms)
ARGV[4]  max attempts
ARGV[5]  1: archive dead letters, 0: not
ARGV[6..] per event: id, fencing token, retry delay ms (-1 = never retry: dead-letter now), error message
  (at most 4000 events: Lua's unpack limit; callers fail one claim's events, at most 2000)

Returns a string with one code per event: V.retry scheduled for retry, V.dead dead-lettered, V.lost lease
lost (nothing changed). (V is this script's row of replyCodes in script-replies.ts.)
]]
--- @include "includes/keys"
--- @include "includes/lease"
--- @include "includes/archive-dead"

local owner, now = ARGV[2], tonumber(ARGV[3])
local maxAttempts = tonumber(ARGV[4])
local out, failed, retries, dead = {}, {}, {}, {}
local deadCount = 0
local archive = ARGV[5] == '1'
for i = 6, #ARGV, 4 do
  local id = ARGV[i]
  local key = eventKey(id)
  if leaseHeld(key, owner, ARGV[i + 1]) then
    failed[#failed + 1] = id
    redis.call('HDEL', key, 'owner', 'token')
    redis.call('HSET', key, 'last_error', ARGV[i + 3], 'last_failed_at', now, 'changed_at', now)
    redis.call('HSETNX', key, 'first_failed_at', now)
    if ARGV[i + 2] == '-1' or tonumber(redis.call('HGET', key, 'attempts')) >= maxAttempts then
      redis.call('HSET', key, 'dead_at', now)
      if archive then archiveDead(KEYS[5], id, now, ARGV[i + 3]) end
      dead[#dead + 1] = now
      dead[#dead + 1] = id
      deadCount = deadCount + 1
      out[#out + 1] = V.dead
    else
      retries[#retries + 1] = now + tonumber(ARGV[i + 2])
      retries[#retries + 1] = id
      out[#out + 1] = V.retry
    end
  else
    out[#out + 1] = V.lost
  end
end
-- The sorted sets and counters change once for the whole call instead of once per event.
if #failed > 0 then
  redis.call('ZREM', KEYS[1], unpack(failed))
  redis.call('HINCRBY', KEYS[4], 'failed_attempts', #failed)
end
if #retries > 0 then redis.call('ZADD', KEYS[2], unpack(retries)) end
if deadCount > 0 then
  redis.call('ZADD', KEYS[3], unpack(dead))
  redis.call('HINCRBY', KEYS[4], 'dead_lettered', deadCount)
end
return table.concat(out)
