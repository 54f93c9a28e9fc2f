--[[
extend: push the lease deadline of events this consumer still holds (heartbeat for a long batch).

KEYS[1]  in-flight sorted set
ARGV[1]  key base
ARGV[2]  consumer id
ARGV[3]  new deadline (ms)
ARGV[4..] pairs: event id, fencing token

Returns a string with one digit per event: 1 the lease was extended, 0 it is no longer held.
]]
local base, owner, deadline = ARGV[1], ARGV[2], ARGV[3]
local out = {}
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  local held = redis.call('HMGET', base .. 'ev:' .. id, 'owner', 'token')
  if held[1] == owner and held[2] == ARGV[i + 1] then
    redis.call('ZADD', KEYS[1], deadline, id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return table.concat(out)
