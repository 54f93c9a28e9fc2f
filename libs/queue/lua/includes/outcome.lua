--[[
outcome: how an event left the queue, kept in its idempotency key for the rest of the idempotency window, so
a status lookup (event-status.ts) can answer after the event's hash is gone. enqueue-3.lua writes the key as
"<placement hash>:<enqueued at ms>"; recordOutcome appends ":p:<acked at ms>:<consumer>" (ack-5.lua) or
":x:<purged at ms>" (purge-2.lua). seen-value.ts reads the format back.

APPEND keeps the key's TTL in one command (SET would need a GET and a PTTL first: ioredis-mock has no
KEEPTTL), so the record expires with the idempotency key. A key that expired meanwhile is not brought back:
APPEND then created it, without a TTL, and it is deleted again.
]]
--- @include "keys"

-- Appends `outcome` to the idempotency key of `id`, unless that key has expired.
local function recordOutcome(id, outcome)
  local key = seenKey(id)
  if redis.call('APPEND', key, outcome) == #outcome then redis.call('DEL', key) end
end
