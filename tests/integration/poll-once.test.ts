import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/index.ts';
import { toRss2 } from '../../src/feeds/local.ts';
import { aiwatch, configDir, env, jsonLines, syntheticItems } from '../helpers/aiwatch.ts';
import {
  encodedFixture,
  feedFixture,
  send,
  startFeedServer,
  type FeedServer,
} from '../helpers/feed-server.ts';
import { seeds } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix, storedItemCount } from '../helpers/redis.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { storeKeys } from '../../src/store/keys.ts';

const prefix = testPrefix('poll-once');
let redis: Redis;
let server: FeedServer;
let dir: string;
let good: FeedConfig[];
let bad: FeedConfig[];
const seedItems = seeds();

beforeAll(async () => {
  redis = await openTestRedis();
  server = await startFeedServer();
  const bySource = new Map<string, typeof seedItems>();
  for (const item of seedItems) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
  good = [...bySource].map(([source, items], i) => {
    server.route(`/seed${i}.xml`, (req, res) => {
      if (req.headers['if-none-match'] === `"seed${i}"`) return void res.writeHead(304).end();
      res
        .writeHead(200, { 'content-type': 'application/rss+xml', etag: `"seed${i}"` })
        .end(toRss2(source, items));
    });
    return { name: source, url: server.url(`/seed${i}.xml`), lang: items[0]?.lang ?? 'en' };
  });
  server.route(
    '/sjis.rdf',
    send(encodedFixture('rdf-sjis.xml', 'Shift_JIS'), { 'content-type': 'application/rdf+xml' }),
  );
  server.route('/atom.xml', send(feedFixture('atom.xml')));
  server.route('/big.xml', send(toRss2('Big', syntheticItems(10_000, 'Big', 'big.example'))));
  good.push(
    { name: 'テック日報', url: server.url('/sjis.rdf'), lang: 'ja' },
    { name: 'Atom Example', url: server.url('/atom.xml'), lang: 'en' },
    { name: 'Big', url: server.url('/big.xml'), lang: 'en' },
  );
  server.route('/500', send('error', {}, 500));
  server.route('/hang', () => {});
  server.route('/page', send(feedFixture('page.html'), { 'content-type': 'text/html' }));
  // Not XML at all: an ill-formed feed (malformed.xml) is recovered, as feedparser recovers it.
  server.route('/broken', send('just some text, not xml'));
  server.route('/empty', send(''));
  server.route('/huge', send(Buffer.alloc(50 * 1024 * 1024, ' ')));
  bad = ['/missing', '/500', '/hang', '/page', '/broken', '/empty', '/huge'].map((path) => ({
    name: `Bad ${path}`,
    url: server.url(path),
    lang: 'en',
  }));
  // /hang fails by this timeout; the others, the 10,000-entry feed among them, must be read well
  // within it even on a loaded machine (800 ms was not always enough).
  dir = configDir([...good, ...bad], { fetchTimeoutMs: 5000 });
});

afterAll(async () => {
  await server.close();
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('aiwatch poll --once', () => {
  it('polls every feed, reports the bad ones and exits 0 with a summary', async () => {
    const { code, stdout, stderr } = await aiwatch(['poll', '--once', '--config', dir], env(prefix));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^feeds: 8 ok, 0 not modified, 7 failed$/m);
    // 5 seeds + 3 Shift_JIS + 2 Atom + the newest 500 of the big feed.
    expect(stdout).toMatch(/^items: 510 new, 0 duplicate, \d+ relevant$/m);
    expect(Number(/(\d+) relevant/.exec(stdout)?.[1])).toBeGreaterThanOrEqual(100);
    expect(stdout).toMatch(/^events: \d+ new, 0 updated$/m);
    const logs = jsonLines(stderr);
    const failed = logs.filter((l) => l.msg && String(l.msg).startsWith('feed failed'));
    expect(failed.map((l) => l.code).sort()).toEqual([
      'empty',
      'http',
      'http',
      'malformed',
      'not-a-feed',
      'timeout',
      'too-large',
    ]);
    expect(logs.some((l) => /kept the newest 500, dropped 9500/.test(String(l.msg)))).toBe(true);
    expect(await storedItemCount(redis, prefix)).toBe(510);
  });

  it('prints every stored event with its items as JSON lines', async () => {
    const { code, stdout } = await aiwatch(['events', '--json'], env(prefix));
    expect(code).toBe(0);
    const events = jsonLines(stdout) as {
      id: string;
      title: string;
      firstSeen: string;
      companies: string[];
      items: { url: string; source: string; lang: string; title: string }[];
    }[];
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) {
      expect(event).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          title: expect.any(String),
          firstSeen: expect.any(String),
        }),
      );
      expect(Array.isArray(event.companies)).toBe(true);
    }
    const items = events.flatMap((e) => e.items);
    expect(new Set(items.map((i) => i.url)).size).toBe(items.length); // no item twice
    for (const seed of seedItems)
      expect(items.filter((i) => i.url === seed.url)).toEqual([
        {
          url: seed.url,
          source: seed.source,
          lang: seed.lang,
          title: expect.any(String),
          published: expect.any(String),
        },
      ]);
    expect(items).toContainEqual(
      expect.objectContaining({ url: 'https://jp.example/news/1001', source: 'テック日報', lang: 'ja' }),
    );
    const recent = await aiwatch(['events', '--json', '--since', '2999-01-01T00:00:00Z'], env(prefix));
    expect(recent.stdout).toBe('');
    const wrong = await aiwatch(['events', '--since', 'yesterday'], env(prefix));
    expect(wrong.code).toBe(2);
  });

  it('events --since an ISO time in the middle prints only the events updated at or after it', async () => {
    const all = jsonLines((await aiwatch(['events', '--json'], env(prefix))).stdout) as {
      id: string;
      updatedAt: string;
    }[];
    // One round decides the events in a few milliseconds: spread their update times apart.
    const spread = all.map((e, i) => ({
      ...e,
      updatedAt: new Date(Date.parse(e.updatedAt) - i * 60_000).toISOString(),
    }));
    for (const e of spread) {
      const record = JSON.parse((await redis.get(storeKeys(prefix).event(e.id)))!) as { updatedAt: string };
      await redis.set(storeKeys(prefix).event(e.id), JSON.stringify({ ...record, updatedAt: e.updatedAt }));
      await redis.zadd(storeKeys(prefix).updated, Date.parse(e.updatedAt), e.id);
    }
    const times = [...new Set(spread.map((e) => e.updatedAt))].sort();
    expect(times.length).toBeGreaterThanOrEqual(2);
    // Halfway between two stored update times, in another time zone's notation.
    const mid = Math.floor(times.length / 2);
    const at = Math.ceil((Date.parse(times[mid - 1]!) + Date.parse(times[mid]!)) / 2);
    const since = new Date(at + 9 * 3_600_000).toISOString().replace('Z', '+09:00');
    const later = spread
      .filter((e) => Date.parse(e.updatedAt) >= at)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map((e) => e.id);
    expect(later.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThan(all.length);
    const { code, stdout } = await aiwatch(['events', '--json', '--since', since], env(prefix));
    expect(code).toBe(0);
    expect(jsonLines(stdout).map((e) => e.id)).toEqual(later);
  });

  it('makes what it stored searchable at once: a seed event is found by its company in the search index', async () => {
    const index = createSearchIndex(redis, prefix);
    const page = await index.search(['@pfn'], { offset: 0, limit: 10 });
    expect(page.ids.length).toBeGreaterThan(0);
  });

  it('shows feed health: ok feeds with items seen, failing ones with their last error', async () => {
    const { code, stdout } = await aiwatch(['feeds', '--config', dir, '--json'], env(prefix));
    expect(code).toBe(0);
    const rows = jsonLines(stdout);
    expect(rows).toHaveLength(15);
    expect(rows.find((r) => r.name === 'Big')).toMatchObject({
      status: 'ok',
      itemsSeen: 500,
      consecutiveFailures: 0,
    });
    expect(rows.find((r) => r.name === 'Bad /500')).toMatchObject({
      consecutiveFailures: 1,
      lastError: expect.stringMatching(/HTTP 500/),
    });
    const text = await aiwatch(['feeds', '--config', dir], env(prefix));
    expect(text.stdout).toMatch(/Bad \/hang .*\n\s+FAILING ×1/);
  });

  it('processes nothing again on the next poll: conditional GETs and known items', async () => {
    const before = await storedItemCount(redis, prefix);
    const { code, stdout } = await aiwatch(['poll', '--once', '--config', dir], env(prefix));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^feeds: 3 ok, 5 not modified, 7 failed$/m);
    expect(stdout).toMatch(/^items: 0 new, 505 duplicate, 0 relevant$/m);
    expect(await storedItemCount(redis, prefix)).toBe(before);
  });

  it('polls only the feeds given with --feed', async () => {
    const { code, stdout } = await aiwatch(
      ['poll', '--once', '--config', dir, '--feed', server.url('/atom.xml')],
      env(prefix),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^feeds: 1 ok, 0 not modified, 0 failed$/m);
    expect(stdout).toMatch(/^items: 0 new, 2 duplicate/m);
  });

  it('exits 1 with one line when no Redis answers', async () => {
    const { code, stderr } = await aiwatch(
      ['poll', '--once', '--config', dir],
      env(prefix, { REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/no Redis answers/);
  });
});
