--[[
generation: moves a partition's analytics generations (generations.ts) for npm run rebuild-analytics.
Atomic with every ack of the partition, so each ack falls wholly before or wholly after a change.

KEYS[1]  generation hash: live (0 when unset), building (unset when no rebuild runs)
KEYS[2]  sequence counter (the ack order, as ack-5.lua advances it)
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  what to do:
  begin   start building generation ARGV[3]: from now on every ack writes it too (the cut)
  switch  make ARGV[3] live, if it is the one being built (or already live); acks stop writing the old one
  abort   stop building ARGV[3], if it is the one being built
ARGV[3]  the generation

Returns {live, building or '', the sequence at this step}: the state after the step. For begin, acks
numbered up to the sequence returned came before the cut; for switch and abort, the state tells whether the
step applied (a switch to a generation nobody builds changes nothing).
]]
--- @include "includes/keys"

local live = textOr(redis.call('HGET', KEYS[1], 'live'), '0')
local building = textOr(redis.call('HGET', KEYS[1], 'building'), '')
local op, generation = ARGV[2], ARGV[3]
if op == 'begin' then
  redis.call('HSET', KEYS[1], 'live', live, 'building', generation)
  building = generation
elseif op == 'switch' and building == generation then
  redis.call('HSET', KEYS[1], 'live', generation)
  redis.call('HDEL', KEYS[1], 'building')
  live, building = generation, ''
elseif op == 'abort' and building == generation then
  redis.call('HDEL', KEYS[1], 'building')
  building = ''
end
return {live, building, tonumber(textOr(redis.call('GET', KEYS[2]), '0'))}
