-- One page of the events indexed under every term of a query, newest first, with how many
-- there are: small intersections come from ZINTER, large ones by walking the smallest set.
--
-- Takes a varying number of keys, all of the search index ({search} hash tag):
--   KEYS[1..n]  t:<term>   zset event id → updatedAt ms, one per term of the query
--
--   ARGV[1]  offset: matches skipped, newest first
--   ARGV[2]  count: matches returned at most
--   ARGV[3]  countLimit: above this many matches the total is a lower bound
--
-- Returns {total, capped (0/1), ids...}, newest first; {0, 0} when a term has no events.

local offset, count, countLimit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local keys, cards = {}, {}
for i = 1, #KEYS do
  local card = redis.call('ZCARD', KEYS[i])
  if card == 0 then return {0, 0} end
  keys[#keys + 1] = KEYS[i]
  cards[KEYS[i]] = card
end
if #keys == 0 then return {0, 0} end
table.sort(keys, function(a, b) return cards[a] < cards[b] end)
local out
if #keys == 1 then
  out = {cards[keys[1]], 0}
  local ids = redis.call('ZREVRANGE', keys[1], offset, offset + count - 1)
  for _, id in ipairs(ids) do out[#out + 1] = id end
  return out
end
local cardArgs = {#keys}
for _, key in ipairs(keys) do cardArgs[#cardArgs + 1] = key end
cardArgs[#cardArgs + 1] = 'LIMIT'
cardArgs[#cardArgs + 1] = countLimit
local total = redis.call('ZINTERCARD', unpack(cardArgs))
if total == 0 then return {0, 0} end
if total < countLimit then
  local all = redis.call('ZINTER', #keys, unpack(keys))
  out = {total, 0}
  for i = #all - offset, math.max(1, #all - offset - count + 1), -1 do out[#out + 1] = all[i] end
  return out
end
out = {total, 1}
local found, start, chunk = 0, 0, 500
while #out - 2 < count do
  local ids = redis.call('ZREVRANGE', keys[1], start, start + chunk - 1)
  if #ids == 0 then break end
  local alive = ids
  for k = 2, #keys do
    local scores = redis.call('ZMSCORE', keys[k], unpack(alive))
    local next = {}
    for i, s in ipairs(scores) do if s then next[#next + 1] = alive[i] end end
    alive = next
    if #alive == 0 then break end
  end
  for _, id in ipairs(alive) do
    found = found + 1
    if found > offset and #out - 2 < count then out[#out + 1] = id end
  end
  start = start + chunk
end
return out
