--[[
apply-effects: the interpreter of the effect encoding that encodeEffects in libs/queue/effects.ts writes.
effectOps there lists the opcodes and how many arguments follow each; lua-scripts.test.ts checks this file
against it. ack-5.lua applies a batch's effects with it in the atomic step that finishes the events.

applyEffects(i, keyBase) applies the ops from ARGV[i] to the last ARGV, each an opcode and its args. Keys are
names relative to keyBase: the base of an analytics generation (generationBase in keys.lua, like
QueueKeys.generationData), so they share the queue's hash tag. ack applies the same ops twice while a
rebuild builds a new generation.
  hincrby      key field integer
  hincrbyfloat key field number
  sadd         key member
  expire       key seconds
  zmax         key score n [member]*n  each member's score becomes score unless it is already higher
  ztrimbelow   key score               removes the members scored below score
  contribution key version group value live totalsKey valueField liveField endField orphanField
               byGroupKey unit movementsKey nFields [field value]*nFields
    An entity (e.g. one subscription) contributes value to totals[valueField:unit] and
    byGroup[group:unit], and 1 to totals[liveField], while live (no ':unit' suffix when the unit is
    empty). A version lower than the stored one changes nothing (last writer wins by event time). The old
    contribution is removed and the new one added, so sums never drift. live 1 -> 0 counts
    totals[endField] + 1; a first-seen entity that is not live counts totals[orphanField] + 1. Empty
    group, value or unit keeps the stored one.
    With a movementsKey, the same step records why the sum changed, signed, in movements[kind:unit]:
    new (first time live), reactivation (live again after having been live), expansion / contraction
    (live to live, higher / lower value; a change of unit is a contraction of the old value in the old
    unit and an expansion of the new in the new), churn (live to not live). The movements of an entity
    add up to its contribution, so the totals equal the sum of all movements ever recorded.
]]
--- @include "keys"

-- The key base of the generation the ops are being applied to (set by applyEffects).
local effectBase
local function effectKey(name) return effectBase .. name end

-- Applies the contribution whose args start at ARGV[i]; returns the index of the next op.
local function contribution(i)
  local key = effectKey(ARGV[i])
  local version = tonumber(ARGV[i + 1])
  local live = ARGV[i + 4] == '1'
  local totals, valueField, liveField = effectKey(ARGV[i + 5]), ARGV[i + 6], ARGV[i + 7]
  local endField, orphanField, byGroup = ARGV[i + 8], ARGV[i + 9], effectKey(ARGV[i + 10])
  local movements = ARGV[i + 12] ~= '' and effectKey(ARGV[i + 12]) or nil
  local nFields = tonumber(ARGV[i + 13])
  local nextOp = i + 14 + 2 * nFields

  local old = redis.call('HMGET', key, 'v', 'g', 'x', 'live', 'u', 'e')
  local oldVersion = tonumber(old[1])
  if oldVersion and version < oldVersion then return nextOp end
  -- tostring/tonumber: ioredis-mock hands back what was stored (numbers stay numbers), Redis gives strings.
  local oldLive = tostring(old[4]) == '1'
  local everLive = tostring(old[6]) == '1'
  local oldGroup = type(old[2]) == 'string' and old[2] or ''
  local oldUnit = type(old[5]) == 'string' and old[5] or ''
  local oldValue = tonumber(old[3]) or 0
  local group = ARGV[i + 2] ~= '' and ARGV[i + 2] or oldGroup
  local unit = ARGV[i + 11] ~= '' and ARGV[i + 11] or oldUnit
  -- Kept as the caller's text so no precision is lost to Lua's number formatting.
  local valueText = ARGV[i + 3] ~= '' and ARGV[i + 3] or (type(old[3]) == 'string' and old[3] or '0')
  local value = tonumber(valueText)
  local function per(name, u) return u == '' and name or name .. ':' .. u end
  local function move(kind, amount, u)
    if movements and amount ~= 0 then redis.call('HINCRBYFLOAT', movements, per(kind, u), amount) end
  end

  if oldLive then
    redis.call('HINCRBYFLOAT', totals, per(valueField, oldUnit), -oldValue)
    redis.call('HINCRBY', totals, liveField, -1)
    redis.call('HINCRBYFLOAT', byGroup, per(oldGroup, oldUnit), -oldValue)
  end
  if live then
    redis.call('HINCRBYFLOAT', totals, per(valueField, unit), value)
    redis.call('HINCRBY', totals, liveField, 1)
    redis.call('HINCRBYFLOAT', byGroup, per(group, unit), value)
  elseif oldLive then
    redis.call('HINCRBY', totals, endField, 1)
  elseif not oldVersion then
    redis.call('HINCRBY', totals, orphanField, 1)
  end
  if oldLive and live and unit == oldUnit then
    move(value > oldValue and 'expansion' or 'contraction', value - oldValue, unit)
  elseif oldLive and live then
    move('contraction', -oldValue, oldUnit)
    move('expansion', value, unit)
  elseif oldLive then
    move('churn', -oldValue, oldUnit)
  elseif live then
    move(everLive and 'reactivation' or 'new', value, unit)
  end
  -- The entity's state and its extra fields in one HSET (an extra field named like a state field wins).
  local state = {'v', ARGV[i + 1], 'g', group, 'x', valueText, 'live', live and '1' or '0', 'u', unit,
    'e', (everLive or live) and '1' or '0'}
  for f = i + 14, nextOp - 1 do
    state[#state + 1] = ARGV[f]
  end
  redis.call('HSET', key, unpack(state))
  return nextOp
end

-- Applies the zmax op whose args start at ARGV[i]: one ZADD GT (Redis 6.2+) for all its members, a
-- member's score changing only where it grows. Where ZADD GT is missing (ioredis-mock), the same comparison
-- per member. Returns the index of the next op.
local function zmax(i)
  local key, score, n = effectKey(ARGV[i]), ARGV[i + 1], tonumber(ARGV[i + 2])
  local scored = {}
  for m = 1, n do
    scored[2 * m - 1] = score
    scored[2 * m] = ARGV[i + 2 + m]
  end
  if n > 0 and not pcall(redis.call, 'ZADD', key, 'GT', unpack(scored)) then
    for m = 1, n do
      local current = tonumber(redis.call('ZSCORE', key, ARGV[i + 2 + m]))
      if not current or current < tonumber(score) then redis.call('ZADD', key, score, ARGV[i + 2 + m]) end
    end
  end
  return i + 3 + n
end

-- Applies the op at ARGV[i]; returns the index of the next op. One branch per opcode, each returning
-- i + 1 + the op's argument count (effectOps in effects.ts).
local function applyOp(i)
  local name = ARGV[i]
  if name == 'hincrby' then
    redis.call('HINCRBY', effectKey(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3])
    return i + 4
  elseif name == 'hincrbyfloat' then
    redis.call('HINCRBYFLOAT', effectKey(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3])
    return i + 4
  elseif name == 'sadd' then
    redis.call('SADD', effectKey(ARGV[i + 1]), ARGV[i + 2])
    return i + 3
  elseif name == 'expire' then
    redis.call('EXPIRE', effectKey(ARGV[i + 1]), ARGV[i + 2])
    return i + 3
  elseif name == 'zmax' then
    return zmax(i + 1)
  elseif name == 'ztrimbelow' then
    redis.call('ZREMRANGEBYSCORE', effectKey(ARGV[i + 1]), '-inf', '(' .. ARGV[i + 2])
    return i + 3
  elseif name == 'contribution' then
    return contribution(i + 1)
  end
  error('unknown effect op ' .. tostring(name))
end

local function applyEffects(i, keyBase)
  effectBase = keyBase
  while i <= #ARGV do
    i = applyOp(i)
  end
end
