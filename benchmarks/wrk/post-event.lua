-- wrk script: one single-event POST per request to ingest's /api/v1/events, each event its own
-- tile (high priority). The token comes from the environment (INGEST_TOKEN, printed by ./run.sh).
--   INGEST_TOKEN=... wrk -t1 -c1 -d20s -s benchmarks/wrk/post-event.lua http://127.0.0.1:8081/api/v1/events
local token = os.getenv("INGEST_TOKEN")
if token == nil or token == "" then
  error("set INGEST_TOKEN (./run.sh prints it)")
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
local counter = 0
request = function()
  counter = counter + 1
  local marker = "bench-" .. counter
  local body = '{"type":"bench_tick","priority":"high","title":"' .. marker .. '","payload":{"marker":"' .. marker .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
