import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { processItem } from '../../src/pipeline/process-item.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { followStore } from '../../src/search/follow.ts';
import { indexLooksCurrent, reindexAll } from '../../src/search/reindex.ts';
import { planQuery } from '../../src/search/terms.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { core, seeds } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

describe('the search index follows the store', () => {
  let redis: Redis;
  const prefix = testPrefix('follow');
  beforeAll(async () => {
    redis = await openTestRedis();
  });
  afterAll(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('events stored without indexing become searchable after one follow-up, and reindex is idempotent', async () => {
    const c = core();
    const store = createRedisEventStore(redis, prefix);
    const index = createSearchIndex(redis, prefix);
    const follower = followStore(store, index, pino({ level: 'silent' }), { intervalMs: 60_000 });
    try {
      for (const item of seeds()) await processItem(item, { ...c, store });
      const mhi = planQuery('三菱重工', c.registry).terms;
      expect((await index.search(mhi, { offset: 0, limit: 10 })).ids).toEqual([]);
      expect(await indexLooksCurrent(store, index)).toBe(false);
      const stored = await store.countEvents();
      expect(stored).toBeGreaterThan(1);
      expect(await follower.tick()).toBe(stored);
      expect((await index.search(mhi, { offset: 0, limit: 10 })).total).toBe(1);
      expect(await follower.tick()).toBe(0);
      expect(await indexLooksCurrent(store, index)).toBe(true);
      expect(await reindexAll(store, index)).toBe(stored);
      expect((await index.search(mhi, { offset: 0, limit: 10 })).total).toBe(1);
    } finally {
      await follower.stop();
    }
  });

  it('stop() resolves only once the tick in flight has finished', async () => {
    const store = createRedisEventStore(redis, prefix);
    let release: () => void = () => {};
    let listing = false;
    const gated = Object.create(store) as typeof store;
    gated.listEvents = async (options) => {
      listing = true;
      await new Promise<void>((resolve) => (release = resolve));
      return store.listEvents(options);
    };
    const follower = followStore(gated, createSearchIndex(redis, prefix), pino({ level: 'silent' }), {
      intervalMs: 10,
    });
    await expect.poll(() => listing).toBe(true);
    let stopped = false;
    const stopping = follower.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
  });
});
