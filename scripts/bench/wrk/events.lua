-- Shared by single-event.lua and batch.lua (loaded with dofile in every wrk thread and in wrk's main state):
-- realistic Day15 events with ids no run has used before, a count of non-2xx answers, and the JSON line
-- scripts/bench/wrk.ts parses from done().
--
-- Unique ids across threads and runs: the benchmark passes a tag of its own for each wrk run (`-- <tag>`),
-- setup() numbers the threads, and each thread counts its events: evt_<tag>_<thread>_<n>.
local events = {}

local thread_count = 0
local threads = {}

function events.setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
  threads[thread_count] = thread
end

-- Globals of a thread's Lua state (thread:get reads them in done()).
non2xx = 0
local tag, thread_prefix
local sequence = 0

function events.init(args)
  tag = args[1] or "run"
  thread_prefix = string.format("evt_%s_%d_", tag, thread_number or 0)
end

-- The mix of a SaaS's webhook traffic, as the generator sends it: mostly usage, some signups, a few
-- subscription changes. Chosen by the event's sequence number, so every run sends the same mix.
local kinds = {
  "usage_tracked", "usage_tracked", "usage_tracked", "usage_tracked", "usage_tracked",
  "usage_tracked", "usage_tracked", "usage_tracked", "usage_tracked", "usage_tracked",
  "usage_tracked", "usage_tracked", "usage_tracked", "usage_tracked", "user_signup",
  "user_signup", "user_signup", "subscription_created", "subscription_updated", "subscription_cancelled",
}
local features = { "api_calls", "reports", "exports", "dashboards", "storage" }
local sources = { "organic", "google_ads", "referral", "social", "partner" }
local countries = { "US", "GB", "DE", "FR", "BR", "IN", "JP", "CA" }
local companies = { "Acme Inc", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries" }
local reasons = { "too_expensive", "missing_features", "switched_provider", "no_longer_needed" }
local prices = {
  { "basic", 29, "monthly" }, { "premium", 99, "monthly" }, { "team", 99, "monthly" },
  { "enterprise", 499, "monthly" }, { "basic", 278.4, "annual" }, { "premium", 950.4, "annual" },
}

local function pick(list, n)
  return list[n % #list + 1]
end

-- One timestamp a second: os.date per event would cost more than the rest of the event.
local stamp_second, stamp = -1, ""
local function timestamp()
  local now = os.time()
  if now ~= stamp_second then
    stamp_second, stamp = now, os.date("!%Y-%m-%dT%H:%M:%SZ", now)
  end
  return stamp
end

local function metadata(kind, n, user)
  if kind == "usage_tracked" then
    return string.format('{"feature":"%s","quantity":%d,"duration_ms":%d}', pick(features, n), 1 + n % 500, n % 5000)
  elseif kind == "user_signup" then
    return string.format('{"source":"%s","country":"%s","company":"%s","email":"%s@example.com"}',
      pick(sources, n), pick(countries, n), pick(companies, n), user)
  elseif kind == "subscription_cancelled" then
    return string.format('{"plan":"%s","reason":"%s"}', pick(prices, n)[1], pick(reasons, n))
  end
  local price = pick(prices, n)
  return string.format('{"plan":"%s","amount":%s,"billing_cycle":"%s","currency":"USD"}', price[1], price[2], price[3])
end

-- The next event of this thread, as a JSON text.
function events.next()
  sequence = sequence + 1
  local kind = pick(kinds, sequence)
  local user = "user_" .. ((thread_number or 0) * 7919 + sequence) % 5000
  return string.format('{"event_id":"%s%d","event_type":"%s","user_id":"%s","timestamp":"%s","metadata":%s}',
    thread_prefix, sequence, kind, user, timestamp(), metadata(kind, sequence, user))
end

function events.response(status)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

-- One line for wrk.ts: `WRK_RESULT {json}`; latencies in microseconds, as wrk measures them.
function events.done(summary, latency)
  local refused = 0
  for _, thread in ipairs(threads) do
    refused = refused + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"duration_us":%d,"requests":%d,"non2xx":%d,"socket_errors":%d,"timeouts":%d,' ..
      '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.duration, summary.requests, refused, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

return events
