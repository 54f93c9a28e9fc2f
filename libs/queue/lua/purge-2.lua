--[[
purge: delete dead-lettered events for good, and record when in their idempotency keys (includes/outcome.lua),
for the status lookup. The keys stay until they expire, so a resend within the TTL is still recognised as a
duplicate.

KEYS[1]  dead-letter sorted set
KEYS[2]  counters hash
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  now (ms)
ARGV[3..] event ids

Returns the number of events purged.
]]
--- @include "includes/keys"
--- @include "includes/outcome"

local purgedAt = ':x:' .. ARGV[2]
local purged = 0
for i = 3, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('DEL', eventKey(ARGV[i]))
    recordOutcome(ARGV[i], purgedAt)
    purged = purged + 1
  end
end
redis.call('HINCRBY', KEYS[2], 'purged', purged)
return purged
