/**
 * Poll-to-stored throughput: 200 local RSS feeds × 50 items each, polled once
 * through the real path (fetch → parse → enqueue on BullMQ → item worker →
 * processItem → Redis store), timed until the last item is stored. The items are
 * real articles (the devset, re-dated, see items()), about 630 events. Its own key
 * prefix, removed afterwards. BENCH_POLL_FEEDS / BENCH_POLL_ITEMS change the size,
 * BENCH_POLL_CONCURRENCY the item worker's concurrency (default: config/settings.yaml).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { deleteByPrefix, loadApp } from '../src/cli/context.ts';
import { FIXTURES } from '../src/shared/paths.ts';
import type { FeedItem } from '../src/core/types.ts';
import { serveItemsAsFeeds } from '../src/feeds/local.ts';
import { logger } from '../src/shared/log.ts';
import { connectRedis } from '../src/redis/connect.ts';
import { readItemsFile } from '../src/replay/items-file.ts';
import { quitRedis } from '../src/shared/lifecycle.ts';
import { pollOnce } from '../src/worker/poll-once.ts';
import { wireApp } from '../src/app/app.ts';

const FEEDS = Number(process.env.BENCH_POLL_FEEDS ?? 200);
const ITEMS = Number(process.env.BENCH_POLL_ITEMS ?? 50);
const CONCURRENCY = process.env.BENCH_POLL_CONCURRENCY
  ? Number(process.env.BENCH_POLL_CONCURRENCY)
  : undefined;

const DAY_MS = 86_400_000;
/** Copies of the devset are this far apart: further than the dedupe window, so no copy joins another's event. */
const COPY_SHIFT_MS = 30 * DAY_MS;

interface Pools {
  relevant: FeedItem[];
  other: FeedItem[];
}

/** The devset's real articles (English and Japanese), by language and label. */
function devsetPools(): Record<FeedItem['lang'], Pools> {
  const pools = { en: { relevant: [], other: [] }, ja: { relevant: [], other: [] } } as Record<
    FeedItem['lang'],
    Pools
  >;
  const rows = readItemsFile(join(FIXTURES, 'devset.jsonl')) as (FeedItem & { relevant?: boolean })[];
  for (const row of [...rows].sort((a, b) => a.published.localeCompare(b.published)))
    pools[row.lang][row.relevant ? 'relevant' : 'other'].push(row);
  return pools;
}

/**
 * Real news text: the devset's labelled articles (20 events of 1–7 outlets in two
 * languages, hard negatives included), re-published in copies a month apart under
 * new URLs, so the relevant items make many events of a few articles each, as
 * real news does (copies of one story never meet in the dedupe window). One item
 * in five is drawn from the relevant articles; one feed in three is Japanese.
 */
export function items(): FeedItem[] {
  const pools = devsetPools();
  const taken = { en: { relevant: 0, other: 0 }, ja: { relevant: 0, other: 0 } };
  const all: FeedItem[] = [];
  for (let f = 0; f < FEEDS; f++) {
    const lang: FeedItem['lang'] = f % 3 === 2 ? 'ja' : 'en';
    for (let i = 0; i < ITEMS; i++) {
      const kind = (f * ITEMS + i) % 5 === 0 ? 'relevant' : 'other';
      const pool = pools[lang][kind];
      const n = taken[lang][kind]++;
      const original = pool[n % pool.length]!;
      const copy = Math.floor(n / pool.length);
      all.push({
        id: `${f}-${i}`,
        source: `Bench Feed ${f}`,
        url: `https://bench${f}.example/articles/${i}`,
        lang,
        published: new Date(Date.parse(original.published) + copy * COPY_SHIFT_MS).toISOString(),
        title: original.title,
        summary: original.summary,
        content: original.content,
      });
    }
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
    const app = wireApp({ config: { ...config, feeds }, core, redis, prefix, log });
    const summary = await pollOnce(app, feeds.feeds).finally(() => app.close());
    const stored = summary.items.new;
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
