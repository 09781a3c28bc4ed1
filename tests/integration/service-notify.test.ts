/**
 * The running service (`aiwatch start` in-process): feed worker and notifications
 * wired together, against a local feed, a local Slack Web API and the real Redis.
 */
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/core/types.ts';
import { feedId } from '../../src/feeds/health.ts';
import { toRss2 } from '../../src/feeds/local.ts';
import { createQueues } from '../../src/queue/queues.ts';
import { startService } from '../../src/service/service.ts';
import { waitFor } from '../helpers/aiwatch.ts';
import { core } from '../helpers/fixtures.ts';
import { storedItemCount } from '../helpers/redis.ts';
import { hoursAgo, testConfig, useServiceHarness } from '../helpers/service-harness.ts';
import { feedKeys } from '../../src/feeds/keys.ts';

const h = useServiceHarness();

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

describe('alerts from the running service', () => {
  it("stores a new feed's backlog without alerting, then alerts a subscribed channel once on the next poll", async () => {
    const prefix = h.prefix('service-alerts');
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
    h.feeds.route('/alerts.xml', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(toRss2('Local News', items)),
    );
    const feed = { name: 'Local News', url: h.feeds.url('/alerts.xml'), lang: 'en' as const };
    const config = testConfig(feed, [{ id: 'slack:CALERTS', subscriptions: ['SoftBank'] }]);
    h.service = await startService({ config, core: core(), prefix, log: h.silent });

    // The first poll runs at start: the backlog is stored, nobody is alerted.
    await waitFor(async () => (await storedItemCount(h.redis, prefix)) === 2, 20_000, 'the backlog stored');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.slack.posts()).toHaveLength(0);

    items.unshift(
      article(
        3,
        'SoftBank unveils a Japanese large language model trained on domestic supercomputers',
        'The Japanese generative AI model from SoftBank targets government and enterprise users.',
        hoursAgo(1),
      ),
    );
    // The scheduler's next poll of the feed, brought forward.
    const queues = createQueues(h.redis, prefix);
    try {
      await queues.poll.add('poll', { feed });
    } finally {
      await queues.close();
    }
    await expect.poll(() => h.slack.posts().length, { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const posts = h.slack.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('CALERTS');
    expect(String(posts[0]!.body.text)).toMatch(/SoftBank/);
    expect(await storedItemCount(h.redis, prefix)).toBe(3);
  });
});

describe('operations reports from the running service', () => {
  it('reports a failing feed once per failure streak to every operations channel, and to no other', async () => {
    const prefix = h.prefix('service-ops');
    let failing = true;
    h.feeds.route('/flaky.xml', (_req, res) => {
      if (failing) return void res.writeHead(500).end('down');
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(toRss2('Flaky', []));
    });
    const feed = { name: 'Flaky Feed', url: h.feeds.url('/flaky.xml'), lang: 'en' as const };
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
    h.service = await startService({ config, core: core(), prefix, log: h.silent });
    const queues = createQueues(h.redis, prefix);
    const healthKey = feedKeys(prefix).health(feedId(feed.url));
    // The scheduler's next poll, brought forward (and the backoff after failures with it).
    const poll = async () => {
      await h.redis.hdel(healthKey, 'retryAt');
      await queues.poll.add('poll', { feed });
    };
    const reports = () => h.slack.posts().map((p) => [p.body.channel, String(p.body.text)]);
    try {
      await expect.poll(() => reports().length, { timeout: 15_000 }).toBe(2);
      const health = await h.redis.hgetall(healthKey);
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
        async () => Number(await h.redis.hget(healthKey, 'consecutiveFailures')) >= 2,
        10_000,
        'a second failure',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reports()).toHaveLength(2);

      // The feed recovers, then fails again: a new streak, a new report.
      failing = false;
      await poll();
      await waitFor(
        async () => (await h.redis.hget(healthKey, 'consecutiveFailures')) === '0',
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
