-- Stores an item and the event it created or joined, unless the item is stored already or the
-- candidates the decision rests on changed since they were read (optimistic concurrency).
--
-- Takes a varying number of keys, all of one store ({store} hash tag); the plan names the
-- position in KEYS of every key beyond the first four.
--   KEYS[1]     url:<urlKey>      marker of the item's URL → item id
--   KEYS[2]     item:<itemId>     the item
--   KEYS[3]     ver               hash of event versions (e:<event id>) and their counter (seq)
--   KEYS[4]     events:updated    zset of events by updatedAt
--   KEYS[5..n]  in order of first use by the plan: guid:<guidKey>, event:<id>, prof:<id>,
--               iv:<key> (index versions the decision read), company:<id>, idx:<key> and
--               iv:<key> (the event's index keys), and for each absorbed event its event:,
--               prof:, company:, idx:, alias: and item: keys
--
--   ARGV[1]  plan, JSON: {
--              itemId, guid?: position of the GUID marker,
--              ttlMs?: the item and its markers expire after this long,
--              indexVersions: [[position of iv:<key>, version read]],
--              eventVersions: [[field in ver, version read]],
--              eventId?, event?, profile?: the event and the positions of its two keys,
--              mustBeNew?: true when the event is new (it must not exist yet),
--              updatedScore?, lastSeenScore?, companies: [position],
--              index: [[position of idx:<key>, position of iv:<key>]],
--              expireBefore?, indexTtlMs?,
--              absorbed: [{id, event, profile, companies: [position], index: [position],
--                          aliases: [position], items: [position]}] }
--   ARGV[2]  the item, JSON
--   ARGV[3]  the event without its profile, JSON ('' when there is no event)
--   ARGV[4]  {lastSeen, profile}, JSON ('' when there is no event)
--
-- Returns 'ok:<the event's new version>' ('ok' when the item joins no event); 'conflict' when a version read changed (or a new event exists already);
-- 'dup:<item id>' when the URL or GUID is stored already (nothing written).

local plan = cjson.decode(ARGV[1])
-- An event's new version comes from one counter (field `seq`, started above any version of the
-- older per-event counting), so an id never gets a version it had before, not even after
-- retention removed the event and an article made it again: readers cache records by version.
local function bump(id)
  redis.call('HSETNX', KEYS[3], 'seq', 1000000000)
  local version = redis.call('HINCRBY', KEYS[3], 'seq', 1)
  redis.call('HSET', KEYS[3], 'e:' .. id, version)
  return version
end
local existing = redis.call('GET', KEYS[1])
if (not existing) and plan.guid then existing = redis.call('GET', KEYS[plan.guid]) end
if existing then return 'dup:' .. existing end
for _, pair in ipairs(plan.indexVersions) do
  if tonumber(redis.call('GET', KEYS[pair[1]]) or '0') ~= pair[2] then return 'conflict' end
end
for _, pair in ipairs(plan.eventVersions) do
  if tonumber(redis.call('HGET', KEYS[3], pair[1]) or '0') ~= pair[2] then return 'conflict' end
end
if plan.mustBeNew and redis.call('EXISTS', KEYS[plan.event]) == 1 then return 'conflict' end
-- Events merged into plan.eventId: gone from every index, their articles moved, their ids aliased.
for _, gone in ipairs(plan.absorbed) do
  redis.call('DEL', KEYS[gone.event], KEYS[gone.profile])
  bump(gone.id)
  redis.call('ZREM', KEYS[4], gone.id)
  for _, company in ipairs(gone.companies) do redis.call('ZREM', KEYS[company], gone.id) end
  for _, idx in ipairs(gone.index) do redis.call('ZREM', KEYS[idx], gone.id) end
  for _, alias in ipairs(gone.aliases) do redis.call('SET', KEYS[alias], plan.eventId) end
  local from = '"event":"' .. string.gsub(gone.id, '%-', '%%-') .. '"'
  local to = '"event":"' .. plan.eventId .. '"'
  for _, item in ipairs(gone.items) do
    local json = redis.call('GET', KEYS[item])
    if json then redis.call('SET', KEYS[item], (string.gsub(json, from, to))) end
  end
end
-- An item kept for a limited time (retention) takes its URL and GUID markers with it.
local ttl = plan.ttlMs
local function put(key, value)
  if ttl then redis.call('SET', key, value, 'PX', ttl) else redis.call('SET', key, value) end
end
put(KEYS[2], ARGV[2])
put(KEYS[1], plan.itemId)
if plan.guid then put(KEYS[plan.guid], plan.itemId) end
local written
if plan.eventId then
  redis.call('SET', KEYS[plan.event], ARGV[3])
  -- The profile only serves matching, which looks back one window: it goes with the index keys.
  if plan.indexTtlMs then
    redis.call('SET', KEYS[plan.profile], ARGV[4], 'PX', plan.indexTtlMs)
  else
    redis.call('SET', KEYS[plan.profile], ARGV[4])
  end
  written = bump(plan.eventId)
  redis.call('ZADD', KEYS[4], plan.updatedScore, plan.eventId)
  for _, company in ipairs(plan.companies) do
    redis.call('ZADD', KEYS[company], plan.updatedScore, plan.eventId)
  end
  for _, pair in ipairs(plan.index) do
    local idx, version = KEYS[pair[1]], KEYS[pair[2]]
    -- Only a new event under a key can change another worker's decision; re-scoring one does not.
    -- A key grows only then, so that is also when its expired entries are dropped.
    if redis.call('ZADD', idx, plan.lastSeenScore, plan.eventId) == 1 then
      redis.call('INCR', version)
      if plan.expireBefore then redis.call('ZREMRANGEBYSCORE', idx, '-inf', '(' .. plan.expireBefore) end
      if plan.indexTtlMs then redis.call('PEXPIRE', version, plan.indexTtlMs) end
    end
    -- A key no article has touched for longer than the window holds only expired entries.
    if plan.indexTtlMs then redis.call('PEXPIRE', idx, plan.indexTtlMs) end
  end
end
if written then return 'ok:' .. written end
return 'ok'
