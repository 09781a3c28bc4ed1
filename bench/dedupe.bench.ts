/**
 * Dedupe against Redis holding 1,000, then 100,000, then 1,000,000 stored events.
 *
 * Synthetic events arrive at a constant rate (EVENTS_PER_DAY), so a bigger store
 * means a longer history, as it would in production; the items measured arrive
 * at the end of that history, one devset-sized batch of stories per 8 days. Per-item cost should stay flat because candidates
 * come from the time-windowed index, never from a scan. BENCH_DEDUPE_MAX caps the
 * largest size (e.g. 100000 for a quick run).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RedisClient } from '../src/redis/client.ts';
import { FIXTURES } from '../src/shared/paths.ts';
import { deleteByPrefix, loadApp } from '../src/cli/context.ts';
import { indexKeys } from '../src/core/cluster.ts';
import type { EventRecord, FeedItem, StoredItem } from '../src/core/types.ts';
import { processItem } from '../src/pipeline/process-item.ts';
import { connectRedis } from '../src/redis/connect.ts';
import { readItemsFile } from '../src/replay/items-file.ts';
import { createRedisEventStore, pipelineCommit } from '../src/store/redis-store.ts';

const EVENTS_PER_DAY = 500;
const DAY = 86_400_000;
const END = Date.parse('2026-11-01T00:00:00Z');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function syntheticEvent(
  n: number,
  total: number,
  entityIds: string[],
  random: () => number,
): { event: EventRecord; item: StoredItem } {
  const at = new Date(END - ((total - n) / EVENTS_PER_DAY) * DAY).toISOString();
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const entities: Record<string, number> = {};
  for (let i = 0; i < 2 + Math.floor(random() * 4); i++) entities[pick(entityIds)] = pick([3, 2, 1, 0.5]);
  const words = Array.from({ length: 10 }, () => `w${Math.floor(random() * 20_000)}`);
  const id = `e-syn${n}`;
  const itemId = `i-syn${n}`;
  const title = `Synthetic event ${n} ${words.slice(0, 4).join(' ')}`;
  const item: StoredItem = {
    id: itemId,
    inputId: itemId,
    url: `https://synthetic.example/${n}`,
    source: 'Synthetic',
    lang: 'en',
    title,
    summary: 'A synthetic item for the dedupe benchmark.',
    published: at,
    firstSeen: at,
    relevant: true,
    score: 5,
    companies: Object.keys(entities),
    reasons: ['synthetic'],
    terms: [],
    event: id,
  };
  const event: EventRecord = {
    id,
    title,
    titles: { en: title },
    firstSeen: at,
    lastSeen: at,
    updatedAt: at,
    sources: ['Synthetic'],
    langs: ['en'],
    companies: Object.keys(entities),
    itemIds: [itemId],
    reasons: ['synthetic'],
    profile: {
      entities,
      numbers: [`jpy:${(1 + Math.floor(random() * 900)) / 100}e+${9 + Math.floor(random() * 4)}`],
      names: random() < 0.3 ? [`model${Math.floor(random() * 5000)}`] : [],
      shingles: Array.from({ length: 30 }, () => `s${Math.floor(random() * 3000)}`),
      words,
    },
  };
  return { event, item };
}

async function load(
  redis: RedisClient,
  prefix: string,
  from: number,
  to: number,
  total: number,
  entityIds: string[],
) {
  const random = rng(from + 1);
  const batch = 2000;
  for (let start = from; start < to; start += batch) {
    const pipeline = redis.pipeline();
    for (let n = start; n < Math.min(to, start + batch); n++) {
      const { event, item } = syntheticEvent(n, total, entityIds, random);
      pipelineCommit(pipeline, prefix, {
        item,
        urlKey: `synthetic.example/${n}`,
        event,
        indexKeys: indexKeys(event.profile),
        versions: {},
      });
    }
    await pipeline.exec();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export default async function dedupeBench(): Promise<void> {
  const max = Number(process.env.BENCH_DEDUPE_MAX ?? 1_000_000);
  const sizes = [1_000, 100_000, 1_000_000].filter((s) => s <= max);
  const redis = await connectRedis();
  const { core } = loadApp();
  const entityIds = core.registry.entities.map((e) => e.id);
  const devset = readItemsFile(join(FIXTURES, 'devset.jsonl'));
  const runs: string[] = [];
  try {
    for (const size of sizes) {
      // Each size is a fresh store so the history length matches the count.
      const prefix = `aiwatch:bench:${randomUUID()}:`;
      runs.push(prefix);
      const store = createRedisEventStore(redis, prefix);
      const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
      const loadStart = performance.now();
      await load(redis, prefix, 0, size, size, entityIds);
      const loadSeconds = (performance.now() - loadStart) / 1000;
      const memoryAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

      // Measured items: devset articles under fresh URLs, each copy of the devset a
      // story of its own (copies 8 days apart, beyond the window), the newest at the
      // end of the synthetic history, where they meet the stored events.
      const items: FeedItem[] = Array.from({ length: 4000 }, (_, i) => {
        const source = devset[i % devset.length]!;
        const copy = Math.floor(i / devset.length);
        return {
          ...source,
          id: `b${i}`,
          url: `https://bench.example/${i}`,
          published: new Date(END - copy * 8 * DAY - (i % devset.length) * 60_000).toISOString(),
        };
      });
      const deps = { ...core, store, now: () => new Date(END) };
      const timings: number[] = [];
      for (const item of items.slice(0, 1000)) {
        const t = performance.now();
        await processItem(item, deps);
        timings.push(performance.now() - t);
      }
      timings.sort((a, b) => a - b);
      const mean = timings.reduce((a, b) => a + b, 0) / timings.length;

      // Throughput of classify + dedupe + store on one worker process with 16 items in flight.
      const rest = items.slice(1000);
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < rest.length) await processItem(rest[next++]!, deps);
        }),
      );
      const throughput = rest.length / ((performance.now() - t0) / 1000);
      console.log(
        `dedupe @ ${size.toLocaleString('en')} events: per item mean ${(mean * 1000).toFixed(0)} µs, p50 ${(percentile(timings, 50) * 1000).toFixed(0)} µs, p99 ${(percentile(timings, 99) * 1000).toFixed(0)} µs (sequential); ` +
          `${Math.round(throughput)} items/s classify+dedupe+store (16 in flight); Redis ${((memoryAfter - memoryBefore) / size).toFixed(0)} B/event; loaded in ${loadSeconds.toFixed(1)} s`,
      );
      await deleteByPrefix(redis, prefix);
    }
  } finally {
    for (const prefix of runs) await deleteByPrefix(redis, prefix);
    redis.disconnect();
  }
}
