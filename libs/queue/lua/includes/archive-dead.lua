--[[
archive-dead: commits the archive line of an event being dead-lettered to the outbox, in the step that
dead-letters it (fail-5.lua, recover-5.lua), so every dead letter reaches the archive with its reason even
if it is replayed or purged before a consumer writes the outbox out. The entry "d:<id>:<now>" holds the
line's fields after its queue, which the writer (libs/archive) puts in front: event_id, dead_at, attempts,
reason and the body as stored, as JSON text (built here by hand: ioredis-mock's Lua has no cjson).
]]
--- @include "keys"

local jsonEscapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function jsonString(text)
  local escaped = string.gsub(tostring(text), '[%c"\\]', function(c)
    return jsonEscapes[c] or string.format('\\u%04x', string.byte(c))
  end)
  return '"' .. escaped .. '"'
end

-- Adds the dead letter of `id` (its hash at eventKey(id)) to the outbox `outbox`, dead at `now` for `reason`.
local function archiveDead(outbox, id, now, reason)
  local stored = redis.call('HMGET', eventKey(id), 'body', 'attempts')
  local line = '"event_id":' .. jsonString(id) .. ',"dead_at":' .. now .. ',"attempts":' ..
    textOr(stored[2], '0') .. ',"reason":' .. jsonString(reason) .. ',"body":' ..
    jsonString(textOr(stored[1], '')) .. '}'
  redis.call('HSET', outbox, 'd:' .. id .. ':' .. now, line)
end
