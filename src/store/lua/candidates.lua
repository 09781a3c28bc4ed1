-- The first read of dedupe: whether the item is stored already and, if not, its candidate
-- events: under each of its index keys the most recent events, of which those found under the
-- most keys (the same rule as selectCandidates in candidates.ts; a replay test keeps the two
-- stores' decisions identical). Read with the versions of the index keys and of the chosen
-- events, so that a commit resting on them fails when any of them changed. The caller reads
-- the chosen events' records next: a record changed in between has a newer version than the
-- one read here, so the commit fails then too.
--
-- Takes a varying number of keys, all of one store ({store} hash tag):
--   KEYS[1]        ver           hash of event versions (e:<event id>)
--   KEYS[2..m+1]   the markers to look up first: url:<urlKey>, then guid:<guidKey> (m = ARGV[5])
--   KEYS[m+2i]     iv:<key i>    version of index key i
--   KEYS[m+2i+1]   idx:<key i>   zset event id → lastSeen ms
--
--   ARGV[1]  at: epoch ms the item was published
--   ARGV[2]  window ms: events whose lastSeen lies within at ± window
--   ARGV[3]  perKey: at most this many events per key, most recent first
--   ARGV[4]  max: at most this many candidates
--   ARGV[5]  m: how many marker keys follow KEYS[1] (0, 1 or 2)
--
-- Returns {index key versions, events found per key, chosen ids (sorted), their versions}; or
-- {{}, {}, {}, {}, item id} when a marker names a stored item (nothing else is read then).

local at, window, perKey, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local markers = tonumber(ARGV[5])
for i = 2, markers + 1 do
  local existing = redis.call('GET', KEYS[i])
  if existing then return {{}, {}, {}, {}, existing} end
end
local versions, counts, hits, first, ids = {}, {}, {}, {}, {}
local position = 0
for i = markers + 2, #KEYS, 2 do
  versions[#versions + 1] = redis.call('GET', KEYS[i]) or '0'
  local range = redis.call('ZREVRANGEBYSCORE', KEYS[i + 1], at + window, at - window, 'LIMIT', 0, perKey)
  counts[#counts + 1] = #range
  for _, id in ipairs(range) do
    if hits[id] then hits[id] = hits[id] + 1 else
      hits[id] = 1
      first[id] = position
      ids[#ids + 1] = id
    end
    position = position + 1
  end
end
table.sort(ids, function(a, b)
  if hits[a] ~= hits[b] then return hits[a] > hits[b] end
  if first[a] ~= first[b] then return first[a] < first[b] end
  return a < b
end)
local chosen = {}
for i = 1, math.min(max, #ids) do chosen[i] = ids[i] end
table.sort(chosen)
local eventVersions = {}
for i, id in ipairs(chosen) do eventVersions[i] = redis.call('HGET', KEYS[1], 'e:' .. id) or '0' end
return {versions, counts, chosen, eventVersions}
