/**
 * Crash safety of `poll --once`: whatever moment a run is killed with -9, the next run, let
 * finish, leaves exactly the items an undisturbed run stores — none missing, none twice —
 * with fast and slow feed servers, with and without ETags. Real child processes, real Redis.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/index.ts';
import { toRss2 } from '../../src/feeds/local.ts';
import { aiwatch, configDir, env, spawnAiwatch, syntheticItems, waitFor } from '../helpers/aiwatch.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { storeKeys } from '../../src/store/keys.ts';

const FEEDS = 16;
const PER_FEED = 80;
const TOTAL = FEEDS * PER_FEED;

let redis: Redis;
let server: FeedServer;
const prefixes: string[] = [];

interface Variant {
  name: string;
  /** Milliseconds before each feed answers. */
  delayMs: number;
  etag: boolean;
}

/** Feeds under /<variant>/<n>.xml; with etag they answer 304 to a matching If-None-Match. */
function feedsFor(variant: Variant): FeedConfig[] {
  return Array.from({ length: FEEDS }, (_, n) => {
    const path = `/${variant.name}/${n}.xml`;
    const body = toRss2(`Feed ${n}`, syntheticItems(PER_FEED, `Feed ${n}`, `f${n}.${variant.name}.example`));
    server.route(path, (req, res) => {
      setTimeout(() => {
        if (variant.etag && req.headers['if-none-match'] === `"${n}"`) return void res.writeHead(304).end();
        const headers: Record<string, string> = { 'content-type': 'application/rss+xml' };
        if (variant.etag) headers.etag = `"${n}"`;
        res.writeHead(200, headers).end(body);
      }, variant.delayMs);
    });
    return { name: `Feed ${n}`, url: server.url(path), lang: 'en' };
  });
}

/** Every stored item's URL (read from the item records: what a user could find). */
async function storedUrls(prefix: string): Promise<string[]> {
  const urls: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', storeKeys(prefix).itemPattern, 'COUNT', 1000);
    cursor = next;
    const values = keys.length ? await redis.mget(keys) : [];
    for (const value of values) if (value) urls.push((JSON.parse(value) as { url: string }).url);
  } while (cursor !== '0');
  return urls;
}

beforeAll(async () => {
  redis = await openTestRedis();
  server = await startFeedServer();
});

afterAll(async () => {
  await server.close();
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

describe('poll --once after a kill -9', () => {
  const variants: (Variant & { killWhen: 'fetching' | 'processing'; killed: 'poll' | 'start' })[] = [
    { name: 'fast-etag', delayMs: 0, etag: true, killWhen: 'processing', killed: 'poll' },
    { name: 'slow-etag', delayMs: 300, etag: true, killWhen: 'processing', killed: 'poll' },
    { name: 'slow-plain', delayMs: 300, etag: false, killWhen: 'processing', killed: 'poll' },
    { name: 'slow-etag-early', delayMs: 600, etag: true, killWhen: 'fetching', killed: 'poll' },
    { name: 'start-etag', delayMs: 100, etag: true, killWhen: 'processing', killed: 'start' },
  ];

  for (const variant of variants) {
    it(`stores every item exactly once: ${variant.name} server, ${variant.killed} killed while ${variant.killWhen}`, async () => {
      const prefix = testPrefix(`poll-crash-${variant.name}`);
      prefixes.push(prefix);
      // One item job at a time, so that most of the work is still queued when the kill comes.
      const dir = configDir(feedsFor(variant), { concurrency: 1, lockDurationMs: 3000 });
      const args = variant.killed === 'poll' ? ['poll', '--once'] : ['start'];
      const first = spawnAiwatch([...args, '--config', dir], env(prefix, { PORT: '0' }));
      if (variant.killWhen === 'fetching')
        await waitFor(
          () => server.requests.some((r) => r.path.startsWith(`/${variant.name}/`)),
          30_000,
          'the first feed request',
        );
      else await waitFor(async () => (await storedUrls(prefix)).length >= 40, 60_000, 'the first items');
      first.process.kill('SIGKILL');
      await first.exited;
      const atKill = (await storedUrls(prefix)).length;
      expect(atKill).toBeLessThan(TOTAL);

      const rerun = await aiwatch(['poll', '--once', '--json', '--config', dir], env(prefix));
      expect(rerun.code, rerun.stderr).toBe(0);
      const summary = JSON.parse(rerun.stdout) as { leftover: { items: number } };

      const urls = await storedUrls(prefix);
      expect(new Set(urls).size).toBe(urls.length);
      expect(urls).toHaveLength(TOTAL);
      if (variant.killWhen === 'processing') {
        expect(summary.leftover.items).toBeGreaterThan(0);
        // The dead worker's job in hand is taken over, and that is said once, with a count.
        expect(rerun.stderr).toMatch(/took over 1 job\(s\) from a worker that stopped/);
      }
    });
  }
});
