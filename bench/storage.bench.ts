/**
 * Redis bytes per stored item and per event: the devset ×COPIES (fresh URLs, stories a day
 * apart) through the worker's pipeline into an empty prefix, then every key measured with
 * MEMORY USAGE and grouped by what it holds. Also the whole server's used_memory delta per
 * item, which counts what MEMORY USAGE does not (expiry entries, allocator overhead).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RedisClient } from '../src/redis/client.ts';
import { deleteByPrefix, loadApp } from '../src/cli/context.ts';
import type { FeedItem } from '../src/core/types.ts';
import { processItem, type PipelineDeps } from '../src/pipeline/process-item.ts';
import { connectRedis } from '../src/redis/connect.ts';
import { readItemsFile } from '../src/replay/items-file.ts';
import { createSearchIndex } from '../src/search/index.ts';
import { withSearchIndex } from '../src/search/indexed-store.ts';
import { createRedisEventStore } from '../src/store/redis-store.ts';
import { quitRedis } from '../src/shared/lifecycle.ts';
import { SEARCH_TAG } from '../src/search/keys.ts';
import { STORE_TAG, storeKeys } from '../src/store/keys.ts';

const COPIES = Number(process.env.BENCH_STORAGE_COPIES ?? 20);
const DAY = 86_400_000;

async function usedMemory(redis: RedisClient): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** Sum of MEMORY USAGE per key class (the part of the key name before the first colon after the prefix). */
async function bytesByClass(
  redis: RedisClient,
  prefix: string,
): Promise<Map<string, { keys: number; bytes: number }>> {
  const classes = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 2000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      // Each store's keys under its hash tag; the search index's are named s:t, s:ev here.
      const rest = key.slice(prefix.length).replace(`${STORE_TAG}:`, '').replace(`${SEARCH_TAG}:`, 's:');
      const [first = rest, second = ''] = rest.split(':');
      const name = first === 's' ? `s:${second}` : first;
      const entry = classes.get(name) ?? { keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += Number(sizes[i]?.[1] ?? 0);
      classes.set(name, entry);
    });
  } while (cursor !== '0');
  return classes;
}

export default async function storageBench(): Promise<void> {
  const { config, core } = loadApp();
  const redis = await connectRedis();
  const prefix = `aiwatch-bench-storage:${randomUUID().slice(0, 8)}:`;
  const devset = readItemsFile(join(import.meta.dirname, '..', 'tests', 'fixtures', 'devset.jsonl'));
  const items: FeedItem[] = [];
  for (let copy = 0; copy < COPIES; copy++)
    for (const item of devset)
      items.push({
        ...item,
        id: `${item.id}-c${copy}`,
        url: `${item.url}${item.url.includes('?') ? '&' : '?'}copy=${copy}`,
        ...(item.guid ? { guid: `${item.guid}-c${copy}` } : {}),
        published: new Date(Date.parse(item.published) + copy * 11 * DAY).toISOString(),
      });
  const retentionDays = (config.settings as { retention?: { irrelevantItemsDays?: number | null } }).retention
    ?.irrelevantItemsDays;
  const deps: PipelineDeps = {
    analyser: core.analyser,
    classify: core.classify,
    dedupe: core.dedupe,
    store: withSearchIndex(createRedisEventStore(redis, prefix), createSearchIndex(redis, prefix)),
    ...(retentionDays ? { irrelevantTtlMs: retentionDays * DAY } : {}),
  } as PipelineDeps;
  try {
    const before = await usedMemory(redis);
    let relevant = 0;
    let irrelevant = 0;
    for (const item of items) {
      const result = await processItem(item, deps);
      if (result.status === 'irrelevant') irrelevant++;
      else if (result.status !== 'duplicate') relevant++;
    }
    const after = await usedMemory(redis);
    const classes = await bytesByClass(redis, prefix);
    const events = classes.get('event')?.keys ?? 0;
    const sum = (...names: string[]) => names.reduce((s, n) => s + (classes.get(n)?.bytes ?? 0), 0);
    const itemBytes = sum('item', 'url', 'guid', 'items');
    const eventBytes = sum('event', 'prof', 'company', 'idx', 'iv', 'ver', 'events', 's:t', 's:ev');
    console.log(
      `${items.length} items (${relevant} relevant, ${irrelevant} irrelevant) → ${events} events; ` +
        `used_memory +${Math.round((after - before) / items.length)} B per item`,
    );
    for (const [name, { keys, bytes }] of [...classes].sort((a, b) => b[1].bytes - a[1].bytes))
      console.log(`  ${name.padEnd(16)} ${String(keys).padStart(6)} keys ${String(bytes).padStart(10)} B`);
    console.log(
      `per item (item, url, guid, items:seen): ${Math.round(itemBytes / items.length)} B; ` +
        `per event (event, profile, indexes, search): ${Math.round(eventBytes / events)} B, ` +
        `of which the profile ${Math.round(sum('prof') / events)} B`,
    );
    const ttls = await Promise.all(
      ['item', 'prof'].map(async (name) => {
        const pattern = name === 'item' ? storeKeys(prefix).item('*') : storeKeys(prefix).profile('*');
        const [, keys] = await redis.scan('0', 'MATCH', pattern, 'COUNT', 5000);
        const expiring = (await Promise.all(keys.map((k) => redis.pttl(k)))).filter((t) => t > 0).length;
        return `${name}: ${expiring} of ${keys.length} sampled keys expire`;
      }),
    );
    console.log(`expiry: ${ttls.join('; ')}`);
  } finally {
    await deleteByPrefix(redis, prefix);
    await quitRedis(redis);
  }
}
