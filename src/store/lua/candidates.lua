-- The first read of dedupe: whether the item is stored already and, if not, the most recent
-- events under each of its index keys with the versions of those keys, read together so that a
-- commit resting on them can tell when any of them changed. The caller chooses the candidates
-- among them (selectCandidates) and reads those events next.
--
-- Takes a varying number of keys, all of one store ({store} hash tag):
--   KEYS[1..m]       the markers to look up first: url:<urlKey>, then guid:<guidKey> (m = ARGV[4])
--   KEYS[m+2i-1]     iv:<key i>   version of index key i
--   KEYS[m+2i]       idx:<key i>  zset event id → lastSeen ms
--
--   ARGV[1]  at: epoch ms the item was published
--   ARGV[2]  window ms: events whose lastSeen lies within at ± window
--   ARGV[3]  perKey: at most this many events per key, most recent first
--   ARGV[4]  m: how many marker keys lead KEYS (0, 1 or 2)
--
-- Returns {versions, ranges}: per index key its version and the ids found under it; or
-- {{}, {}, item id} when a marker names a stored item (nothing else is read then).

local at, window, perKey, markers = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 1, markers do
  local existing = redis.call('GET', KEYS[i])
  if existing then return {{}, {}, existing} end
end
local versions, ranges = {}, {}
for i = markers + 1, #KEYS, 2 do
  versions[#versions + 1] = redis.call('GET', KEYS[i]) or '0'
  ranges[#ranges + 1] = redis.call('ZREVRANGEBYSCORE', KEYS[i + 1], at + window, at - window, 'LIMIT', 0, perKey)
end
return {versions, ranges}
