-- wrk script: POST /webhook/batch, {"events": [...]} with <size> unique realistic events per request (events.lua).
-- Usage: wrk -s scripts/bench/wrk/batch.lua http://host:port/webhook/batch -- <run tag> <size>
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local events = dofile(here .. "events.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

setup = events.setup
response = events.response
done = events.done

local size = 100
function init(args)
  events.init(args)
  size = tonumber(args[2]) or size
end

function request()
  local batch = {}
  for i = 1, size do
    batch[i] = events.next()
  end
  return wrk.format(nil, nil, nil, '{"events":[' .. table.concat(batch, ",") .. "]}")
end
