import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/index.ts';
import { createFeedHealthStore, type FeedHealth } from '../../src/feeds/health.ts';
import { pollFeed, type PollDeps } from '../../src/feeds/poll.ts';
import { logger } from '../../src/shared/log.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { feedFixture, send, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const prefix = testPrefix('feed-health');
const HOUR = 3_600_000;
const INTERVAL = 10 * 60_000;
let redis: Redis;
let server: FeedServer;
let healthy = false;

beforeAll(async () => {
  redis = await openTestRedis();
  server = await startFeedServer();
  server.route('/flaky', (req, res) =>
    healthy ? send(feedFixture('atom.xml'))(req, res) : res.writeHead(503).end(),
  );
});
afterAll(async () => {
  await server.close();
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('feed health, backoff and the operations report', () => {
  it('backs off a failing feed, reports it once after 24 h down, and recovers', async () => {
    const feed: FeedConfig = { name: 'Flaky', url: server.url('/flaky'), lang: 'en' };
    let clock = Date.parse('2026-04-01T00:00:00Z');
    const reports: FeedHealth[] = [];
    const enqueued: string[] = [];
    const deps: PollDeps = {
      store: createRedisEventStore(redis, prefix),
      health: createFeedHealthStore(redis, prefix),
      enqueue: async (items) => (enqueued.push(...items.map((i) => i.url)), items.map((i) => i.url)),
      jobStates: async (ids) => ids.map(() => 'done' as const),
      fetch: { connectTimeoutMs: 5000, fetchTimeoutMs: 10_000, maxBytes: 1_000_000, maxRedirects: 5 },
      maxItemsPerPoll: 500,
      alertAfterMs: 24 * HOUR,
      onFeedDown: (_feed, health) => void reports.push(health),
      log: logger.child({}, { level: 'silent' }),
      now: () => new Date(clock),
    };
    const poll = () => pollFeed(feed, INTERVAL, deps);

    expect(await poll()).toMatchObject({ status: 'failed', code: 'http' });
    clock += INTERVAL;
    expect(await poll()).toMatchObject({ status: 'failed' }); // 2nd failure: wait one extra interval
    clock += INTERVAL;
    expect(await poll()).toMatchObject({ status: 'skipped' });
    clock += INTERVAL;
    expect(await poll()).toMatchObject({ status: 'failed' }); // 3rd: skip three polls
    for (let skipped = 0; skipped < 3; skipped++) {
      clock += INTERVAL;
      expect(await poll()).toMatchObject({ status: 'skipped' });
    }
    const health = await deps.health.get(feed.url);
    expect(health).toMatchObject({ consecutiveFailures: 3, lastError: expect.stringMatching(/HTTP 503/) });
    expect(health.retryAt).toBe(clock - 3 * INTERVAL + 3.5 * INTERVAL);

    // Still down a day later: reported once, not on every poll after.
    clock = Date.parse('2026-04-02T00:00:01Z');
    await poll();
    clock += 7 * HOUR;
    await poll();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ url: feed.url, failingSince: '2026-04-01T00:00:00.000Z' });

    healthy = true;
    clock += 7 * HOUR;
    expect(await poll()).toMatchObject({ status: 'ok', queued: 2 });
    expect(await deps.health.get(feed.url)).toMatchObject({ consecutiveFailures: 0, itemsSeen: 2 });

    // A new streak is a new report.
    healthy = false;
    clock += HOUR;
    await poll();
    clock += 25 * HOUR;
    await poll();
    expect(reports).toHaveLength(2);
  });

  it('keeps a report that could not be queued due, and flags the streak only once it is queued', async () => {
    const feed: FeedConfig = { name: 'Down', url: server.url('/down-for-good'), lang: 'en' };
    server.route('/down-for-good', (_req, res) => void res.writeHead(500).end());
    let clock = Date.parse('2026-05-01T00:00:00Z');
    let queueUp = false;
    const queued: FeedHealth[] = [];
    const deps: PollDeps = {
      store: createRedisEventStore(redis, prefix),
      health: createFeedHealthStore(redis, prefix),
      enqueue: async () => [],
      jobStates: async (ids) => ids.map(() => 'done' as const),
      fetch: { connectTimeoutMs: 5000, fetchTimeoutMs: 10_000, maxBytes: 1_000_000, maxRedirects: 5 },
      maxItemsPerPoll: 500,
      alertAfterMs: 0,
      onFeedDown: (_feed, health) => {
        if (!queueUp) throw new Error('notify queue unavailable');
        queued.push(health);
      },
      log: logger.child({}, { level: 'silent' }),
      now: () => new Date(clock),
    };
    const poll = () => pollFeed(feed, INTERVAL, deps, { force: true });

    await poll();
    expect(queued).toHaveLength(0);
    expect((await deps.health.get(feed.url)).alertedAt).toBeUndefined();

    queueUp = true;
    clock += INTERVAL;
    await poll();
    expect(queued).toHaveLength(1);
    expect(await deps.health.get(feed.url)).toMatchObject({
      alertedAt: new Date(clock).toISOString(),
      failingSince: '2026-05-01T00:00:00.000Z',
    });
    clock += INTERVAL;
    await poll();
    expect(queued).toHaveLength(1);
    // A streak that has ended is not flagged by a late report of it.
    expect(await deps.health.markAlerted(feed.url, '2026-04-01T00:00:00.000Z', new Date(clock))).toBe(false);
  });

  it("counts the validators as done only once the poll's item jobs are: a lost job means a full fetch", async () => {
    const feed: FeedConfig = { name: 'Tagged', url: server.url('/tagged'), lang: 'en' };
    server.route('/tagged', (req, res) =>
      req.headers['if-none-match'] === '"v1"'
        ? void res.writeHead(304).end()
        : send(feedFixture('atom.xml'), { etag: '"v1"' })(req, res),
    );
    const states = new Map<string, 'done' | 'pending' | 'lost'>();
    let batch = 0;
    const deps: PollDeps = {
      store: createRedisEventStore(redis, prefix),
      health: createFeedHealthStore(redis, prefix),
      enqueue: async () => {
        const id = `job-${++batch}`;
        states.set(id, 'pending');
        return [id];
      },
      jobStates: async (ids) => ids.map((id) => states.get(id) ?? 'lost'),
      fetch: { connectTimeoutMs: 5000, fetchTimeoutMs: 10_000, maxBytes: 1_000_000, maxRedirects: 5 },
      maxItemsPerPoll: 500,
      alertAfterMs: HOUR,
      onFeedDown: () => {},
      log: logger.child({}, { level: 'silent' }),
    };
    const poll = () => pollFeed(feed, INTERVAL, deps, { force: true });
    const conditional = () =>
      server.requests.filter((r) => r.path === '/tagged').at(-1)?.headers['if-none-match'];

    expect(await poll()).toMatchObject({ status: 'ok', queued: 2 });
    expect((await deps.health.get(feed.url)).pendingJobs).toEqual(['job-1']);
    // Still queued (or in a crashed worker's hands, to be taken over): a 304 is safe.
    expect(await poll()).toMatchObject({ status: 'not-modified' });
    expect(conditional()).toBe('"v1"');
    // The job failed for good: the next poll reads the whole feed and queues its items again.
    states.set('job-1', 'lost');
    expect(await poll()).toMatchObject({ status: 'ok', queued: 2 });
    expect(conditional()).toBeUndefined();
    expect((await deps.health.get(feed.url)).pendingJobs).toEqual(['job-2']);
    states.set('job-2', 'done');
    expect(await poll()).toMatchObject({ status: 'not-modified' });
    expect(conditional()).toBe('"v1"');
    expect((await deps.health.get(feed.url)).pendingJobs).toEqual([]);
  });
});
