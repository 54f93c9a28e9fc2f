-- wrk script: POST /webhook/events, one unique realistic event per request (events.lua).
-- Usage: wrk -s scripts/bench/wrk/single-event.lua http://host:port/webhook/events -- <run tag>
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local events = dofile(here .. "events.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

setup = events.setup
init = events.init
response = events.response
done = events.done

function request()
  return wrk.format(nil, nil, nil, events.next())
end
