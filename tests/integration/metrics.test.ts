/** GET /metrics: what the service counted, scraped as Prometheus would. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRss2 } from '../../src/feeds/local.ts';
import { createPrometheusMetrics } from '../../src/metrics/prometheus.ts';
import { withPostMetrics } from '../../src/chat/posters.ts';
import { DeliveryError, type ChatPoster } from '../../src/chat/poster.ts';
import { configDir, env, jsonLines, spawnAiwatch, syntheticItems, waitFor } from '../helpers/aiwatch.ts';
import { send, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

let redis: Redis;
let feeds: FeedServer;
const prefixes: string[] = [];
const newPrefix = (name: string) => {
  const prefix = testPrefix(name);
  prefixes.push(prefix);
  return prefix;
};
const noChat = {
  SLACK_SIGNING_SECRET: '',
  DISCORD_PUBLIC_KEY: '',
  SLACK_BOT_TOKEN: '',
  DISCORD_BOT_TOKEN: '',
};

beforeAll(async () => {
  [redis, feeds] = await Promise.all([openTestRedis(), startFeedServer()]);
});
afterAll(async () => {
  await feeds.close();
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

/** The value of one sample, e.g. sample(text, 'aiwatch_items_processed_total{outcome="new"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts the items, events and polls of a poll, with queue depths, Redis and the process', async () => {
    const host = 'metrics.example';
    const items = syntheticItems(25, host, host); // every fifth one relevant
    feeds.route('/metrics.xml', send(toRss2(host, items)));
    const dir = configDir([{ name: host, url: feeds.url('/metrics.xml'), lang: 'en' }]);
    const child = spawnAiwatch(
      ['start', '--config', dir],
      env(newPrefix('metrics'), { PORT: '0', ...noChat }),
    );
    try {
      let port = 0;
      await waitFor(
        () => {
          const listening = jsonLines(child.stderr()).find((l) => l.msg === 'command server listening');
          port = Number(listening?.port ?? 0);
          return port > 0;
        },
        30_000,
        'the server to listen',
      );
      let text = '';
      await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/metrics`);
          expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
          text = await res.text();
          return sample(text, 'aiwatch_items_processed_total{outcome="new"}') === 25;
        },
        30_000,
        'the 25 items counted',
      );
      expect(sample(text, 'aiwatch_items_processed_total{outcome="duplicate"}')).toBe(0);
      expect(sample(text, 'aiwatch_items_judged_total{relevance="relevant"}')).toBe(5);
      expect(sample(text, 'aiwatch_items_judged_total{relevance="irrelevant"}')).toBe(20);
      const created = sample(text, 'aiwatch_events_total{change="created"}') ?? 0;
      const updated = sample(text, 'aiwatch_events_total{change="updated"}') ?? 0;
      expect(created).toBeGreaterThan(0);
      expect(created + updated).toBe(5);
      expect(sample(text, 'aiwatch_feed_polls_total{outcome="ok",kind=""}')).toBe(1);
      for (const queue of ['poll', 'items', 'notify'])
        for (const state of ['waiting', 'active', 'delayed', 'failed'])
          expect(
            sample(text, `aiwatch_queue_jobs{queue="${queue}",state="${state}"}`),
          ).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'aiwatch_queue_jobs{queue="items",state="failed"}')).toBe(0);
      expect(sample(text, 'aiwatch_redis_roundtrip_seconds')).toBeGreaterThan(0);
      expect(sample(text, 'aiwatch_process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      child.process.kill('SIGTERM');
    }
    expect(await child.exited).toBe(0);
  });

  it('counts posts by platform and outcome, 429s and the delivery latency', async () => {
    const prometheus = createPrometheusMetrics({ redis, prefix: newPrefix('metrics-posts') });
    const base: ChatPoster<string> = {
      kind: 'slack',
      renderDigest: () => [],
      renderAlert: () => [],
      renderNotice: (text) => [text],
      idempotentResend: () => false,
      verify: async () => 'test',
      async post(_channel, message) {
        if (message === 'gone')
          throw new DeliveryError('channel_not_found', 'slack', true, 'channel_not_found');
        if (message === 'busy')
          throw new DeliveryError('Slack rate limit', 'slack', false, 'ratelimited', 429);
      },
    };
    const poster = withPostMetrics(base, 'slack', prometheus.metrics);
    await poster.post('C1', 'hello');
    await poster.post('C1', 'again');
    await expect(poster.post('C1', 'gone')).rejects.toThrow('channel_not_found');
    await expect(poster.post('C1', 'busy')).rejects.toThrow('rate limit');
    prometheus.metrics.rateLimited('slack');
    const { body } = await prometheus.render();
    await prometheus.close();
    expect(sample(body, 'aiwatch_posts_total{platform="slack",outcome="ok"}')).toBe(2);
    expect(sample(body, 'aiwatch_posts_total{platform="slack",outcome="failed-permanent"}')).toBe(1);
    expect(sample(body, 'aiwatch_posts_total{platform="slack",outcome="failed-temporary"}')).toBe(1);
    expect(sample(body, 'aiwatch_rate_limited_total{platform="slack"}')).toBe(1);
    expect(sample(body, 'aiwatch_delivery_latency_seconds_count{platform="slack"}')).toBe(2);
  });
});
