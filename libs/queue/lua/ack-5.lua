--[[
ack: finish events whose lease this consumer still holds and, in the same atomic step, apply their
effects. An event's effects therefore land exactly once: a second delivery, a zombie consumer or a retried
ack after a lost reply finds the lease gone and changes nothing. Each finished event's idempotency key
records when and by whom it was processed (includes/outcome.lua), for the status lookup.

The effects go to the live analytics generation and, while a rebuild runs, to the one being built as well
(generations.ts): an event acked after the rebuild's cut is in the new generation through this step, one
acked before it through the rebuild's replay of the archive. With archive text, the same step takes the
next numbers of the queue's ack order and commits the archive lines to the outbox, so an event is
archived exactly when its ack commits (a consumer writes the outbox to the archive files afterwards).

KEYS[1]  in-flight sorted set
KEYS[2]  counters hash
KEYS[3]  generation hash
KEYS[4]  sequence counter
KEYS[5]  outbox hash
ARGV[1]  key base (includes/keys.lua); effect keys are relative to a generation's base (generationBase)
ARGV[2]  consumer id
ARGV[3]  now (ms): the time each event is recorded as processed at
ARGV[4]  n, the number of events
ARGV[5]  the generation state the effects were prepared for, "<live>:<building>" (what a stale reply gives)
ARGV[6]  archive text: "<processed at ms>" and each event's body on a line of its own; empty = not archived
ARGV[7..6+2n] pairs: event id, fencing token
ARGV[7+2n..] the effect ops of the whole batch (the caller merges counters across events), each an
  opcode and its args, as includes/apply-effects.lua describes and applies them

All or nothing: when every lease is still held, the ops are applied and the events finished; when any
lease was lost, nothing at all changes and the reply says which leases are held, so the caller can ack
those again with their own effects. When the generation state is not ARGV[5], nothing changes either.

Returns a string with one code per event, V.held or V.lost; prefixed with V.noneApplied when nothing was
applied because some lease was lost; V.stale followed by the generation state when that has changed.
With archive text, an applied reply ends with ":<seq>", the ack-order number of the first event (the outbox
entry is "p:<seq>:<now>:<consumer>"). (V is this script's row of replyCodes in script-replies.ts.)
]]
--- @include "includes/keys"
--- @include "includes/lease"
--- @include "includes/apply-effects"
--- @include "includes/outcome"

local generation = redis.call('HMGET', KEYS[3], 'live', 'building')
local live, building = textOr(generation[1], '0'), textOr(generation[2], '')
if live .. ':' .. building ~= ARGV[5] then return V.stale .. live .. ':' .. building end

local owner = ARGV[2]
local n = tonumber(ARGV[4])
local out, ids, eventKeys = {}, {}, {}
local allHeld = true
for k = 0, n - 1 do
  local id = ARGV[7 + 2 * k]
  local key = eventKey(id)
  if leaseHeld(key, owner, ARGV[8 + 2 * k]) then
    out[k + 1] = V.held
  else
    out[k + 1] = V.lost
    allHeld = false
  end
  ids[k + 1], eventKeys[k + 1] = id, key
end
if not allHeld then return V.noneApplied .. table.concat(out) end

applyEffects(7 + 2 * n, generationBase(live))
if building ~= '' then applyEffects(7 + 2 * n, generationBase(building)) end
-- One ZREM and one DEL for the whole batch instead of two calls per event; one APPEND per event.
if n > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
  redis.call('DEL', unpack(eventKeys))
  local processed = ':p:' .. ARGV[3] .. ':' .. owner
  for _, id in ipairs(ids) do recordOutcome(id, processed) end
end
redis.call('HINCRBY', KEYS[2], 'acked', n)
if ARGV[6] == '' or n == 0 then return table.concat(out) end
local first = redis.call('INCRBY', KEYS[4], n) - n + 1
redis.call('HSET', KEYS[5], 'p:' .. first .. ':' .. ARGV[3] .. ':' .. owner, ARGV[6])
return table.concat(out) .. ':' .. first
