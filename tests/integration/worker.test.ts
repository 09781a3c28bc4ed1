import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type FeedConfig } from '../../src/config/index.ts';
import type { EventRecord } from '../../src/core/types.ts';
import { toRss2 } from '../../src/feeds/local.ts';
import { itemJobResultSchema } from '../../src/queue/jobs.ts';
import { createQueues, type Queues } from '../../src/queue/queues.ts';
import { syncFeedSchedulers } from '../../src/queue/schedule.ts';
import { configDir, env, jsonLines, spawnAiwatch, syntheticItems, waitFor } from '../helpers/aiwatch.ts';
import { send, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { cleanup, openTestRedis, testPrefix, storedItemCount } from '../helpers/redis.ts';
import { storeKeys } from '../../src/store/keys.ts';

let redis: Redis;
let server: FeedServer;
const prefixes: string[] = [];
const newPrefix = (name: string) => {
  const prefix = testPrefix(name);
  prefixes.push(prefix);
  return prefix;
};

beforeAll(async () => {
  redis = await openTestRedis();
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

/** Every stored event, and the check that no item is in two events or twice in one. */
async function storedEvents(prefix: string): Promise<EventRecord[]> {
  const ids = await redis.zrange(storeKeys(prefix).updated, 0, -1);
  const events = ids.length ? await redis.mget(...ids.map(storeKeys(prefix).event)) : [];
  return events.map((json) => JSON.parse(json ?? 'null') as EventRecord);
}

/** Items reported by the completed item jobs (batches), each item once. */
/** Items settled by completed jobs: irrelevant ones by item jobs, relevant ones by their round's decide job. */
async function completedItems(queues: Queues): Promise<number> {
  const jobs = [...(await queues.items.getCompleted(0, -1)), ...(await queues.decide.getCompleted(0, -1))];
  const ids = jobs.flatMap((job) => itemJobResultSchema.parse(job.returnvalue).results.map((r) => r.itemId));
  return new Set(ids).size;
}

function feedOf(path: string, count: number, host: string): FeedConfig {
  server.route(path, send(toRss2(host, syntheticItems(count, host, host))));
  return { name: host, url: server.url(path), lang: 'en' };
}

describe('job schedulers', () => {
  it('keep one scheduler per configured feed at its interval and drop feeds removed from config', async () => {
    const prefix = newPrefix('schedulers');
    const queues = createQueues(redis, prefix);
    try {
      const feeds = (list: FeedConfig[]) => ({ defaults: { intervalMinutes: 10 }, feeds: list });
      const a = { name: 'A', url: 'https://a.example/feed', lang: 'en' as const };
      const b = { name: 'B', url: 'https://b.example/feed', lang: 'ja' as const, intervalMinutes: 30 };
      const c = { name: 'C', url: 'https://c.example/feed', lang: 'en' as const, intervalMinutes: 60 };
      await syncFeedSchedulers(queues.poll, feeds([a, b]));
      const first = await queues.poll.getJobSchedulers(0, -1, true);
      expect(first.map((s) => s.every).sort((x, y) => Number(x) - Number(y))).toEqual([600_000, 1_800_000]);

      const sync = await syncFeedSchedulers(queues.poll, feeds([b, c]));
      expect(sync.removed).toHaveLength(1);
      const second = await queues.poll.getJobSchedulers(0, -1, true);
      expect(second.map((s) => s.every).sort((x, y) => Number(x) - Number(y))).toEqual([
        1_800_000, 3_600_000,
      ]);
      const pending = await queues.poll.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(pending.map((job) => job.data.feed.name).sort()).not.toContain('A');
    } finally {
      await queues.poll.obliterate({ force: true });
      await queues.close();
    }
  });
});

describe('aiwatch start', () => {
  it('shares the work between two worker processes, each item processed once', async () => {
    const prefix = newPrefix('two-workers');
    const dir = configDir([feedOf('/shared.xml', 600, 'shared.example')], {
      concurrency: 4,
      maxItemsPerPoll: 1000,
    });
    const workers = [1, 2].map(() =>
      spawnAiwatch(['start', '--config', dir], env(prefix, { LOG_LEVEL: 'debug' })),
    );
    try {
      await waitFor(async () => (await storedItemCount(redis, prefix)) === 600, 20_000, '600 items stored');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const processed = workers.map((w) =>
        jsonLines(w.stderr()).filter((l) => l.msg === 'item processed' || l.msg === 'item decided'),
      );
      expect(processed[0]?.length).toBeGreaterThan(0);
      expect(processed[1]?.length).toBeGreaterThan(0);
      const urls = processed.flat().map((l) => l.url);
      expect(urls).toHaveLength(600);
      expect(new Set(urls).size).toBe(600);
    } finally {
      for (const w of workers) w.process.kill('SIGTERM');
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    }
  });

  it('loses nothing and counts nothing twice when a worker is killed with -9 mid-batch', async () => {
    const prefix = newPrefix('kill-9');
    const total = 1500;
    const dir = configDir([feedOf('/kill.xml', total, 'kill.example')], {
      concurrency: 8,
      maxItemsPerPoll: 5000,
    });
    const first = spawnAiwatch(['start', '--config', dir], env(prefix));
    await waitFor(async () => (await storedItemCount(redis, prefix)) >= 100, 30_000, 'the first 100 items');
    first.process.kill('SIGKILL');
    await first.exited;
    const atKill = await storedItemCount(redis, prefix);
    expect(atKill).toBeLessThan(total);
    const queues = createQueues(redis, prefix);
    try {
      expect(await queues.items.getActiveCount()).toBeGreaterThan(0); // jobs left locked by the dead worker

      const second = spawnAiwatch(['start', '--config', dir], env(prefix));
      await waitFor(
        async () => (await storedItemCount(redis, prefix)) === total,
        30_000,
        'every item stored',
      );
      await waitFor(async () => (await queues.items.getActiveCount()) === 0, 10_000, 'no job in hand');
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(second.stderr()).toMatch(/"msg":"stopped"/);

      expect(await queues.items.getFailedCount()).toBe(0);
      expect(await completedItems(queues)).toBe(total);
      const events = await storedEvents(prefix);
      const inEvents = events.flatMap((e) => e.itemIds);
      expect(new Set(inEvents).size).toBe(inEvents.length);
      expect(inEvents).toHaveLength(total / 5); // every fifth synthetic item is relevant
    } finally {
      await queues.close();
    }
  });

  it('finishes the jobs in hand on SIGTERM and exits 0', async () => {
    const prefix = newPrefix('sigterm');
    const dir = configDir([feedOf('/term.xml', 400, 'term.example')], { concurrency: 8 });
    const worker = spawnAiwatch(['start', '--config', dir], env(prefix));
    await waitFor(async () => (await storedItemCount(redis, prefix)) >= 20, 30_000, 'the first items');
    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const queues = createQueues(redis, prefix);
    try {
      expect(await queues.items.getActiveCount()).toBe(0);
      const done = await completedItems(queues);
      expect(await storedItemCount(redis, prefix)).toBe(done);
    } finally {
      await queues.close();
    }
    expect(loadConfig(dir).feeds.feeds).toHaveLength(1);
  });
});
