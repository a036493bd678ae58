-- wrk script of `scripts/bench collector`: POSTs the specification's example report, each
-- request with its own installation UUID and Idempotency-Key so the collector stores every
-- one instead of answering it as a duplicate, and counts the answers by status.
-- usage: wrk ... -s bench/collector_post.lua URL -- REPORT_JSON
-- At the end it prints one line "wrk-summary {json}" for bench/collector_vs_nginx.py.

local threads = {}

-- TELEMETRY_BENCH_PACE_MS: each connection waits that long before each request, so the
-- load is a chosen rate instead of as fast as the server answers.
local pace = tonumber(os.getenv("TELEMETRY_BENCH_PACE_MS") or "")
if pace then
  function delay()
    return pace
  end
end

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"), "cannot read the report " .. tostring(args[1]))
  local report = file:read("*a")
  file:close()
  -- The installation is the first UUID in the report; everything around it stays as is.
  local uuid = "%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x"
  local first, last = report:find(uuid)
  assert(first, "no installation UUID in " .. args[1])
  before, after = report:sub(1, first - 1), report:sub(last + 1)
  -- Seconds since the epoch keep UUIDs of different runs (rounds) on one store apart.
  run_stamp = os.time() % 0x100000000
  sent, accepted, duplicates, other = 0, 0, 0, 0
end

function request()
  sent = sent + 1
  local id = string.format("%08x-%04x-4000-8000-%012x", run_stamp, thread_number, sent)
  return wrk.format("POST", "/pings", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = id,
  }, before .. id .. after)
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  elseif status == 200 then
    duplicates = duplicates + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local counts = { accepted = 0, duplicates = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(counts) do
      counts[name] = counts[name] + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'wrk-summary {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f,'
      .. ' "accepted_202": %d, "duplicates_200": %d, "other_status": %d,'
      .. ' "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, counts.accepted, counts.duplicates, counts.other,
    errors.connect + errors.read + errors.write + errors.timeout))
end
