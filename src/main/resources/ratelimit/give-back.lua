-- Returns unspent leased requests to a GCRA bucket: moves its TAT back by count × interval, never before now
-- (a bucket cannot hold more than its burst). See lease.lua.
-- KEYS[1]: the bucket. ARGV: interval (µs), count.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local back = tat - tonumber(ARGV[2]) * tonumber(ARGV[1])
if back <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.0f', back), 'PX', math.ceil((back - now) / 1000) + 1)
end
return 1
