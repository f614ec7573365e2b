-- wrk script: the same write ($METHOD $TARGET with $BODY) again and again as one caller ($TOKEN),
-- counting the answers by status.
wrk.method = os.getenv("METHOD")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = os.getenv("BODY")
wrk.path = os.getenv("TARGET")

local statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init()
  counts = {}
end

function response(status)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end
