--[[
ack: finish events whose lease this consumer still holds and, in the same atomic step, apply their
effects. An event's effects therefore land exactly once: a second delivery, a zombie consumer or a retried
ack after a lost reply finds the lease gone and changes nothing.

KEYS[1]  in-flight sorted set
KEYS[2]  counters hash
ARGV[1]  key base; effect keys are relative to it (so they share the queue's hash tag)
ARGV[2]  consumer id
ARGV[3]  n, the number of events
ARGV[4..3+2n] pairs: event id, fencing token
ARGV[4+2n..] the effect ops of the whole batch (the caller merges counters across events), each an
  opcode and its args:
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

All or nothing: when every lease is still held, the ops are applied and the events finished; when any
lease was lost, nothing at all changes and the reply says which leases are held, so the caller can ack
those again with their own effects.

Returns a string with one digit per event, 1 = lease held, 0 = lost; prefixed with "-" when nothing was
applied because some lease was lost.
]]
local base, owner = ARGV[1], ARGV[2]

local function contribution(i)
  local key = base .. ARGV[i]
  local version = tonumber(ARGV[i + 1])
  local live = ARGV[i + 4] == '1'
  local totals, valueField, liveField = base .. ARGV[i + 5], ARGV[i + 6], ARGV[i + 7]
  local endField, orphanField, byGroup = ARGV[i + 8], ARGV[i + 9], base .. ARGV[i + 10]
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
  redis.call('HSET', key, 'v', ARGV[i + 1], 'g', group, 'x', valueText, 'live', live and '1' or '0')
  for f = i + 12, nextOp - 1, 2 do
    redis.call('HSET', key, ARGV[f], ARGV[f + 1])
  end
  return nextOp
end

-- Applies the op at ARGV[i]; returns the index of the next op.
local function op(i)
  local name = ARGV[i]
  if name == 'contribution' then return contribution(i + 1) end
  if name == 'hincrby' then redis.call('HINCRBY', base .. ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
  elseif name == 'hincrbyfloat' then redis.call('HINCRBYFLOAT', base .. ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
  elseif name == 'sadd' then redis.call('SADD', base .. ARGV[i + 1], ARGV[i + 2])
  elseif name == 'expire' then redis.call('EXPIRE', base .. ARGV[i + 1], ARGV[i + 2])
  else error('unknown effect op ' .. tostring(name)) end
  if name == 'sadd' or name == 'expire' then return i + 3 end
  return i + 4
end

local n = tonumber(ARGV[3])
local out = {}
local allHeld = true
for k = 0, n - 1 do
  local held = redis.call('HMGET', base .. 'ev:' .. ARGV[4 + 2 * k], 'owner', 'token')
  if held[1] == owner and held[2] == ARGV[5 + 2 * k] then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
    allHeld = false
  end
end
if not allHeld then return '-' .. table.concat(out) end

local i = 4 + 2 * n
while i <= #ARGV do
  i = op(i)
end
-- One ZREM and one DEL for the whole batch instead of two calls per event.
local ids, eventKeys = {}, {}
for k = 0, n - 1 do
  ids[#ids + 1] = ARGV[4 + 2 * k]
  eventKeys[#eventKeys + 1] = base .. 'ev:' .. ARGV[4 + 2 * k]
end
if n > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
  redis.call('DEL', unpack(eventKeys))
end
redis.call('HINCRBY', KEYS[2], 'acked', n)
return table.concat(out)
