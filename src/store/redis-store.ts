/**
 * Redis adapter of the EventStore port.
 *
 * Layout under one key prefix:
 *   item:<id>       JSON of a stored item          url:<key>, guid:<key> → item id
 *   event:<id>      JSON of an event               ver             hash of optimistic versions
 *   idx:<key>       zset event id → lastSeen ms (the candidate index; only recent events)
 *   events:updated  zset event id → updatedAt ms   company:<id>    zset event id → updatedAt ms
 *
 * Dedupe is optimistic: candidates are read with the versions of the index keys
 * and events they came from, and the commit script writes only if none changed,
 * so two workers seeing syndicated copies at once cannot both found an event.
 */
import type { Redis, Result } from 'ioredis';
import type { EventRecord, StoredItem } from '../core/types.ts';
import {
  versionKey,
  type CandidateSnapshot,
  type CommitOutcome,
  type CommitPlan,
  type EventStore,
} from './types.ts';

const COMMIT_SCRIPT = `
local p = ARGV[1]
local plan = cjson.decode(ARGV[2])
local existing = redis.call('GET', p .. 'url:' .. plan.urlKey)
if (not existing) and plan.guidKey then existing = redis.call('GET', p .. 'guid:' .. plan.guidKey) end
if existing then return 'dup:' .. existing end
for key, version in pairs(plan.versions) do
  local current = tonumber(redis.call('HGET', p .. 'ver', key) or '0')
  if current ~= version then return 'conflict' end
end
if plan.eventId and not plan.versions['e:' .. plan.eventId] and redis.call('EXISTS', p .. 'event:' .. plan.eventId) == 1 then
  return 'conflict'
end
redis.call('SET', p .. 'item:' .. plan.itemId, plan.itemJson)
redis.call('SET', p .. 'url:' .. plan.urlKey, plan.itemId)
if plan.guidKey then redis.call('SET', p .. 'guid:' .. plan.guidKey, plan.itemId) end
redis.call('ZADD', p .. 'items:seen', plan.seenScore, plan.itemId)
if plan.eventId then
  redis.call('SET', p .. 'event:' .. plan.eventId, plan.eventJson)
  redis.call('HINCRBY', p .. 'ver', 'e:' .. plan.eventId, 1)
  redis.call('ZADD', p .. 'events:updated', plan.updatedScore, plan.eventId)
  for _, company in ipairs(plan.companies) do
    redis.call('ZADD', p .. 'company:' .. company, plan.updatedScore, plan.eventId)
  end
  for _, key in ipairs(plan.indexKeys) do
    redis.call('ZADD', p .. 'idx:' .. key, plan.lastSeenScore, plan.eventId)
    if plan.expireBefore then redis.call('ZREMRANGEBYSCORE', p .. 'idx:' .. key, '-inf', '(' .. plan.expireBefore) end
    redis.call('HINCRBY', p .. 'ver', 'i:' .. key, 1)
  end
end
return 'ok'
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    aiwatchCommit(prefix: string, plan: string): Result<string, Context>;
  }
}

export function createRedisEventStore(redis: Redis, prefix: string): EventStore {
  if (!Object.hasOwn(redis, 'aiwatchCommit'))
    redis.defineCommand('aiwatchCommit', { numberOfKeys: 0, lua: COMMIT_SCRIPT });
  const k = (key: string) => `${prefix}${key}`;

  const parseEvents = (values: (string | null)[]): EventRecord[] =>
    values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as EventRecord);

  return {
    async findDuplicate(urlKey, guidKey) {
      const [byUrl, byGuid] = await redis.mget(k(`url:${urlKey}`), k(`guid:${guidKey ?? ''}`));
      return byUrl ?? (guidKey ? byGuid : null) ?? null;
    },

    async findCandidates(keys, at, windowMs, limit): Promise<CandidateSnapshot> {
      const snapshot: CandidateSnapshot = { candidates: [], versions: {} };
      if (!keys.length) return snapshot;
      const pipeline = redis.pipeline();
      pipeline.hmget(k('ver'), ...keys.map(versionKey.index));
      for (const key of keys)
        pipeline.zrevrangebyscore(k(`idx:${key}`), at + windowMs, at - windowMs, 'LIMIT', 0, limit);
      const results = (await pipeline.exec()) ?? [];
      const [versionResult, ...ranges] = results;
      if (versionResult?.[0]) throw versionResult[0];
      const versions = (versionResult?.[1] ?? []) as (string | null)[];
      keys.forEach((key, i) => (snapshot.versions[versionKey.index(key)] = Number(versions[i] ?? 0)));
      const ids = new Set<string>();
      for (const [error, range] of ranges) {
        if (error) throw error;
        for (const id of range as string[]) ids.add(id);
      }
      if (!ids.size) return snapshot;
      const sorted = [...ids].sort();
      const [records, eventVersions] = await Promise.all([
        redis.mget(...sorted.map((id) => k(`event:${id}`))),
        redis.hmget(k('ver'), ...sorted.map(versionKey.event)),
      ]);
      sorted.forEach((id, i) => {
        const json = records[i];
        if (!json) return;
        const record = JSON.parse(json) as EventRecord;
        snapshot.versions[versionKey.event(id)] = Number(eventVersions[i] ?? 0);
        snapshot.candidates.push({
          id,
          profile: record.profile,
          lastSeen: Date.parse(record.lastSeen),
          record,
        });
      });
      return snapshot;
    },

    async commit(plan: CommitPlan): Promise<CommitOutcome> {
      const event = plan.event;
      const payload = {
        urlKey: plan.urlKey,
        guidKey: plan.guidKey,
        itemId: plan.item.id,
        itemJson: JSON.stringify(plan.item),
        seenScore: Date.parse(plan.item.firstSeen),
        // cjson turns an empty object into an empty array; both iterate as nothing.
        versions: plan.versions ?? {},
        eventId: event?.id,
        eventJson: event ? JSON.stringify(event) : undefined,
        updatedScore: event ? Date.parse(event.updatedAt) : undefined,
        lastSeenScore: event ? Date.parse(event.lastSeen) : undefined,
        companies: event?.companies ?? [],
        indexKeys: plan.indexKeys ?? [],
        expireBefore: plan.expireBefore,
      };
      const result = await redis.aiwatchCommit(prefix, JSON.stringify(payload));
      if (result === 'ok') return { status: 'ok' };
      if (result === 'conflict') return { status: 'conflict' };
      return { status: 'duplicate', itemId: result.slice(4) };
    },

    async getEvent(id) {
      const json = await redis.get(k(`event:${id}`));
      return json ? (JSON.parse(json) as EventRecord) : null;
    },

    async getItems(ids) {
      if (!ids.length) return [];
      const values = await redis.mget(...ids.map((id) => k(`item:${id}`)));
      return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as StoredItem);
    },

    async listEvents(options = {}) {
      const key = options.company ? k(`company:${options.company}`) : k('events:updated');
      const min = options.since ? Date.parse(options.since) : '-inf';
      const ids = await redis.zrevrangebyscore(key, '+inf', min, 'LIMIT', 0, options.limit ?? 1_000_000);
      if (!ids.length) return [];
      return parseEvents(await redis.mget(...ids.map((id) => k(`event:${id}`))));
    },

    async countEvents() {
      return redis.zcard(k('events:updated'));
    },
  };
}
