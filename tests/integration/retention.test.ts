/**
 * Retention on the real Redis: irrelevant items and their URL/GUID markers expire, relevant
 * ones and events stay, event profiles go with the candidate index, nothing is written that
 * nobody reads, and a sweep past `retention.eventsDays` removes events with all they own.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/core/types.ts';
import { processItem, type PipelineDeps } from '../../src/pipeline/process-item.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { withSearchIndex } from '../../src/search/indexed-store.ts';
import { textTerms } from '../../src/search/terms.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { pruneEvents } from '../../src/store/retention.ts';
import { logger } from '../../src/shared/log.ts';
import { sweepOnce } from '../../src/worker/retention.ts';
import { core } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { STORE_TAG, storeKeys } from '../../src/store/keys.ts';

const DAY = 86_400_000;
const relevant: FeedItem = {
  id: 'kyodo-1',
  source: 'Kyodo News',
  url: 'https://english.kyodonews.net/news/2026/05/ntt-llm.html',
  guid: 'kyodo:ntt-llm',
  lang: 'en',
  published: '2026-05-10T03:00:00Z',
  title: 'NTT releases tsuzumi 2, a 30-billion-parameter Japanese LLM',
  summary: 'NTT said it has released tsuzumi 2, a domestic large language model, for Japanese companies.',
  content: '',
};
const irrelevant: FeedItem = {
  ...relevant,
  id: 'kyodo-2',
  url: 'https://english.kyodonews.net/news/2026/05/park.html',
  guid: 'kyodo:park',
  title: 'Local council meeting discusses park maintenance',
  summary: 'Residents talked about benches, trees and opening hours.',
};

describe('retention', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const c = core();
  const fresh = (name: string) => {
    const prefix = testPrefix(name);
    prefixes.push(prefix);
    return prefix;
  };
  const deps = (prefix: string, over: Partial<PipelineDeps> = {}): PipelineDeps => ({
    ...c,
    store: withSearchIndex(createRedisEventStore(redis, prefix), createSearchIndex(redis, prefix)),
    now: () => new Date('2026-05-10T04:00:00Z'),
    ...over,
  });
  /** The store's keys, named as under its tag ("item:…"), and the search index's ("{search}:ev:…"). */
  const keysOf = async (prefix: string) => {
    const base = `${prefix}${STORE_TAG}:`;
    return (await redis.keys(`${prefix}*`)).map((k) =>
      k.startsWith(base) ? k.slice(base.length) : k.slice(prefix.length),
    );
  };

  beforeAll(async () => {
    redis = await openTestRedis();
  });
  afterAll(async () => {
    for (const prefix of prefixes) await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('an irrelevant item and its URL/GUID markers expire; relevant ones stay; a profile lives as long as matching needs it', async () => {
    const prefix = fresh('retention-ttl');
    const d = deps(prefix, { irrelevantTtlMs: 30 * DAY });
    expect((await processItem(irrelevant, d)).status).toBe('irrelevant');
    const stored = await processItem(relevant, d);
    expect(stored.status).toBe('new-event');

    const keys = await keysOf(prefix);
    const ttl = async (suffix: string) => redis.pttl(`${prefix}${STORE_TAG}:${suffix}`);
    const [irrelevantItem] = keys.filter((k) => k.startsWith('item:'));
    expect(keys.filter((k) => k.startsWith('item:'))).toHaveLength(2);
    const expiring = await Promise.all(
      keys.filter((k) => /^(item|url|guid):/.test(k)).map(async (k) => [k, await ttl(k)] as const),
    );
    // Three keys of the irrelevant item expire within 30 days; the relevant item's three are kept.
    expect(expiring.filter(([, ms]) => ms > 29 * DAY && ms <= 30 * DAY)).toHaveLength(3);
    expect(expiring.filter(([, ms]) => ms === -1)).toHaveLength(3);
    expect(irrelevantItem).toBeDefined();
    if (stored.status !== 'new-event') return;
    expect(await ttl(`event:${stored.eventId}`)).toBe(-1);
    expect(await ttl(`prof:${stored.eventId}`)).toBeGreaterThan(13 * DAY);
    // Nothing written that nobody reads.
    expect(keys).not.toContain('items:seen');
    // Until it expires, the irrelevant item is recognised and never processed again.
    expect((await processItem({ ...irrelevant, id: 'again' }, d)).status).toBe('duplicate');
  });

  it('an event whose profile expired is still listed and shown whole', async () => {
    const prefix = fresh('retention-profile');
    const d = deps(prefix);
    const stored = await processItem(relevant, d);
    if (stored.status !== 'new-event') throw new Error('expected a new event');
    await redis.del(storeKeys(prefix).profile(stored.eventId));
    const event = await d.store.getEvent(stored.eventId);
    expect(event?.title).toBe(relevant.title);
    expect((await d.store.listEvents({})).map((e) => e.id)).toEqual([stored.eventId]);
  });

  it('a sweep removes events past retention with their articles, markers, indexes and search postings', async () => {
    const prefix = fresh('retention-sweep');
    const d = deps(prefix);
    const old = await processItem(relevant, d);
    const recent = await processItem(
      {
        ...relevant,
        id: 'nikkei-9',
        url: 'https://asia.nikkei.com/sakana-ai-fugaku',
        guid: 'nikkei:9',
        published: '2026-06-20T03:00:00Z',
        title: 'Sakana AI and RIKEN train a Japanese model on Fugaku',
        summary:
          'Sakana AI and RIKEN said they will train a domestic foundation model on the Fugaku supercomputer.',
      },
      { ...d, now: () => new Date('2026-06-20T04:00:00Z') },
    );
    if (old.status !== 'new-event' || recent.status !== 'new-event') throw new Error('expected two events');
    // The old event had absorbed another one, whose id resolves to it.
    const record = JSON.parse((await redis.get(storeKeys(prefix).event(old.eventId)))!) as Record<
      string,
      unknown
    >;
    await redis.set(
      storeKeys(prefix).event(old.eventId),
      JSON.stringify({ ...record, mergedFrom: ['e-absorbed'] }),
    );
    await redis.set(storeKeys(prefix).alias('e-absorbed'), old.eventId);
    const before = await keysOf(prefix);

    const search = createSearchIndex(redis, prefix);
    const removed = await pruneEvents(redis, prefix, Date.parse('2026-06-01T00:00:00Z'), (ids) =>
      search.remove(ids),
    );
    expect(removed).toEqual({ events: 1, items: 1 });

    const after = await keysOf(prefix);
    const gone = before.filter((k) => !after.includes(k));
    expect(gone.sort()).toEqual(
      expect.arrayContaining([`event:${old.eventId}`, `prof:${old.eventId}`, `{search}:ev:${old.eventId}`]),
    );
    expect(after.some((k) => k.includes(old.eventId))).toBe(false);
    expect(after).not.toContain('alias:e-absorbed');
    expect(after.filter((k) => /^(item|url|guid):/.test(k))).toHaveLength(3); // the recent event's article
    expect(await redis.zrange(storeKeys(prefix).updated, 0, -1)).toEqual([recent.eventId]);
    expect(await redis.zscore(storeKeys(prefix).company('ntt'), old.eventId)).toBeNull();
    expect(await redis.hget(storeKeys(prefix).versions, `e:${old.eventId}`)).toBeNull();
    expect((await search.search(textTerms('tsuzumi'), { offset: 0, limit: 10 })).ids).toEqual([]);
    expect((await search.search(textTerms('Fugaku'), { offset: 0, limit: 10 })).ids).toEqual([
      recent.eventId,
    ]);
    // The article of a removed event is new again if a feed still lists it.
    expect((await processItem(relevant, d)).status).toBe('new-event');
  });

  it('one process sweeps at a time, and nothing is swept while retention keeps events for good', async () => {
    const prefix = fresh('retention-lock');
    const log = logger.child({}, { level: 'silent' });
    const search = createSearchIndex(redis, prefix);
    await processItem(relevant, deps(prefix));
    expect(await sweepOnce({ redis, prefix, log, search, eventsDays: null })).toBe(0);
    await redis.set(storeKeys(prefix).retentionLock, 'other', 'EX', 60);
    expect(await sweepOnce({ redis, prefix, log, search, eventsDays: 1 })).toBeNull();
    await redis.del(storeKeys(prefix).retentionLock);
    expect(await sweepOnce({ redis, prefix, log, search, eventsDays: 1 })).toBe(1);
    expect(await redis.exists(storeKeys(prefix).retentionLock)).toBe(0);
  });
});
