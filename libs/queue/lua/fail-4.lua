--[[
fail: record a failed processing attempt of events this consumer still holds. Below the max attempts the
event waits in the delayed set for its backoff; at the max it moves to the dead-letter set with its error.

KEYS[1]  in-flight sorted set
KEYS[2]  delayed sorted set (score = due time ms)
KEYS[3]  dead-letter sorted set (score = time of death ms)
KEYS[4]  counters hash
ARGV[1]  key base
ARGV[2]  consumer id
ARGV[3]  now (ms)
ARGV[4]  max attempts
ARGV[5..] per event: id, fencing token, retry delay ms (-1 = never retry: dead-letter now), error message

Returns a string with one digit per event: 1 scheduled for retry, 2 dead-lettered, 0 lease lost
(nothing changed).
]]
local base, owner, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local maxAttempts = tonumber(ARGV[4])
local out = {}
for i = 5, #ARGV, 4 do
  local id, token = ARGV[i], ARGV[i + 1]
  local eventKey = base .. 'ev:' .. id
  local held = redis.call('HMGET', eventKey, 'owner', 'token', 'attempts')
  if held[1] == owner and held[2] == token then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', eventKey, 'owner', 'token')
    redis.call('HSET', eventKey, 'last_error', ARGV[i + 3], 'last_failed_at', now)
    redis.call('HSETNX', eventKey, 'first_failed_at', now)
    redis.call('HINCRBY', KEYS[4], 'failed_attempts', 1)
    if tonumber(held[3]) >= maxAttempts or ARGV[i + 2] == '-1' then
      redis.call('HSET', eventKey, 'dead_at', now)
      redis.call('ZADD', KEYS[3], now, id)
      redis.call('HINCRBY', KEYS[4], 'dead_lettered', 1)
      out[#out + 1] = 2
    else
      redis.call('ZADD', KEYS[2], now + tonumber(ARGV[i + 2]), id)
      out[#out + 1] = 1
    end
  else
    out[#out + 1] = 0
  end
end
return table.concat(out)
