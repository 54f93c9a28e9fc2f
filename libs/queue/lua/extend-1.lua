--[[
extend: push the lease deadline of events this consumer still holds (heartbeat for a long batch).

KEYS[1]  in-flight sorted set
ARGV[1]  key base (includes/keys.lua)
ARGV[2]  consumer id
ARGV[3]  new deadline (ms)
ARGV[4..] pairs: event id, fencing token (at most 4000 pairs: Lua's unpack limit; callers extend one
  claim's events, at most 2000)

Returns a string with one code per event: V.extended, or V.lost when the lease is no longer held.
(V is this script's row of replyCodes in script-replies.ts.)
]]
--- @include "includes/keys"
--- @include "includes/lease"

local owner, deadline = ARGV[2], ARGV[3]
local out, leases = {}, {}
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  if leaseHeld(eventKey(id), owner, ARGV[i + 1]) then
    leases[#leases + 1] = deadline
    leases[#leases + 1] = id
    out[#out + 1] = V.extended
  else
    out[#out + 1] = V.lost
  end
end
-- One ZADD for all extended leases instead of one per event.
if #leases > 0 then redis.call('ZADD', KEYS[1], unpack(leases)) end
return table.concat(out)
