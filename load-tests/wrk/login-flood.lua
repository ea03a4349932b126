-- wrk script of login-flood.sh: wrong-password sign-ins, each for a different email (credential stuffing).
--   wrk -t2 -c40 -d30s -s load-tests/wrk/login-flood.lua http://127.0.0.1:8080 [-- DOMAIN]
-- done() prints one machine-readable line:
--   FLOOD requests=<n> rps=<r> s401=<n> s503=<n> other=<n>

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  domain = args[1] or "flood.test"
  n, s401, s503, other = 0, 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = string.format('{"email":"guess-%d-%d@%s","password":"wrong-password-%d"}', id, n, domain, n)
  return wrk.format(nil, "/auth/token", nil, body)
end

function response(status, headers, body)
  if status == 401 then s401 = s401 + 1
  elseif status == 503 then s503 = s503 + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("s401"); b = b + t:get("s503"); c = c + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("FLOOD requests=%d rps=%.1f s401=%d s503=%d other=%d\n",
    summary.requests, summary.requests / seconds, a, b, c))
end
