--[[
keys: the per-event and data keys, as the scripts build them. lua-scripts.ts passes every script the
queue's key base (QueueKeys.base) as ARGV[1]; `base` is that, and these builders are the only place a
script puts a key together. Their TypeScript twins are event, seen, data and generationData in queue-keys.ts;
lua-scripts.test.ts runs both on the same ids and checks they agree.
]]
local base = ARGV[1]
-- The event's hash: body, attempts, lease (includes/lease.lua) and failure fields.
local function eventKey(id) return base .. 'ev:' .. id end
-- The event id's idempotency key, kept for the idempotency TTL.
local function seenKey(id) return base .. 'seen:' .. id end
-- Data the queue stores for its users (effects), under the queue's hash tag.
local function dataKey(name) return base .. name end
-- What the data names of analytics generation `generation` (a string) start with: base, then g<n>: after 0.
local function generationBase(generation)
  if tostring(generation) == '0' then return base end
  return base .. 'g' .. generation .. ':'
end
-- A stored value as text, or `default` when absent (Redis gives false, ioredis-mock a userdata null).
local function textOr(value, default)
  if type(value) == 'string' or type(value) == 'number' then return tostring(value) end
  return default
end
