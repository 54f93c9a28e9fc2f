--[[
replay: move dead-lettered events back to the ready list with a fresh attempt budget. Only ids that are
in the dead-letter set move, once each, so a replay can never queue an event twice. Their effects were
never applied (effects land only with an ack), so processing them now counts them exactly once. `now`
becomes each one's `changed_at` (when its status last changed, for the status lookup).

KEYS[1]  dead-letter sorted set
KEYS[2]  ready list
KEYS[3]  counters hash
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  now (ms)
ARGV[3..] event ids

Returns the number of events replayed.
]]
--- @include "includes/keys"

local replayed = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('ZREM', KEYS[1], id) == 1 then
    local key = eventKey(id)
    redis.call('HSET', key, 'attempts', 0, 'changed_at', ARGV[2])
    redis.call('HDEL', key, 'dead_at')
    redis.call('HINCRBY', key, 'replays', 1)
    redis.call('RPUSH', KEYS[2], id)
    replayed = replayed + 1
  end
end
redis.call('HINCRBY', KEYS[3], 'replayed', replayed)
return replayed
