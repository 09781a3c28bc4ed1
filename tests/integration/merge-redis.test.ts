/**
 * Event merges on the real Redis: Japan's AI Safety Institute launch, reported by five outlets in
 * two languages. Four reports arrive first and make two events (the English wires name no entity
 * the Japanese reports share strongly enough); the article that links them merges them, also
 * when two workers bring two such articles at once. Merged ids keep resolving.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/core/types.ts';
import { processItem, type PipelineDeps } from '../../src/pipeline/process-item.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { withSearchIndex } from '../../src/search/indexed-store.ts';
import { textTerms } from '../../src/search/terms.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { core, devset } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { storeKeys } from '../../src/store/keys.ts';

const byId = new Map(devset().map((item) => [item.id, item]));
const item = (id: string): FeedItem => byId.get(id)!;
/** Yomiuri, Kyodo, ITmedia, Japan Today: published in this order. */
const FIRST = ['d0080', 'd0151', 'd0059', 'd0114'];
const BRIDGE = 'd0077';

describe('event merges on Redis', () => {
  let one: Redis;
  let two: Redis;
  const prefixes: string[] = [];
  const c = core();
  const deps = (redis: Redis, prefix: string): PipelineDeps => ({
    ...c,
    store: withSearchIndex(createRedisEventStore(redis, prefix), createSearchIndex(redis, prefix)),
  });

  beforeAll(async () => {
    one = await openTestRedis();
    two = await openTestRedis();
  });
  afterAll(async () => {
    for (const prefix of prefixes) await cleanup(one, prefix);
    one.disconnect();
    two.disconnect();
  });

  it('two workers bringing bridging articles at once leave one event with every article; merged ids resolve', async () => {
    const prefix = testPrefix('merge');
    prefixes.push(prefix);
    const store = createRedisEventStore(one, prefix);
    const firstIds: string[] = [];
    for (const id of FIRST) {
      const result = await processItem(item(id), deps(one, prefix));
      if (result.status === 'new-event' || result.status === 'joined-event') firstIds.push(result.eventId);
    }
    const before = [...new Set(firstIds)];
    expect(before).toHaveLength(2); // the story is split until the linking article comes

    const bridge = item(BRIDGE);
    const copy: FeedItem = {
      ...bridge,
      id: 'copy',
      source: 'Yomiuri Online',
      url: 'https://example.jp/copy/japan-ai-safety-institute',
    };
    const results = await Promise.all([
      processItem(bridge, deps(one, prefix)),
      processItem(copy, deps(two, prefix)),
    ]);
    const ids = results.map((r) => ('eventId' in r ? r.eventId : null));
    expect(ids[0]).toBeTruthy();
    expect(ids[1]).toBe(ids[0]);

    const events = await store.listEvents({});
    expect(events).toHaveLength(1);
    const [survivor] = events;
    expect(survivor!.itemIds).toHaveLength(6);
    expect(survivor!.langs.sort()).toEqual(['en', 'ja']);
    const absorbed = before.filter((id) => id !== survivor!.id);
    expect(survivor!.mergedFrom).toEqual(absorbed);
    // The absorbed id resolves to the survivor, its articles now belong to it, its postings too.
    for (const id of before) expect((await store.getEvent(id))?.id).toBe(survivor!.id);
    const stored = await store.getItems(survivor!.itemIds);
    expect(stored.map((i) => i.event)).toEqual(Array(6).fill(survivor!.id));
    const search = createSearchIndex(one, prefix);
    expect((await search.search(textTerms('Kyodo'), { offset: 0, limit: 10 })).ids).toEqual([]);
    expect((await search.search(textTerms('safety'), { offset: 0, limit: 10 })).ids).toEqual([survivor!.id]);
    expect(await one.zrange(storeKeys(prefix).updated, 0, -1)).toEqual([survivor!.id]);
  });

  it('the memory store and Redis make the same events of the same stream, merges included', async () => {
    const prefix = testPrefix('merge-same');
    prefixes.push(prefix);
    const { createMemoryStore } = await import('../../src/store/memory-store.ts');
    const memory = { ...c, store: createMemoryStore() };
    const redisDeps = deps(one, prefix);
    const partition = async (d: PipelineDeps) => {
      const out: Record<string, string | null> = {};
      for (const id of [...FIRST, BRIDGE]) {
        const r = await processItem(item(id), d);
        out[id] = 'eventId' in r ? r.eventId : null;
      }
      for (const id of Object.keys(out)) out[id] = (await d.store.getEvent(out[id]!))?.id ?? null;
      return out;
    };
    expect(await partition(redisDeps)).toEqual(await partition(memory));
  });
});
