--[[
apply-effects: the interpreter of the effect encoding that encodeEffects in libs/queue/effects.ts writes.
effectOps there lists the opcodes and how many arguments follow each; lua-scripts.test.ts checks this file
against it. ack-2.lua applies a batch's effects with it in the atomic step that finishes the events.

applyEffects(i) applies the ops from ARGV[i] to the last ARGV, each an opcode and its args. Keys are names
relative to the key base (dataKey, like QueueKeys.data), so they share the queue's hash tag.
  hincrby      key field integer
  hincrbyfloat key field number
  sadd         key member
  expire       key seconds
  contribution key version group value live totalsKey valueField liveField endField orphanField
               byGroupKey nFields [field value]*nFields
    An entity (e.g. one subscription) contributes value to totals[valueField] and byGroup[group], and 1
    to totals[liveField], while live. A version lower than the stored one changes nothing (last writer
    wins by event time). The old contribution is removed and the new one added, so sums never drift.
    live 1 -> 0 counts totals[endField] + 1; a first-seen entity that is not live counts
    totals[orphanField] + 1. Empty group or value keeps the stored one.
]]
--- @include "keys"

-- Applies the contribution whose args start at ARGV[i]; returns the index of the next op.
local function contribution(i)
  local key = dataKey(ARGV[i])
  local version = tonumber(ARGV[i + 1])
  local live = ARGV[i + 4] == '1'
  local totals, valueField, liveField = dataKey(ARGV[i + 5]), ARGV[i + 6], ARGV[i + 7]
  local endField, orphanField, byGroup = ARGV[i + 8], ARGV[i + 9], dataKey(ARGV[i + 10])
  local nFields = tonumber(ARGV[i + 11])
  local nextOp = i + 12 + 2 * nFields

  local old = redis.call('HMGET', key, 'v', 'g', 'x', 'live')
  local oldVersion = tonumber(old[1])
  if oldVersion and version < oldVersion then return nextOp end
  -- tostring/tonumber: ioredis-mock hands back what was stored (numbers stay numbers), Redis gives strings.
  local oldLive = tostring(old[4]) == '1'
  local oldGroup = type(old[2]) == 'string' and old[2] or ''
  local oldValue = tonumber(old[3]) or 0
  local group = ARGV[i + 2] ~= '' and ARGV[i + 2] or oldGroup
  -- Kept as the caller's text so no precision is lost to Lua's number formatting.
  local valueText = ARGV[i + 3] ~= '' and ARGV[i + 3] or (type(old[3]) == 'string' and old[3] or '0')
  local value = tonumber(valueText)

  if oldLive then
    redis.call('HINCRBYFLOAT', totals, valueField, -oldValue)
    redis.call('HINCRBY', totals, liveField, -1)
    redis.call('HINCRBYFLOAT', byGroup, oldGroup, -oldValue)
  end
  if live then
    redis.call('HINCRBYFLOAT', totals, valueField, value)
    redis.call('HINCRBY', totals, liveField, 1)
    redis.call('HINCRBYFLOAT', byGroup, group, value)
  elseif oldLive then
    redis.call('HINCRBY', totals, endField, 1)
  elseif not oldVersion then
    redis.call('HINCRBY', totals, orphanField, 1)
  end
  -- The entity's state and its extra fields in one HSET (an extra field named like a state field wins).
  local state = {'v', ARGV[i + 1], 'g', group, 'x', valueText, 'live', live and '1' or '0'}
  for f = i + 12, nextOp - 1 do
    state[#state + 1] = ARGV[f]
  end
  redis.call('HSET', key, unpack(state))
  return nextOp
end

-- Applies the op at ARGV[i]; returns the index of the next op. One branch per opcode, each returning
-- i + 1 + the op's argument count (effectOps in effects.ts).
local function applyOp(i)
  local name = ARGV[i]
  if name == 'hincrby' then
    redis.call('HINCRBY', dataKey(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3])
    return i + 4
  elseif name == 'hincrbyfloat' then
    redis.call('HINCRBYFLOAT', dataKey(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3])
    return i + 4
  elseif name == 'sadd' then
    redis.call('SADD', dataKey(ARGV[i + 1]), ARGV[i + 2])
    return i + 3
  elseif name == 'expire' then
    redis.call('EXPIRE', dataKey(ARGV[i + 1]), ARGV[i + 2])
    return i + 3
  elseif name == 'contribution' then
    return contribution(i + 1)
  end
  error('unknown effect op ' .. tostring(name))
end

local function applyEffects(i)
  while i <= #ARGV do
    i = applyOp(i)
  end
end
