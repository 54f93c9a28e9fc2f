--[[
ack: finish events whose lease this consumer still holds and, in the same atomic step, apply their
effects. An event's effects therefore land exactly once: a second delivery, a zombie consumer or a retried
ack after a lost reply finds the lease gone and changes nothing. Each finished event's idempotency key
records when and by whom it was processed (includes/outcome.lua), for the status lookup.

KEYS[1]  in-flight sorted set
KEYS[2]  counters hash
ARGV[1]  key base (includes/keys.lua); effect keys are relative to it (so they share the queue's hash tag)
ARGV[2]  consumer id
ARGV[3]  now (ms): the time each event is recorded as processed at
ARGV[4]  n, the number of events
ARGV[5..4+2n] pairs: event id, fencing token
ARGV[5+2n..] the effect ops of the whole batch (the caller merges counters across events), each an
  opcode and its args, as includes/apply-effects.lua describes and applies them

All or nothing: when every lease is still held, the ops are applied and the events finished; when any
lease was lost, nothing at all changes and the reply says which leases are held, so the caller can ack
those again with their own effects.

Returns a string with one code per event, V.held or V.lost; prefixed with V.noneApplied when nothing was
applied because some lease was lost. (V is this script's row of replyCodes in script-replies.ts.)
]]
--- @include "includes/keys"
--- @include "includes/lease"
--- @include "includes/apply-effects"
--- @include "includes/outcome"

local owner = ARGV[2]
local n = tonumber(ARGV[4])
local out, ids, eventKeys = {}, {}, {}
local allHeld = true
for k = 0, n - 1 do
  local id = ARGV[5 + 2 * k]
  local key = eventKey(id)
  if leaseHeld(key, owner, ARGV[6 + 2 * k]) then
    out[k + 1] = V.held
  else
    out[k + 1] = V.lost
    allHeld = false
  end
  ids[k + 1], eventKeys[k + 1] = id, key
end
if not allHeld then return V.noneApplied .. table.concat(out) end

applyEffects(5 + 2 * n)
-- One ZREM and one DEL for the whole batch instead of two calls per event; one APPEND per event.
if n > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
  redis.call('DEL', unpack(eventKeys))
  local processed = ':p:' .. ARGV[3] .. ':' .. owner
  for _, id in ipairs(ids) do recordOutcome(id, processed) end
end
redis.call('HINCRBY', KEYS[2], 'acked', n)
return table.concat(out)
