/**
 * Poll-to-stored throughput: 200 local RSS feeds × 50 items each, polled once
 * through the real path (fetch → parse → enqueue on BullMQ → item worker →
 * processItem → Redis store), timed until the last item is stored. Its own key
 * prefix, removed afterwards. BENCH_POLL_FEEDS / BENCH_POLL_ITEMS change the size,
 * BENCH_POLL_CONCURRENCY the item worker's concurrency (default: config/settings.yaml).
 */
import { randomUUID } from 'node:crypto';
import { deleteByPrefix, loadApp } from '../src/cli/context.ts';
import type { FeedItem } from '../src/core/types.ts';
import { serveItemsAsFeeds } from '../src/feeds/local.ts';
import { logger } from '../src/log.ts';
import { connectRedis } from '../src/redis.ts';
import { quitRedis } from '../src/worker/close.ts';
import { pollOnce } from '../src/worker/poll-once.ts';

const FEEDS = Number(process.env.BENCH_POLL_FEEDS ?? 200);
const ITEMS = Number(process.env.BENCH_POLL_ITEMS ?? 50);
const CONCURRENCY = process.env.BENCH_POLL_CONCURRENCY
  ? Number(process.env.BENCH_POLL_CONCURRENCY)
  : undefined;

const WORDS = (
  'harbor budget festival rainfall bridge museum railway school clinic market tourism orchard fishery ' +
  'stadium library river forecast election earthquake typhoon airport highway ferry temple castle garden ' +
  'factory warehouse retail pension housing tariff export import yen bond inflation wage hiring startup'
).split(' ');
const ACTORS = [
  'SoftBank',
  'NEC',
  'Fujitsu',
  'Preferred Networks',
  'Sakura Internet',
  'KDDI',
  'NTT',
  'Hitachi',
];

/** A deterministic pseudo-random sequence, so every run measures the same items. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Distinct stories: one in five about a Japanese AI actor, the rest everyday news. */
function items(): FeedItem[] {
  const random = rng(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const all: FeedItem[] = [];
  const start = Date.parse('2026-04-01T00:00:00Z');
  for (let f = 0; f < FEEDS; f++)
    for (let i = 0; i < ITEMS; i++) {
      const n = f * ITEMS + i;
      const relevant = n % 5 === 0;
      const title = relevant
        ? `${pick(ACTORS)} unveils Japanese language model for ${words(2)} (${n})`
        : `${words(4)} report ${n}`;
      const summary = relevant
        ? `The Japanese company said its generative AI model will serve ${words(3)} users from ${n % 97} GPUs.`
        : `Officials discussed ${words(6)} on day ${n % 31}.`;
      all.push({
        id: `${f}-${i}`,
        source: `Bench Feed ${f}`,
        url: `https://bench${f}.example/articles/${i}`,
        lang: 'en',
        published: new Date(start + n * 1000).toISOString(),
        title,
        summary,
        content: `${summary} ${words(80)}`,
      });
    }
  return all;
}

export default async function pollBench(): Promise<void> {
  const app = loadApp();
  const { core } = app;
  const worker = {
    ...app.config.settings.worker,
    concurrency: CONCURRENCY ?? app.config.settings.worker.concurrency,
  };
  const config = { ...app.config, settings: { ...app.config.settings, worker } };
  const redis = await connectRedis();
  const prefix = `aiwatch-bench:poll:${randomUUID().slice(0, 8)}:`;
  const local = await serveItemsAsFeeds(items());
  const feeds = { ...config.feeds, feeds: local.feeds };
  const log = logger.child({}, { level: 'warn' });
  try {
    const summary = await pollOnce({ config: { ...config, feeds }, core, redis, prefix, log }, feeds.feeds);
    const stored = await redis.zcard(`${prefix}items:seen`);
    const seconds = summary.ms / 1000;
    console.log(
      `poll: ${FEEDS} feeds × ${ITEMS} items = ${stored} items stored in ${seconds.toFixed(2)} s = ${Math.round(stored / seconds)} items/s end to end (concurrency ${config.settings.worker.concurrency}; ${summary.items.relevant} relevant, ${summary.events.new} events new, ${summary.events.updated} updated, ${summary.feeds.failed} feeds failed)`,
    );
  } finally {
    await local.close();
    await deleteByPrefix(redis, prefix);
    await quitRedis(redis);
  }
}
