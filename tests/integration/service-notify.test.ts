/**
 * The running service (`aiwatch start` in-process): feed worker and notifications
 * wired together, against a local feed, a local Slack Web API and the real Redis.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AppConfig, type FeedConfig } from '../../src/config/index.ts';
import { channelSchema } from '../../src/config/schemas.ts';
import type { FeedItem } from '../../src/core/types.ts';
import { feedId } from '../../src/feeds/health.ts';
import { toRss2 } from '../../src/feeds/local.ts';
import { logger } from '../../src/log.ts';
import { createQueues } from '../../src/queue/queues.ts';
import { startService, type Service } from '../../src/service.ts';
import { waitFor } from '../helpers/aiwatch.ts';
import { startSlackServer, type ChatServer } from '../helpers/chat-servers.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { core } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

let redis: Redis;
let feeds: FeedServer;
let slack: ChatServer & { apiUrl: string };
let service: Service | undefined;
const prefixes: string[] = [];
const silent = logger.child({}, { level: 'silent' });
const savedEnv = { ...process.env };

beforeAll(async () => {
  [redis, feeds, slack] = await Promise.all([openTestRedis(), startFeedServer(), startSlackServer()]);
  for (const name of Object.keys(process.env)) if (/^(SLACK_|DISCORD_)/.test(name)) delete process.env[name];
  process.env.PORT = '0';
  process.env.SLACK_BOT_TOKEN = 'xoxb-test';
  process.env.SLACK_API_URL = slack.apiUrl;
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  slack.reset();
});
afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([feeds.close(), slack.close()]);
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

function article(n: number, title: string, summary: string, published: string): FeedItem {
  return {
    id: `n${n}`,
    source: 'Local News',
    url: `https://news.example/articles/${n}`,
    lang: 'en',
    published,
    title,
    summary,
    content: '',
  };
}

/** The real config with one feed, the given channels and worker settings. */
function testConfig(
  feed: FeedConfig,
  channels: Record<string, unknown>[],
  worker: Partial<AppConfig['settings']['worker']> = {},
): AppConfig {
  const config = loadConfig();
  return {
    ...config,
    feeds: { ...config.feeds, feeds: [feed] },
    channels: { ...config.channels, channels: channels.map((c) => channelSchema.parse(c)) },
    settings: {
      ...config.settings,
      worker: { ...config.settings.worker, fetchTimeoutMs: 1500, connectTimeoutMs: 1000, ...worker },
    },
  };
}

describe('alerts from the running service', () => {
  it("stores a new feed's backlog without alerting, then alerts a subscribed channel once on the next poll", async () => {
    const prefix = testPrefix('service-alerts');
    prefixes.push(prefix);
    const items = [
      article(
        1,
        'SoftBank opens a GPU data center in Hokkaido for Japanese language models',
        'SoftBank said the sovereign AI compute site will train domestic generative AI models.',
        hoursAgo(5),
      ),
      article(
        2,
        'Local council discusses park maintenance',
        'Benches, trees and opening hours.',
        hoursAgo(4),
      ),
    ];
    feeds.route('/alerts.xml', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(toRss2('Local News', items)),
    );
    const feed = { name: 'Local News', url: feeds.url('/alerts.xml'), lang: 'en' as const };
    const config = testConfig(feed, [{ id: 'slack:CALERTS', subscriptions: ['SoftBank'] }]);
    service = await startService({ config, core: core(), prefix, log: silent });

    // The first poll runs at start: the backlog is stored, nobody is alerted.
    await waitFor(async () => (await redis.zcard(`${prefix}items:seen`)) === 2, 20_000, 'the backlog stored');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slack.posts()).toHaveLength(0);

    items.unshift(
      article(
        3,
        'SoftBank unveils a Japanese large language model trained on domestic supercomputers',
        'The Japanese generative AI model from SoftBank targets government and enterprise users.',
        hoursAgo(1),
      ),
    );
    // The scheduler's next poll of the feed, brought forward.
    const queues = createQueues(redis, prefix);
    try {
      await queues.poll.add('poll', { feed });
    } finally {
      await queues.close();
    }
    await expect.poll(() => slack.posts().length, { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const posts = slack.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('CALERTS');
    expect(String(posts[0]!.body.text)).toMatch(/SoftBank/);
    expect(await redis.zcard(`${prefix}items:seen`)).toBe(3);
  });
});

describe('operations reports from the running service', () => {
  it('reports a failing feed once per failure streak to every operations channel, and to no other', async () => {
    const prefix = testPrefix('service-ops');
    prefixes.push(prefix);
    let failing = true;
    feeds.route('/flaky.xml', (_req, res) => {
      if (failing) return void res.writeHead(500).end('down');
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(toRss2('Flaky', []));
    });
    const feed = { name: 'Flaky Feed', url: feeds.url('/flaky.xml'), lang: 'en' as const };
    const config = testConfig(
      feed,
      [
        { id: 'slack:COPS1', operations: true },
        { id: 'slack:COPS2', operations: true },
        { id: 'slack:CNEWS' },
      ],
      // Any failure streak is long enough to report.
      { feedFailureAlertHours: 0 },
    );
    service = await startService({ config, core: core(), prefix, log: silent });
    const queues = createQueues(redis, prefix);
    const healthKey = `${prefix}feed:${feedId(feed.url)}`;
    // The scheduler's next poll, brought forward (and the backoff after failures with it).
    const poll = async () => {
      await redis.hdel(healthKey, 'retryAt');
      await queues.poll.add('poll', { feed });
    };
    const reports = () => slack.posts().map((p) => [p.body.channel, String(p.body.text)]);
    try {
      await expect.poll(() => reports().length, { timeout: 15_000 }).toBe(2);
      const health = await redis.hgetall(healthKey);
      const line = `Feed Flaky Feed (${feed.url}) has been failing since ${health.failingSince}: ${health.lastError}`;
      expect(
        reports()
          .map(([channel]) => channel)
          .sort(),
      ).toEqual(['COPS1', 'COPS2']);
      expect(health.lastError).toMatch(/HTTP 500/);
      for (const [, text] of reports()) expect(text).toBe(line);

      // The same streak goes on: nothing more.
      await poll();
      await waitFor(
        async () => Number(await redis.hget(healthKey, 'consecutiveFailures')) >= 2,
        10_000,
        'a second failure',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reports()).toHaveLength(2);

      // The feed recovers, then fails again: a new streak, a new report.
      failing = false;
      await poll();
      await waitFor(
        async () => (await redis.hget(healthKey, 'consecutiveFailures')) === '0',
        10_000,
        'a success',
      );
      failing = true;
      await poll();
      await expect.poll(() => reports().length, { timeout: 15_000 }).toBe(4);
    } finally {
      await queues.close();
    }
  });
});
