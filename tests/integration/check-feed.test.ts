/**
 * `aiwatch check-feed` (a contract: one JSON object per URL, in argument order, exit 1 when
 * any failed; stores nothing) and feeds polled by URL alone: named by their own title,
 * listed by `aiwatch feeds`, an undecodable one reported by kind.
 */
import iconv from 'iconv-lite';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiwatch, configDir, env, jsonLines } from '../helpers/aiwatch.ts';
import { feedFixture, send, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { cleanup, openTestRedis, storedItemCount, testPrefix } from '../helpers/redis.ts';

const prefix = testPrefix('check-feed');
let redis: Redis;
let server: FeedServer;
let dir: string;

/** A Japanese feed in Shift_JIS, served as UTF-8 (mislabelled), its dates zone-less: Tokyo time. */
const japanese = () =>
  iconv.encode(feedFixture('ja-zoneless.xml').replace(/^<\?xml[^>]*>\s*/, ''), 'shift_jis');
/** Valid UTF-8 with a BOM around title bytes that no charset decodes. */
const undecodable = () =>
  Buffer.concat([
    Buffer.from('\uFEFF<rss version="2.0"><channel><title>Broken</title><item><title>', 'utf8'),
    Buffer.from([0x80, 0xff, 0xfe]),
    Buffer.from('</title><link>https://bad.example/1</link></item></channel></rss>', 'utf8'),
  ]);

beforeAll(async () => {
  redis = await openTestRedis();
  server = await startFeedServer();
  server.route('/ja.xml', send(japanese(), { 'content-type': 'application/rss+xml; charset=utf-8' }));
  server.route('/atom.xml', send(feedFixture('atom.xml'), { 'content-type': 'application/atom+xml' }));
  server.route('/undecodable.xml', send(undecodable(), { 'content-type': 'application/rss+xml' }));
  server.route('/page', send(feedFixture('page.html'), { 'content-type': 'text/html' }));
  dir = configDir([]);
});

afterAll(async () => {
  await server.close();
  await cleanup(redis, prefix);
  redis.disconnect();
});

const ITEM_FIELDS = ['title', 'url', 'guid', 'published', 'summary', 'lang', 'relevant', 'reasons'];

describe('aiwatch check-feed', () => {
  it('prints one JSON object per URL in argument order, with exactly the contract fields, and exits 1 when any failed', async () => {
    const urls = [
      server.url('/ja.xml'),
      server.url('/missing'),
      server.url('/atom.xml'),
      server.url('/page'),
    ];
    const { code, stdout } = await aiwatch(['check-feed', ...urls, '--json', '--config', dir], env(prefix));
    expect(code).toBe(1);
    const rows = jsonLines(stdout);
    expect(rows.map((r) => r.url)).toEqual(urls);
    const [ja, missing, atom, page] = rows as Record<string, unknown>[];
    expect(Object.keys(ja ?? {})).toEqual(['url', 'ok', 'title', 'format', 'charset', 'items']);
    expect(ja).toMatchObject({ ok: true, title: '技術ニュース速報', format: 'rss', charset: 'shift_jis' });
    const items = (ja?.items ?? []) as Record<string, unknown>[];
    for (const item of items) expect(Object.keys(item)).toEqual(ITEM_FIELDS);
    const takane = items.find((i) => String(i.url).endsWith('/takane'));
    expect(takane).toMatchObject({
      url: server.url('/news/2025/12/01/takane'),
      guid: 'ja-0001',
      published: '2025-12-01T01:00:00.000Z',
      lang: 'ja',
      relevant: true,
    });
    expect(takane?.reasons).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(missing).toEqual({ url: urls[1], ok: false, error: { kind: 'http', message: 'HTTP 404' } });
    expect(atom).toMatchObject({ ok: true, format: 'atom' });
    expect(page).toMatchObject({ ok: false, error: { kind: 'not-a-feed' } });
    // Nothing was stored.
    expect(await storedItemCount(redis, prefix)).toBe(0);
  });

  it('exits 0 when every feed was read, and prints a readable table without --json', async () => {
    const { code, stdout } = await aiwatch(
      ['check-feed', server.url('/ja.xml'), '--config', dir],
      env(prefix),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/"技術ニュース速報" — rss, shift_jis, 4 items, \d+ relevant/);
    expect(stdout).toMatch(/2025-12-01 01:00 +RELEVANT +富士通、国産LLM/);
  });

  it('reports an undecodable feed by its kind', async () => {
    const { code, stdout } = await aiwatch(
      ['check-feed', server.url('/undecodable.xml'), '--json', '--config', dir],
      env(prefix),
    );
    expect(code).toBe(1);
    expect(jsonLines(stdout)[0]).toMatchObject({ ok: false, error: { kind: 'undecodable' } });
  });
});

describe('feeds polled by URL alone', () => {
  it('are named by their own title, listed by aiwatch feeds, and an undecodable one is reported, not stored', async () => {
    const poll = await aiwatch(
      [
        'poll',
        '--once',
        '--config',
        dir,
        '--lang',
        'ja',
        '--feed',
        server.url('/ja.xml'),
        '--feed',
        server.url('/undecodable.xml'),
      ],
      env(prefix),
    );
    expect(poll.code).toBe(0);
    expect(poll.stdout).toMatch(/^feeds: 1 ok, 0 not modified, 1 failed$/m);
    expect(poll.stdout).toMatch(/undecodable/);
    const { code, stdout } = await aiwatch(['feeds', '--config', dir, '--json'], env(prefix));
    expect(code).toBe(0);
    const rows = jsonLines(stdout);
    expect(rows.find((r) => r.url === server.url('/ja.xml'))).toMatchObject({
      name: '技術ニュース速報',
      configured: false,
      status: 'ok',
      itemsSeen: 4,
    });
    expect(rows.find((r) => r.url === server.url('/undecodable.xml'))).toMatchObject({
      consecutiveFailures: 1,
      lastError: expect.stringMatching(/^undecodable: /),
    });
    const text = await aiwatch(['feeds', '--config', dir], env(prefix));
    expect(text.stdout).toMatch(/技術ニュース速報 \[not in config, polled with --feed\]/);
    const titles = await aiwatch(['events', '--json'], env(prefix));
    expect(titles.stdout).not.toContain('\uFFFD');
  });
});
