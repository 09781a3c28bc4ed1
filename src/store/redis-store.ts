/**
 * Redis adapter of the EventStore port.
 *
 * Layout under one key prefix:
 *   item:<id>       JSON of a stored item          url:<key>, guid:<key> → item id
 *                   (an irrelevant item and its markers expire after retention.irrelevantItemsDays)
 *   event:<id>      JSON of an event, without its profile
 *   prof:<id>       JSON {lastSeen, profile}: all that scoring a candidate needs, kept
 *                   apart so that matching reads a few hundred bytes per candidate; it
 *                   expires with the index keys (twice the window), when matching is done with it
 *   idx:<key>       zset event id → lastSeen ms (the candidate index; only recent events)
 *   events:updated  zset event id → updatedAt ms   company:<id>    zset event id → updatedAt ms
 *   iv:<key>        version of an index key (bumped when a new event appears under it)
 *   ver             hash of event versions (e:<event id>)
 *   alias:<id>      → the event a merged event was folded into (its id keeps resolving)
 *   idx: and iv: keys expire when no article touched them for twice the window.
 *
 * Dedupe is optimistic: candidates are read with the versions of their index keys
 * (bumped when a new event appears under a key) and of the events, and the commit
 * script writes only if the versions the decision rests on are unchanged, so two
 * workers seeing syndicated copies at once cannot both found an event, nor can
 * two joins of one event overwrite each other.
 */
import type { ChainableCommander, Redis, Result } from 'ioredis';
import type { EventRecord, Profile, StoredItem } from '../core/types.ts';
import {
  versionKey,
  type CandidateSnapshot,
  type CommitOutcome,
  type CommitPlan,
  type EventStore,
} from './types.ts';

// ARGV: prefix, plan (small JSON), item JSON, event JSON, profile JSON.
const COMMIT_SCRIPT = `
local p = ARGV[1]
local plan = cjson.decode(ARGV[2])
local existing = redis.call('GET', p .. 'url:' .. plan.urlKey)
if (not existing) and plan.guidKey then existing = redis.call('GET', p .. 'guid:' .. plan.guidKey) end
if existing then return 'dup:' .. existing end
for key, version in pairs(plan.versions) do
  local current
  if string.sub(key, 1, 2) == 'i:' then
    current = tonumber(redis.call('GET', p .. 'iv:' .. string.sub(key, 3)) or '0')
  else
    current = tonumber(redis.call('HGET', p .. 'ver', key) or '0')
  end
  if current ~= version then return 'conflict' end
end
if plan.eventId and not plan.versions['e:' .. plan.eventId] and redis.call('EXISTS', p .. 'event:' .. plan.eventId) == 1 then
  return 'conflict'
end
-- Events merged into plan.eventId: gone from every index, their articles moved, their ids aliased.
for _, gone in ipairs(plan.absorbed or {}) do
  redis.call('DEL', p .. 'event:' .. gone.id, p .. 'prof:' .. gone.id)
  redis.call('HINCRBY', p .. 'ver', 'e:' .. gone.id, 1)
  redis.call('ZREM', p .. 'events:updated', gone.id)
  for _, company in ipairs(gone.companies) do redis.call('ZREM', p .. 'company:' .. company, gone.id) end
  for _, key in ipairs(gone.indexKeys) do redis.call('ZREM', p .. 'idx:' .. key, gone.id) end
  redis.call('SET', p .. 'alias:' .. gone.id, plan.eventId)
  for _, old in ipairs(gone.mergedFrom) do redis.call('SET', p .. 'alias:' .. old, plan.eventId) end
  local from = '"event":"' .. string.gsub(gone.id, '%-', '%%-') .. '"'
  local to = '"event":"' .. plan.eventId .. '"'
  for _, itemId in ipairs(gone.itemIds) do
    local json = redis.call('GET', p .. 'item:' .. itemId)
    if json then redis.call('SET', p .. 'item:' .. itemId, (string.gsub(json, from, to))) end
  end
end
-- An item kept for a limited time (retention) takes its URL and GUID markers with it.
local ttl = plan.ttlMs
local function put(key, value)
  if ttl then redis.call('SET', key, value, 'PX', ttl) else redis.call('SET', key, value) end
end
put(p .. 'item:' .. plan.itemId, ARGV[3])
put(p .. 'url:' .. plan.urlKey, plan.itemId)
if plan.guidKey then put(p .. 'guid:' .. plan.guidKey, plan.itemId) end
if plan.eventId then
  redis.call('SET', p .. 'event:' .. plan.eventId, ARGV[4])
  -- The profile only serves matching, which looks back one window: it goes with the index keys.
  if plan.indexTtlMs then
    redis.call('SET', p .. 'prof:' .. plan.eventId, ARGV[5], 'PX', plan.indexTtlMs)
  else
    redis.call('SET', p .. 'prof:' .. plan.eventId, ARGV[5])
  end
  redis.call('HINCRBY', p .. 'ver', 'e:' .. plan.eventId, 1)
  redis.call('ZADD', p .. 'events:updated', plan.updatedScore, plan.eventId)
  for _, company in ipairs(plan.companies) do
    redis.call('ZADD', p .. 'company:' .. company, plan.updatedScore, plan.eventId)
  end
  for _, key in ipairs(plan.indexKeys) do
    local idx = p .. 'idx:' .. key
    -- Only a new event under a key can change another worker's decision; re-scoring one does not.
    -- A key grows only then, so that is also when its expired entries are dropped.
    if redis.call('ZADD', idx, plan.lastSeenScore, plan.eventId) == 1 then
      redis.call('INCR', p .. 'iv:' .. key)
      if plan.expireBefore then redis.call('ZREMRANGEBYSCORE', idx, '-inf', '(' .. plan.expireBefore) end
      if plan.indexTtlMs then redis.call('PEXPIRE', p .. 'iv:' .. key, plan.indexTtlMs) end
    end
    -- A key no article has touched for longer than the window holds only expired entries.
    if plan.indexTtlMs then redis.call('PEXPIRE', idx, plan.indexTtlMs) end
  end
end
return 'ok'
`;

// The same selection as selectCandidates (candidates.ts), done where the data is so that
// finding candidates is one round trip. ARGV: prefix, at, windowMs, perKey, max, urlKey, guidKey, keys...
// Returns {index versions, ids, event versions, profiles, events found per key, records}, or
// a 7th element, the stored item's id, when the URL or GUID is already stored.
const CANDIDATES_SCRIPT = `
local p = ARGV[1]
local at, window, perKey, max = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local existing = false
if ARGV[6] ~= '' then existing = redis.call('GET', p .. 'url:' .. ARGV[6]) end
if (not existing) and ARGV[7] ~= '' then existing = redis.call('GET', p .. 'guid:' .. ARGV[7]) end
if existing then return {{}, {}, {}, {}, {}, {}, existing} end
local versions, counts, hits, first, ids = {}, {}, {}, {}, {}
local position = 0
for i = 8, #ARGV do
  local key = ARGV[i]
  versions[#versions + 1] = redis.call('GET', p .. 'iv:' .. key) or '0'
  local range = redis.call('ZREVRANGEBYSCORE', p .. 'idx:' .. key, at + window, at - window, 'LIMIT', 0, perKey)
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
local eventVersions, profiles, records = {}, {}, {}
for i, id in ipairs(chosen) do
  eventVersions[i] = redis.call('HGET', p .. 'ver', 'e:' .. id) or '0'
  profiles[i] = redis.call('GET', p .. 'prof:' .. id) or ''
  records[i] = redis.call('GET', p .. 'event:' .. id) or ''
end
return {versions, chosen, eventVersions, profiles, counts, records}
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    aiwatchCandidates(
      ...args: (string | number)[]
    ): Result<[string[], string[], string[], string[], number[], string[], string?], Context>;
    aiwatchCommit(
      prefix: string,
      plan: string,
      item: string,
      event: string,
      profile: string,
    ): Result<string, Context>;
  }
}

/** Events read per round trip when listing. */
const PAGE = 500;

interface StoredProfile {
  lastSeen: string;
  profile: Profile;
}

/** The commit script's arguments for one plan; also used to bulk-load benchmarks. */
export function encodeCommit(plan: CommitPlan): [string, string, string, string] {
  const event = plan.event;
  const payload = {
    urlKey: plan.urlKey,
    guidKey: plan.guidKey,
    itemId: plan.item.id,
    ttlMs: plan.ttlMs,
    absorbed: plan.absorbed,
    // cjson turns an empty object into an empty array; both iterate as nothing.
    versions: plan.versions ?? {},
    eventId: event?.id,
    updatedScore: event ? Date.parse(event.updatedAt) : undefined,
    lastSeenScore: event ? Date.parse(event.lastSeen) : undefined,
    companies: event?.companies ?? [],
    indexKeys: plan.indexKeys ?? [],
    expireBefore: plan.expireBefore,
    indexTtlMs: plan.indexTtlMs,
  };
  let eventJson = '';
  let profileJson = '';
  if (event) {
    const { profile, ...rest } = event;
    eventJson = JSON.stringify(rest);
    profileJson = JSON.stringify({ lastSeen: event.lastSeen, profile } satisfies StoredProfile);
  }
  return [JSON.stringify(payload), JSON.stringify(plan.item), eventJson, profileJson];
}

export function defineCommitScript(redis: Redis): void {
  if (!Object.hasOwn(redis, 'aiwatchCommit'))
    redis.defineCommand('aiwatchCommit', { numberOfKeys: 0, lua: COMMIT_SCRIPT });
  if (!Object.hasOwn(redis, 'aiwatchCandidates'))
    redis.defineCommand('aiwatchCandidates', { numberOfKeys: 0, lua: CANDIDATES_SCRIPT });
}

/** Queues a commit on a pipeline (bulk loading); the result is the script's reply. */
export function pipelineCommit(pipeline: ChainableCommander, prefix: string, plan: CommitPlan): void {
  (pipeline as unknown as { aiwatchCommit: (...args: string[]) => void }).aiwatchCommit(
    prefix,
    ...encodeCommit(plan),
  );
}

/** Parsed candidate events kept per store: a few windows' worth of recent events. */
const PARSED_CANDIDATES_MAX = 5000;
type ParsedCandidate = { profile: Profile; lastSeen: number; record: EventRecord };

export function createRedisEventStore(redis: Redis, prefix: string): EventStore {
  defineCommitScript(redis);
  const k = (key: string) => `${prefix}${key}`;

  // Consecutive articles mostly see the same recent events as candidates: parsing their JSON
  // again for every article was the largest cost of a Redis replay. Entries are reused only
  // when both strings are unchanged, and the parsed records are never mutated (joins copy).
  const parsed = new Map<string, { profileJson: string; recordJson: string; value: ParsedCandidate }>();
  function parsedCandidate(id: string, profileJson: string, recordJson: string): ParsedCandidate {
    const hit = parsed.get(id);
    if (hit && hit.profileJson === profileJson && hit.recordJson === recordJson) return hit.value;
    const stored = JSON.parse(profileJson) as StoredProfile;
    const value: ParsedCandidate = {
      profile: stored.profile,
      lastSeen: Date.parse(stored.lastSeen),
      record: { ...(JSON.parse(recordJson) as Omit<EventRecord, 'profile'>), profile: stored.profile },
    };
    if (parsed.size >= PARSED_CANDIDATES_MAX) parsed.clear();
    parsed.set(id, { profileJson, recordJson, value });
    return value;
  }

  /** Events with their profiles put back, in the order of `ids`, skipping missing ones. */
  async function readEvents(ids: string[]): Promise<EventRecord[]> {
    if (!ids.length) return [];
    const values = await redis.mget(...ids.flatMap((id) => [k(`event:${id}`), k(`prof:${id}`)]));
    const events: EventRecord[] = [];
    for (let i = 0; i < ids.length; i++) {
      const json = values[2 * i];
      if (!json) continue;
      const stored = values[2 * i + 1];
      const profile = stored ? (JSON.parse(stored) as StoredProfile).profile : emptyProfile();
      events.push({ ...(JSON.parse(json) as Omit<EventRecord, 'profile'>), profile });
    }
    return events;
  }

  return {
    async findDuplicate(urlKey, guidKey) {
      const [byUrl, byGuid] = await redis.mget(k(`url:${urlKey}`), k(`guid:${guidKey ?? ''}`));
      return byUrl ?? (guidKey ? byGuid : null) ?? null;
    },

    async findCandidates(keys, at, windowMs, perKey, max, exact): Promise<CandidateSnapshot> {
      const snapshot: CandidateSnapshot = { candidates: [], versions: {}, counts: {} };
      if (!keys.length && !exact) return snapshot;
      const [versions, ids, eventVersions, profiles, counts, records, duplicate] =
        await redis.aiwatchCandidates(
          prefix,
          at,
          windowMs,
          perKey,
          max,
          exact?.urlKey ?? '',
          exact?.guidKey ?? '',
          ...keys,
        );
      if (duplicate) return { ...snapshot, duplicate };
      keys.forEach((key, i) => {
        snapshot.versions[versionKey.index(key)] = Number(versions[i] ?? 0);
        snapshot.counts[key] = Number(counts[i] ?? 0);
      });
      ids.forEach((id, i) => {
        const profileJson = profiles[i];
        const recordJson = records[i];
        if (!profileJson || !recordJson) return;
        snapshot.versions[versionKey.event(id)] = Number(eventVersions[i] ?? 0);
        snapshot.candidates.push({ id, ...parsedCandidate(id, profileJson, recordJson) });
      });
      return snapshot;
    },

    async commit(plan: CommitPlan): Promise<CommitOutcome> {
      const result = await redis.aiwatchCommit(prefix, ...encodeCommit(plan));
      if (result === 'ok') return { status: 'ok' };
      if (result === 'conflict') return { status: 'conflict' };
      return { status: 'duplicate', itemId: result.slice(4) };
    },

    async getEvent(id) {
      const [event] = await readEvents([id]);
      if (event) return event;
      // A merged event's id resolves to the event it was merged into.
      const survivor = await redis.get(k(`alias:${id}`));
      return survivor ? ((await readEvents([survivor]))[0] ?? null) : null;
    },

    async getItems(ids) {
      if (!ids.length) return [];
      const values = await redis.mget(...ids.map((id) => k(`item:${id}`)));
      return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as StoredItem);
    },

    async listEvents(options = {}) {
      const key = options.company ? k(`company:${options.company}`) : k('events:updated');
      const min = options.since ? Date.parse(options.since) : '-inf';
      // Read in pages so that listing a large store never asks Redis for everything at once.
      const limit = options.limit ?? Infinity;
      const events: EventRecord[] = [];
      for (let offset = 0; events.length < limit; offset += PAGE) {
        const count = Math.min(PAGE, limit - events.length);
        const ids = await redis.zrevrangebyscore(key, '+inf', min, 'LIMIT', offset, count);
        events.push(...(await readEvents(ids)));
        if (ids.length < count) break;
      }
      return events;
    },

    async countEvents() {
      return redis.zcard(k('events:updated'));
    },
  };
}

function emptyProfile(): Profile {
  return { entities: {}, numbers: [], names: [], shingles: [], words: [] };
}
