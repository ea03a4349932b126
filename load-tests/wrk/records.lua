-- wrk script of the overhead benchmark: the same records workload as RecordsSimulation, for raw throughput.
--   wrk -t1 -c32 -d20s --latency -s load-tests/wrk/records.lua http://127.0.0.1:8080 -- SEED [uniform|zipf] [s] [mix]
-- SEED is the CSV written by the seeding step (slug,tenant_id,token,record_ids; the token may be an API key, tk_...).
-- Each request picks a tenant
-- (uniformly or Zipf-skewed by the file's order), uses that tenant's own token, and draws from the mix
-- (read,list,create percentages; default 80,10,10). done() prints one machine-readable line:
--   RESULT requests=<n> seconds=<s> rps=<r> p50_ms=<x> p99_ms=<y> non2xx=<n> errors=<n>

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local tenants = {}
local cumulative = {}
local total = 0
local mix_read, mix_list = 80, 90
local collection = "/api/v1/collections/notes/records"
local body_n = 0

local function split(s, sep)
  local out = {}
  for part in string.gmatch(s, "([^" .. sep .. "]+)") do table.insert(out, part) end
  return out
end

function init(args)
  local file = args[1] or "target/seed.csv"
  local dist = args[2] or "uniform"
  local s = tonumber(args[3] or "1.0")
  if args[4] then
    local m = split(args[4], ",")
    mix_read = tonumber(m[1])
    mix_list = mix_read + tonumber(m[2])
  end
  for line in io.lines(file) do
    if not string.find(line, "^slug,") and #line > 0 then
      local f = split(line, ",")
      -- an API key (tk_...) goes in the ApiKey scheme, anything else is a JWT
      local scheme = string.find(f[3], "^tk_") and "ApiKey " or "Bearer "
      table.insert(tenants, { auth = scheme .. f[3], ids = split(f[4] or "", " ") })
    end
  end
  for k = 1, #tenants do
    if dist == "zipf" then total = total + 1 / (k ^ s) else total = total + 1 end
    cumulative[k] = total
  end
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
end

local function pick()
  local x = math.random() * total
  local lo, hi = 1, #cumulative
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] > x then hi = mid else lo = mid + 1 end
  end
  return tenants[lo]
end

function request()
  local t = pick()
  local r = math.random(100)
  if r <= mix_read then
    return wrk.format("GET", collection .. "/" .. t.ids[math.random(#t.ids)], { ["Authorization"] = t.auth })
  elseif r <= mix_list then
    return wrk.format("GET", collection .. "?limit=20", { ["Authorization"] = t.auth })
  end
  body_n = body_n + 1
  local body = '{"title":"Note ' .. body_n .. '","body":"Quarterly figures for the regional office, reviewed and approved '
    .. 'by the finance team.","tags":["finance","q' .. (body_n % 4 + 1) .. '"],"priority":' .. (body_n % 5)
    .. ',"done":false,"owner":{"name":"Alex","team":"ops"}}'
  return wrk.format("POST", collection, { ["Authorization"] = t.auth, ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
