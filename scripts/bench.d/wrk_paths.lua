-- wrk script: each request takes the next path from the file named by $WRK_PATHS (one
-- URL path with its query string a line), round-robin, so every query of the list is hit.
local paths = {}
local f = assert(io.open(os.getenv("WRK_PATHS"), "r"))
for line in f:lines() do if #line > 0 then paths[#paths + 1] = line end end
f:close()
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("wrk_requests %d\nwrk_non2xx %d\nwrk_p50_ms %.3f\nwrk_p99_ms %.3f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
