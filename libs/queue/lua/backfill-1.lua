--[[
backfill: applies effects to the analytics generation a rebuild is building (npm run rebuild-analytics
replays the archive through it), only while that generation is still the one being built: a rebuild that
was replaced or aborted meanwhile writes nothing.

KEYS[1]  generation hash
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  the generation being built
ARGV[3..] effect ops, as includes/apply-effects.lua applies them

Returns V.applied, or V.refused when ARGV[2] is not being built.
]]
--- @include "includes/keys"
--- @include "includes/apply-effects"

if textOr(redis.call('HGET', KEYS[1], 'building'), '') ~= ARGV[2] then return V.refused end
applyEffects(3, generationBase(ARGV[2]))
return V.applied
