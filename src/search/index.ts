/**
 * The search index, in Redis next to the event store and under the same prefix:
 *   s:t:<term>    zset event id → event updatedAt ms (words, Japanese bigrams, @entity)
 *   s:ev:<id>     the terms an event is indexed under, space-separated (at most MAX_TERMS_PER_EVENT)
 *
 * indexEvent is idempotent: it merges the event's terms with those already recorded
 * and re-scores all of them, so an event that gains articles moves up under every
 * term. A query intersects its terms newest first without materialising the result:
 * small intersections come from ZINTER, large ones by walking the smallest set.
 */
import type { Result } from 'ioredis';
import type { RedisClient } from '../redis/client.ts';
import type { EventRecord, StoredItem } from '../core/types.ts';
import { eventTerms, MAX_TERMS_PER_EVENT } from './terms.ts';

const INDEX_SCRIPT = `
local p, id, score, cap = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local evKey = p .. 's:ev:' .. id
local terms, seen = {}, {}
local function add(t)
  if #terms < cap and not seen[t] then seen[t] = true; terms[#terms + 1] = t end
end
for i = 5, #ARGV do add(ARGV[i]) end
local existing = redis.call('GET', evKey)
if existing then for t in string.gmatch(existing, '%S+') do add(t) end end
for _, t in ipairs(terms) do redis.call('ZADD', p .. 's:t:' .. t, 'GT', score, id) end
redis.call('SET', evKey, table.concat(terms, ' '))
return #terms
`;

// ARGV: prefix, survivor id, score, cap, absorbed ids... Moves each absorbed event's postings to the survivor.
const ABSORB_SCRIPT = `
local p, survivor, score, cap = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local evKey = p .. 's:ev:' .. survivor
local terms, seen = {}, {}
local function add(t)
  if #terms < cap and not seen[t] then seen[t] = true; terms[#terms + 1] = t end
end
local existing = redis.call('GET', evKey)
if existing then for t in string.gmatch(existing, '%S+') do add(t) end end
for i = 5, #ARGV do
  local gone = ARGV[i]
  local list = redis.call('GET', p .. 's:ev:' .. gone)
  if list then
    for t in string.gmatch(list, '%S+') do
      redis.call('ZREM', p .. 's:t:' .. t, gone)
      add(t)
    end
    redis.call('DEL', p .. 's:ev:' .. gone)
  end
end
for _, t in ipairs(terms) do redis.call('ZADD', p .. 's:t:' .. t, 'GT', score, survivor) end
redis.call('SET', evKey, table.concat(terms, ' '))
return #terms
`;

/** Returns { total, capped (0/1), ids... } newest first. */
const SEARCH_SCRIPT = `
local p, offset, count, countLimit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local keys, cards = {}, {}
for i = 5, #ARGV do
  local key = p .. 's:t:' .. ARGV[i]
  local card = redis.call('ZCARD', key)
  if card == 0 then return {0, 0} end
  keys[#keys + 1] = key
  cards[key] = card
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
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    aiwatchIndex(...args: (string | number)[]): Result<number, Context>;
    aiwatchSearch(...args: (string | number)[]): Result<(string | number)[], Context>;
    aiwatchAbsorb(...args: (string | number)[]): Result<number, Context>;
  }
}

export interface SearchPage {
  /** Event ids, most recently updated first. */
  ids: string[];
  /** Events matching every term; a lower bound when `atLeast`. */
  total: number;
  atLeast: boolean;
}

export interface SearchIndex {
  /** Records an event under its terms (and those of the given items); safe to repeat. */
  indexEvent(event: EventRecord, items?: readonly StoredItem[]): Promise<void>;
  /** Many at once, pipelined: for backfills and the benchmark. */
  indexEvents(batch: readonly { event: EventRecord; items?: readonly StoredItem[] }[]): Promise<void>;
  /** Events merged into `survivor`: their postings become the survivor's. */
  absorb(survivor: EventRecord, absorbedIds: readonly string[]): Promise<void>;
  /** Whether an event has been indexed. */
  has(eventId: string): Promise<boolean>;
  /** Events indexed under every one of `terms`, newest first. */
  search(terms: readonly string[], page: { offset: number; limit: number }): Promise<SearchPage>;
}

/** Above this many matches the exact count is not needed: "1,000+". */
const COUNT_LIMIT = 1000;

export function createSearchIndex(redis: RedisClient, prefix: string): SearchIndex {
  if (!Object.hasOwn(redis, 'aiwatchIndex')) {
    redis.defineCommand('aiwatchIndex', { numberOfKeys: 0, lua: INDEX_SCRIPT });
    redis.defineCommand('aiwatchSearch', { numberOfKeys: 0, lua: SEARCH_SCRIPT });
  }
  if (!Object.hasOwn(redis, 'aiwatchAbsorb'))
    redis.defineCommand('aiwatchAbsorb', { numberOfKeys: 0, lua: ABSORB_SCRIPT });
  const args = (event: EventRecord, items: readonly StoredItem[] = []) => [
    prefix,
    event.id,
    Date.parse(event.updatedAt),
    MAX_TERMS_PER_EVENT,
    ...eventTerms(event, items),
  ];

  return {
    async indexEvent(event, items) {
      await redis.aiwatchIndex(...args(event, items));
    },
    async indexEvents(batch) {
      const pipeline = redis.pipeline();
      for (const { event, items } of batch) pipeline.aiwatchIndex(...args(event, items));
      for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
    },
    async absorb(survivor, absorbedIds) {
      if (!absorbedIds.length) return;
      await redis.aiwatchAbsorb(
        prefix,
        survivor.id,
        Date.parse(survivor.updatedAt),
        MAX_TERMS_PER_EVENT,
        ...absorbedIds,
      );
    },
    async has(eventId) {
      return (await redis.exists(`${prefix}s:ev:${eventId}`)) === 1;
    },
    async search(terms, { offset, limit }) {
      if (!terms.length || limit <= 0) return { ids: [], total: 0, atLeast: false };
      const reply = await redis.aiwatchSearch(prefix, offset, limit, COUNT_LIMIT, ...terms);
      const [total, capped, ...ids] = reply;
      return { ids: ids.map(String), total: Number(total), atLeast: Number(capped) === 1 };
    },
  };
}
