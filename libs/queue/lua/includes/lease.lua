--[[
lease: whether a consumer still holds an event. claim-4.lua grants the lease by writing the consumer id and
the claim's fencing token on the event's hash ('owner', 'token'); ack, extend and fail act only while both
still match, which is checked here and nowhere else; fail and recover release the lease by deleting both.
]]
-- Whether `owner` still holds the lease of the event whose hash is `key`, under the fencing token `token`.
local function leaseHeld(key, owner, token)
  local held = redis.call('HMGET', key, 'owner', 'token')
  return held[1] == owner and held[2] == token
end
