--[[
purge: delete dead-lettered events for good. Their idempotency keys stay until they expire, so a resend
within the TTL is still recognised as a duplicate.

KEYS[1]  dead-letter sorted set
KEYS[2]  counters hash
ARGV[1]  key base (includes/keys.lua)
ARGV[2..] event ids

Returns the number of events purged.
]]
--- @include "includes/keys"

local purged = 0
for i = 2, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('DEL', eventKey(ARGV[i]))
    purged = purged + 1
  end
end
redis.call('HINCRBY', KEYS[2], 'purged', purged)
return purged
