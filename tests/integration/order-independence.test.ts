/**
 * The same items make the same events whatever the concurrency and the number of worker
 * processes: local feeds of the seeds and a held-out set, polled by `poll --once` at
 * worker.concurrency 1, 8 and 16, and with a second worker process (`start`) on the same Redis
 * taking jobs, all give the partition `replay --order published` gives for those items.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveItemsAsFeeds, type LocalFeeds } from '../../src/feeds/local.ts';
import { readItemsFile, type LabelledItem } from '../../src/replay/items-file.ts';
import { replay } from '../../src/replay/replay.ts';
import { FIXTURES } from '../../src/shared/paths.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { aiwatch, configDir, env, jsonLines, spawnAiwatch, waitFor } from '../helpers/aiwatch.ts';
import { core } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { join } from 'node:path';

let redis: Redis;
let local: LocalFeeds;
let items: LabelledItem[];
const prefixes: string[] = [];

/** A partition as sorted groups of article URLs (event ids differ between stores; groups must not). */
function partition(groups: Iterable<string[]>): string[][] {
  return [...groups]
    .map((urls) => [...urls].sort())
    .filter((urls) => urls.length)
    .sort((a, b) => a[0]!.localeCompare(b[0]!));
}

async function expected(): Promise<string[][]> {
  const lines = await replay(items, core(), createMemoryStore());
  const urlOf = new Map(items.map((item) => [item.id, item.url]));
  const groups = new Map<string, string[]>();
  for (const line of lines)
    if (line.event) groups.set(line.event, [...(groups.get(line.event) ?? []), urlOf.get(line.id)!]);
  return partition(groups.values());
}

async function stored(prefix: string): Promise<string[][]> {
  const { stdout } = await aiwatch(['events', '--json'], env(prefix));
  return partition(jsonLines(stdout).map((e) => (e.items as { url: string }[]).map((i) => i.url)));
}

beforeAll(async () => {
  redis = await openTestRedis();
  items = [
    ...readItemsFile(join(FIXTURES, 'seeds.jsonl')),
    ...readItemsFile(join(FIXTURES, 'heldout2.jsonl')),
  ];
  local = await serveItemsAsFeeds(items);
});

afterAll(async () => {
  await local.close();
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

describe('order-independent events', () => {
  it('poll --once at concurrency 1, 8 and 16 gives the partition replay --order published gives', async () => {
    const want = await expected();
    expect(want.length).toBeGreaterThan(10);
    for (const concurrency of [1, 8, 16]) {
      const prefix = testPrefix(`order-c${concurrency}`);
      prefixes.push(prefix);
      const dir = configDir(local.feeds, { concurrency });
      const run = await aiwatch(['poll', '--once', '--config', dir], env(prefix));
      expect(run.code, run.stderr).toBe(0);
      expect(await stored(prefix), `concurrency ${concurrency}`).toEqual(want);
    }
  });

  it('so does poll --once with a second worker process taking jobs from the same queues', async () => {
    const want = await expected();
    const prefix = testPrefix('order-two');
    prefixes.push(prefix);
    // The second process polls nothing itself (no feeds in its config): it only takes jobs.
    const other = spawnAiwatch(
      ['start', '--config', configDir([], { concurrency: 8 })],
      env(prefix, { PORT: '0' }),
    );
    try {
      await waitFor(() => /feed worker started/.test(other.stderr()), 15_000, 'the second worker');
      const run = await aiwatch(
        ['poll', '--once', '--config', configDir(local.feeds, { concurrency: 8 })],
        env(prefix),
      );
      expect(run.code, run.stderr).toBe(0);
      expect(await stored(prefix)).toEqual(want);
    } finally {
      other.process.kill('SIGTERM');
      await other.exited;
    }
  });
});
