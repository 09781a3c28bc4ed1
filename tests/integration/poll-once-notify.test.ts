/**
 * `poll --once` runs no poster: it queues the alerts of the items it stores and the
 * operations report of a feed down too long on the notify queue, under the service's
 * job ids, and a running `start` posts them, each once.
 */
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/core/types.ts';
import { feedId } from '../../src/feeds/health.ts';
import { toRss2 } from '../../src/feeds/local.ts';
import { createNotifyQueue } from '../../src/queue/queues.ts';
import { startService } from '../../src/service/service.ts';
import { pollOnce } from '../../src/worker/poll-once.ts';
import { core } from '../helpers/fixtures.ts';
import { hoursAgo, testConfig, useServiceHarness } from '../helpers/service-harness.ts';
import { feedKeys } from '../../src/feeds/keys.ts';

const h = useServiceHarness();

function article(n: number, title: string, summary: string): FeedItem {
  return {
    id: `n${n}`,
    source: 'Once News',
    url: `https://once.example/articles/${n}`,
    lang: 'en',
    published: hoursAgo(6 - n),
    title,
    summary,
    content: '',
  };
}

describe('poll --once and a running start', () => {
  it('queues the alerts of the items poll --once stores, and start posts each once', async () => {
    const prefix = h.prefix('once-alerts');
    const items = [
      article(
        1,
        'SoftBank opens a GPU data center in Hokkaido for Japanese language models',
        'SoftBank said the sovereign AI compute site will train domestic generative AI models.',
      ),
    ];
    h.feeds.route('/once.xml', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(toRss2('Once News', items)),
    );
    const feed = { name: 'Once News', url: h.feeds.url('/once.xml'), lang: 'en' as const };
    const config = testConfig(feed, [{ id: 'slack:CONCE', subscriptions: ['SoftBank'] }]);
    const app = h.app({ config, core: core(), redis: h.redis, prefix, log: h.silent });

    // The first poll of a feed is its backlog: stored, nothing to alert.
    expect((await pollOnce(app, [feed])).items.new).toBe(1);
    items.unshift(
      article(
        3,
        'SoftBank unveils a Japanese large language model trained on domestic supercomputers',
        'The Japanese generative AI model from SoftBank targets government and enterprise users.',
      ),
    );
    const summary = await pollOnce(app, [feed]);
    expect(summary.items).toMatchObject({ new: 1, relevant: 1 });
    const queue = createNotifyQueue(h.redis, prefix);
    try {
      const alerts = await queue.getJobs(['waiting']);
      expect(alerts.map((job) => job.name)).toEqual(['alert']);
      expect(alerts[0]!.id).toBe(`alert-${alerts[0]!.data.eventId}-${alerts[0]!.data.itemId}`);
    } finally {
      await queue.close();
    }

    h.service = await startService({ config, core: core(), prefix, log: h.silent });
    await expect.poll(() => h.slack.posts().length, { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.slack.posts()).toHaveLength(1);
    expect(h.slack.posts()[0]!.body.channel).toBe('CONCE');
    expect(String(h.slack.posts()[0]!.body.text)).toMatch(/Japan AI watch alert \(SoftBank\)/);
  });

  it('queues the report of a feed down too long instead of only logging it, and start posts it', async () => {
    const prefix = h.prefix('once-down');
    h.feeds.route('/down.xml', (_req, res) => void res.writeHead(500).end('down'));
    const feed = { name: 'Down Feed', url: h.feeds.url('/down.xml'), lang: 'en' as const };
    const config = testConfig(feed, [{ id: 'slack:COPSONCE', operations: true }], {
      feedFailureAlertHours: 0,
    });
    const summary = await pollOnce(h.app({ config, core: core(), redis: h.redis, prefix, log: h.silent }), [
      feed,
    ]);
    expect(summary.feeds.failed).toBe(1);
    const health = await h.redis.hgetall(feedKeys(prefix).health(feedId(feed.url)));
    expect(health.alertedAt).toBeDefined();
    const queue = createNotifyQueue(h.redis, prefix);
    try {
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs.map((job) => [job.name, job.data.url])).toEqual([['feed-down', feed.url]]);
    } finally {
      await queue.close();
    }

    // The service's own first poll fails too: the streak is already reported, posted once.
    h.service = await startService({ config, core: core(), prefix, log: h.silent });
    await expect.poll(() => h.slack.posts().length, { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(h.slack.posts().map((p) => [p.body.channel, String(p.body.text)])).toEqual([
      [
        'COPSONCE',
        `Feed Down Feed (${feed.url}) has been failing since ${health.failingSince}: ${health.lastError}`,
      ],
    ]);
  });
});
