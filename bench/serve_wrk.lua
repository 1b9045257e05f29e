-- serve_wrk.lua — wrk script for `credo serve`: POSTs the records of bench/serve_records.jsonl
-- in turn. wrk measures closed-loop throughput (max rate); it cannot hold a fixed rate, so the
-- fixed-rate percentiles come from credo-serve-load (bench/serve.sh).
--   wrk -t2 -c4 -d10s -s bench/serve_wrk.lua http://127.0.0.1:PORT/v1/policies/sme_credit/evaluate
local records = {}
local path = os.getenv("CREDO_RECORDS") or "bench/serve_records.jsonl"
for line in io.lines(path) do
  if #line > 0 then records[#records + 1] = line end
end
local next_record = 0

request = function()
  next_record = next_record % #records + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, records[next_record])
end

done = function(summary, latency, requests)
  io.write(string.format("p50 %d us  p99 %d us  p99.9 %d us  max %d us\n",
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
