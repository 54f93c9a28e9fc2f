--[[
claim: lease up to `max` events to one consumer. Due retries come first (they are the oldest work), then
ready events in FIFO order. Every claim gets a new fencing token; ack/fail/extend must present it, and
its time as the event's `changed_at` (when its status last changed, for the status lookup).

KEYS[1]  ready list
KEYS[2]  in-flight sorted set (score = lease deadline ms)
KEYS[3]  delayed sorted set (score = due time ms)
KEYS[4]  fencing token counter
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  consumer id
ARGV[3]  max events
ARGV[4]  lease length in ms
ARGV[5]  now (ms)

Returns {token, id1, attempt1, body1, id2, attempt2, body2, ...} ({} when nothing is claimable);
attempt counts this delivery.
The reply is rebuilt with a table constructor ({unpack(out)}) so ioredis-mock returns it as an array;
Lua's unpack limit (8000 values) is why callers claim at most 2000 events at once.
]]
--- @include "includes/keys"

local owner = ARGV[2]
local max, now = tonumber(ARGV[3]), tonumber(ARGV[5])
local deadline = now + tonumber(ARGV[4])

local ids = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, max)) do
  redis.call('ZREM', KEYS[3], id)
  ids[#ids + 1] = id
end
while #ids < max do
  local id = redis.call('LPOP', KEYS[1])
  if type(id) ~= 'string' then break end
  ids[#ids + 1] = id
end

-- An idle poll writes nothing (no token is drawn), so polling costs no AOF or replication traffic.
if #ids == 0 then return {} end
-- A string: ioredis-mock would otherwise store a number and later compare it unequal to the string ARGV.
local token = string.format('%d', redis.call('INCR', KEYS[4]))
local out = {token}
local leases = {}
for _, id in ipairs(ids) do
  local key = eventKey(id)
  local body = redis.call('HGET', key, 'body')
  if type(body) == 'string' then
    local attempt = redis.call('HINCRBY', key, 'attempts', 1)
    redis.call('HSET', key, 'owner', owner, 'token', token, 'changed_at', ARGV[5])
    leases[#leases + 1] = deadline
    leases[#leases + 1] = id
    out[#out + 1] = id
    out[#out + 1] = attempt
    out[#out + 1] = body
  end
end
-- One ZADD for the whole claim instead of one per event.
if #leases > 0 then redis.call('ZADD', KEYS[2], unpack(leases)) end
return {unpack(out)}
