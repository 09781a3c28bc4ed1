import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/index.ts';
import { decodeFeed } from '../../src/feeds/decode.ts';
import { FeedError } from '../../src/feeds/errors.ts';
import { fetchFeed, type FetchOptions, type Validators } from '../../src/feeds/fetch.ts';
import { parseFeed } from '../../src/feeds/parse.ts';
import {
  encodedFixture,
  feedFixture,
  send,
  startFeedServer,
  type FeedServer,
} from '../helpers/feed-server.ts';

// Generous for a local server on a loaded machine; the timeout tests set their own.
const OPTIONS: FetchOptions = {
  connectTimeoutMs: 5000,
  fetchTimeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
};
const NOW = new Date('2026-04-15T00:00:00Z');

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

const feed = (path: string, lang: 'en' | 'ja' = 'en', name = 'Test Feed'): FeedConfig => ({
  url: server.url(path),
  name,
  lang,
});

async function load(config: FeedConfig, validators: Validators = {}, options = OPTIONS) {
  const fetched = await fetchFeed(config.url, validators, options);
  if (fetched.status !== 'ok') throw new Error(`unexpected ${fetched.status}`);
  const { text, charset } = decodeFeed(fetched.body, fetched.contentType);
  return { charset, ...(await parseFeed(text, config, { now: NOW, maxItems: 500 })) };
}

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

describe('feed formats and encodings', () => {
  it('decodes a Shift_JIS RSS 1.0/RDF feed from its XML declaration and cleans entities and tags', async () => {
    server.route(
      '/sjis.rdf',
      send(encodedFixture('rdf-sjis.xml', 'Shift_JIS'), { 'content-type': 'application/rdf+xml' }),
    );
    const parsed = await load(feed('/sjis.rdf', 'ja', 'テック日報'));
    expect(parsed.charset).toBe('shift_jis');
    expect(parsed.items.map((i) => i.title)).toContain(
      'さくらインターネット、国産生成AI向けにGPU計算基盤を増強 & 経済産業省が支援',
    );
    const first = parsed.items.find((i) => i.url === 'https://jp.example/news/1001');
    expect(first).toMatchObject({
      source: 'テック日報',
      lang: 'ja',
      guid: 'https://jp.example/news/1001',
      published: '2026-04-14T01:00:00.000Z',
    });
    expect(first?.summary).toBe(
      'さくらインターネットは、国産の大規模言語モデル開発向けに石狩データセンターのGPUを増強すると発表した。経済産業省の補助を受ける。',
    );
    // Full-width ＡＩ and half-width ﾃｽﾄ are normalised (NFKC).
    expect(parsed.items.map((i) => i.title)).toEqual(
      expect.arrayContaining(['ソフトバンク、孫正義氏が語るAI戦略', '日付のおかしな記事(テスト)']),
    );
  });

  it('gives an item without a date, or with a date that is not one, its first-seen time', async () => {
    server.route(
      '/sjis2.rdf',
      send(encodedFixture('rdf-sjis.xml', 'Shift_JIS'), { 'content-type': 'text/xml' }),
    );
    const parsed = await load(feed('/sjis2.rdf', 'ja'));
    const byUrl = Object.fromEntries(parsed.items.map((i) => [i.url, i.published]));
    expect(byUrl['https://jp.example/news/1002?utm_source=rss']).toBe(NOW.toISOString());
    expect(byUrl['https://jp.example/news/1003']).toBe(NOW.toISOString());
  });

  it('decodes EUC-JP from the HTTP charset, and prefers the XML declaration over a server default of ISO-8859-1', async () => {
    server.route(
      '/euc.xml',
      send(encodedFixture('rss-eucjp.xml', 'EUC-JP'), { 'content-type': 'text/xml; charset=EUC-JP' }),
    );
    server.route(
      '/euc-latin1.xml',
      send(encodedFixture('rss-eucjp.xml', 'EUC-JP'), { 'content-type': 'text/xml; charset=ISO-8859-1' }),
    );
    for (const path of ['/euc.xml', '/euc-latin1.xml']) {
      const parsed = await load(feed(path, 'ja'));
      expect(parsed.charset).toBe('euc-jp');
      expect(parsed.items[0]).toMatchObject({
        title: '日本電気(NEC)、国産LLMの新版を公開',
        guid: 'euc-0001',
      });
    }
  });

  it('reads Atom, with HTML in the title cleaned', async () => {
    server.route('/atom.xml', send(feedFixture('atom.xml'), { 'content-type': 'application/atom+xml' }));
    const parsed = await load(feed('/atom.xml'));
    expect(parsed.items).toHaveLength(2);
    expect(parsed.items[0]).toMatchObject({
      title: 'Preferred Networks unveils PLaMo 3 & a domestic AI chip',
      url: 'https://atom.example/posts/plamo-3',
      guid: 'tag:atom.example,2026:1',
      published: '2026-04-14T05:00:00.000Z',
      summary:
        'Tokyo-based Preferred Networks released PLaMo 3, a Japanese large language model trained on its MN-Core chips.',
    });
  });

  it('cuts a feed of 10,000 entries to its newest 500 and says how many were dropped', async () => {
    const entries = Array.from(
      { length: 10_000 },
      (_, i) =>
        `<item><title>Item ${i}</title><link>https://big.example/${i}</link><pubDate>${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}</pubDate></item>`,
    );
    server.route(
      '/big.xml',
      send(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${entries.join('')}</channel></rss>`,
      ),
    );
    const parsed = await load(feed('/big.xml'));
    expect(parsed.total).toBe(10_000);
    expect(parsed.items).toHaveLength(500);
    expect(parsed.dropped).toBe(9_500);
    expect(parsed.items[0]?.title).toBe('Item 9999');
    expect(parsed.items.at(-1)?.title).toBe('Item 9500');
  });
});

describe('fetching like a good citizen', () => {
  it('names the project in the User-Agent and makes a 304 cost nothing with ETag and Last-Modified', async () => {
    server.route('/cond.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'])
        res.writeHead(304).end();
      else
        res
          .writeHead(200, {
            'content-type': 'application/atom+xml',
            etag: '"v1"',
            'last-modified': 'Tue, 14 Apr 2026 00:00:00 GMT',
          })
          .end(feedFixture('atom.xml'));
    });
    const first = await fetchFeed(server.url('/cond.xml'), {}, OPTIONS);
    expect(first.status).toBe('ok');
    const validators = first.status === 'ok' ? first.validators : {};
    expect(validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 14 Apr 2026 00:00:00 GMT' });
    expect(await fetchFeed(server.url('/cond.xml'), validators, OPTIONS)).toMatchObject({
      status: 'not-modified',
    });
    const seen = server.requests.filter((r) => r.path === '/cond.xml');
    expect(seen[0]?.headers['user-agent']).toMatch(/japan-ai-watch/);
    expect(seen[1]?.headers['if-none-match']).toBe('"v1"');
  });

  it('accepts gzip and brotli', async () => {
    const body = feedFixture('atom.xml');
    server.route('/gz.xml', send(gzipSync(body), { 'content-encoding': 'gzip' }));
    server.route('/br.xml', send(brotliCompressSync(body), { 'content-encoding': 'br' }));
    expect((await load(feed('/gz.xml'))).items).toHaveLength(2);
    expect((await load(feed('/br.xml'))).items).toHaveLength(2);
    expect(server.requests.find((r) => r.path === '/gz.xml')?.headers['accept-encoding']).toMatch(
      /gzip.*br|br.*gzip/,
    );
  });

  it('follows at most 5 redirects', async () => {
    for (let i = 0; i < 6; i++)
      server.route(`/hop${i}`, (_req, res) => res.writeHead(302, { location: `/hop${i + 1}` }).end());
    server.route('/hop6', send(feedFixture('atom.xml')));
    server.route('/five', (_req, res) => res.writeHead(301, { location: '/hop2' }).end());
    expect((await load(feed('/five'))).items).toHaveLength(2); // /five → hop2..hop6: 5 redirects
    const error = await failure(fetchFeed(server.url('/hop0'), {}, OPTIONS));
    expect(error.code).toBe('too-many-redirects');
  });
});

describe('bad input gives a clear error for that feed', () => {
  it('reports 404 and 500 with their status', async () => {
    server.route('/500', send('oops', {}, 500));
    expect(await failure(fetchFeed(server.url('/missing'), {}, OPTIONS))).toMatchObject({
      code: 'http',
      status: 404,
    });
    expect(await failure(fetchFeed(server.url('/500'), {}, OPTIONS))).toMatchObject({
      code: 'http',
      status: 500,
    });
  });

  it('gives up on a server that never answers within the total timeout', async () => {
    server.route('/hang', () => {});
    const started = Date.now();
    const error = await failure(fetchFeed(server.url('/hang'), {}, { ...OPTIONS, fetchTimeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops downloading a 50 MB body at the size cap, compressed or not', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    server.route('/huge', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const write = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
        else res.once('drain', () => (sent++, write()));
      };
      write();
    });
    server.route(
      '/bomb',
      send(gzipSync(Buffer.alloc(50 * 1024 * 1024, ' ')), { 'content-encoding': 'gzip' }),
    );
    expect((await failure(fetchFeed(server.url('/huge'), {}, OPTIONS))).code).toBe('too-large');
    expect(sent).toBeLessThan(50);
    expect((await failure(fetchFeed(server.url('/bomb'), {}, OPTIONS))).code).toBe('too-large');
  });

  it('names an empty body, an HTML page and a body that is not XML', async () => {
    server.route('/empty', send(''));
    server.route('/page', send(feedFixture('page.html'), { 'content-type': 'text/html' }));
    server.route('/text', send('just some text, not xml'));
    expect((await failure(load(feed('/empty')))).code).toBe('empty');
    expect((await failure(load(feed('/page')))).message).toMatch(/HTML page, not a feed/);
    expect((await failure(load(feed('/text')))).code).toBe('malformed');
  });

  it('recovers an ill-formed feed as feedparser does: an unclosed item is still read', async () => {
    server.route('/broken', send(feedFixture('malformed.xml')));
    const parsed = await load(feed('/broken'));
    expect(parsed.items.map((i) => [i.title, i.url])).toEqual([
      ['Unclosed item', 'https://broken.example/1'],
    ]);
  });
});
