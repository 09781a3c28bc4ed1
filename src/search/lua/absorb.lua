-- Moves the postings of events merged into a survivor to the survivor: the caller read the
-- terms lists of all of them and names every key; nothing is written when one of those lists
-- changed since it was read, and the caller reads them again.
--
-- Takes a varying number of keys, all of the search index ({search} hash tag):
--   KEYS[1]        ev:<survivor id>   the survivor's terms, space-separated
--   KEYS[2..g+1]   ev:<absorbed id>   each absorbed event's terms (g = ARGV[3])
--   KEYS[g+2..n]   t:<term>           zset event id → updatedAt ms, each term of any of them
--
--   ARGV[1]  the survivor's id
--   ARGV[2]  its updatedAt, epoch ms
--   ARGV[3]  g: how many events were absorbed
--   ARGV[4]  plan, JSON: {
--              read: [the lists as read from KEYS[1..g+1], '' for none],
--              absorbed: [the absorbed ids, in the order of KEYS[2..g+1]],
--              remove: [for each absorbed event, the positions in KEYS of its terms' sets],
--              add: [positions in KEYS of the survivor's terms' sets, after the merge],
--              terms: the survivor's terms list after the merge }
--
-- Returns the number of terms the survivor is now indexed under, or -1 when a list changed.

local g = tonumber(ARGV[3])
local plan = cjson.decode(ARGV[4])
for i = 1, g + 1 do
  if (redis.call('GET', KEYS[i]) or '') ~= plan.read[i] then return -1 end
end
for i, gone in ipairs(plan.absorbed) do
  for _, position in ipairs(plan.remove[i]) do redis.call('ZREM', KEYS[position], gone) end
  redis.call('DEL', KEYS[i + 1])
end
for _, position in ipairs(plan.add) do redis.call('ZADD', KEYS[position], 'GT', ARGV[2], ARGV[1]) end
redis.call('SET', KEYS[1], plan.terms)
return #plan.add
