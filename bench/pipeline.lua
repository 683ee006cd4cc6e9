-- wrk script for HTTP/1.1 pipelining: every write carries DEPTH (env PIPELINE_DEPTH,
-- default 16) "GET /" requests, and the next batch goes out once all DEPTH responses of
-- this one have arrived. wrk counts every response in its request total; its latency
-- figures are then per batch (from the write to the batch's last response).
local depth = tonumber(os.getenv("PIPELINE_DEPTH") or "16")
local batch

init = function(args)
   local reqs = {}
   for i = 1, depth do
      reqs[i] = wrk.format("GET", "/")
   end
   batch = table.concat(reqs)
end

request = function()
   return batch
end
