--[[
enqueue: store a batch of new events and make them ready, skipping every event_id seen within the
idempotency TTL. One call per request (single event or batch), so the batch is all-or-nothing.

KEYS[1]  ready list (event ids, FIFO)
KEYS[2]  counters hash
KEYS[3]  intake hash: "accepted:<label>" and "duplicate:<label>" counts (label = event type)
ARGV[1]  key base (includes/keys.lua builds each event's hash and idempotency key from it)
ARGV[2]  idempotency TTL in ms (each event_id gets its own key with this TTL)
ARGV[3]  max ready depth; 0 = unlimited. At or above it nothing is written.
ARGV[4]  now (ms since epoch)
ARGV[5..] quadruples: event id, label, serialized event, placement hash (the CRC-32 that chose the
  partition, partition-placement.ts). The idempotency key stores "<hash>:<now>": the hash, so a change of
  the number of partitions (npm run repartition) can move each key to its event's new partition; the
  enqueue time, so the status lookup can tell the latency once ack (includes/outcome.lua) has deleted the
  event's hash. seen-value.ts reads the format.

Returns {V.full, depth} when the ready backlog is at the max depth, else {V.ok, verdicts}: verdicts is a
string with one code per event, V.accepted or V.duplicate (seen within the TTL, still queued, or earlier
in this batch). (Strings and table constructors are the reply shapes ioredis-mock converts like real
Redis does. V is this script's row of replyCodes in script-replies.ts.)
]]
--- @include "includes/keys"

local maxDepth = tonumber(ARGV[3])
if maxDepth > 0 then
  local depth = redis.call('LLEN', KEYS[1])
  if depth >= maxDepth then return {V.full, depth} end
end

local verdicts = {}
local readyIds = {}
local intake = {}
for i = 5, #ARGV, 4 do
  local id = ARGV[i]
  local key = eventKey(id)
  local outcome = 'duplicate:'
  -- An event still in the queue counts as seen even if its idempotency key has expired meanwhile.
  if redis.call('EXISTS', key) == 0
      and redis.call('SET', seenKey(id), ARGV[i + 3] .. ':' .. ARGV[4], 'NX', 'PX', ARGV[2]) then
    redis.call('HSET', key, 'body', ARGV[i + 2], 'enqueued_at', ARGV[4], 'attempts', 0)
    readyIds[#readyIds + 1] = id
    outcome = 'accepted:'
    verdicts[#verdicts + 1] = V.accepted
  else
    verdicts[#verdicts + 1] = V.duplicate
  end
  local field = outcome .. ARGV[i + 1]
  intake[field] = (intake[field] or 0) + 1
end
-- One RPUSH and one HINCRBY per intake field for the whole request, not per event.
if #readyIds > 0 then redis.call('RPUSH', KEYS[1], unpack(readyIds)) end
for field, count in pairs(intake) do redis.call('HINCRBY', KEYS[3], field, count) end
redis.call('HINCRBY', KEYS[2], 'accepted', #readyIds)
redis.call('HINCRBY', KEYS[2], 'duplicates', #verdicts - #readyIds)
return {V.ok, table.concat(verdicts)}
