-- Leases requests from one or more GCRA buckets, all or nothing, on Redis's own clock (so nodes' clocks do not
-- matter). The Lua twin of io.tenantry.ratelimit.Gcra: keep them in step.
-- KEYS[i]: a bucket (all under one {t:<tenant id>} hash tag, so this works on Redis Cluster).
-- ARGV, 4 per bucket: interval (µs per request), capacity (µs, burst × interval), want, need.
-- The state of a bucket is its theoretical arrival time (TAT, µs); absent = full bucket.
-- Returns 3 integers per bucket: granted, offset (TAT - now after the grant, µs), wait (µs until `need` would be
-- granted, for the one bucket that refused; 0 otherwise). If any bucket cannot grant `need`, none grants anything.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local base, free = {}, {}
local refused = 0
for i = 1, #KEYS do
  local a = (i - 1) * 4
  local interval, capacity, need = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 4])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  base[i] = tat
  free[i] = math.floor((capacity - (tat - now)) / interval)
  if refused == 0 and free[i] < need then refused = i end
end
local out = {}
for i = 1, #KEYS do
  local a = (i - 1) * 4
  local interval, capacity, want, need =
    tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local granted, tat, wait = 0, base[i], 0
  if refused == 0 then
    granted = math.min(want, free[i])
    tat = base[i] + granted * interval
    if granted > 0 then
      -- %.0f: tostring would print 16-digit µs timestamps in exponent form and lose precision.
      -- The key may expire once the bucket is full again: absent means full.
      redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1)
    end
  elseif refused == i then
    wait = tat - now + need * interval - capacity
  end
  out[#out + 1] = granted
  out[#out + 1] = tat - now
  out[#out + 1] = wait
end
return out
