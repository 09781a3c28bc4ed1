/**
 * Japanese feeds as they are really served: Shift_JIS, EUC-JP and ISO-2022-JP declared,
 * undeclared and mislabelled; JST and Japanese date forms; zone-less dates in Tokyo time;
 * and what cannot be decoded reported, never stored as U+FFFD.
 */
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/index.ts';
import { FeedError } from '../../src/feeds/errors.ts';
import { readFeed } from '../../src/feeds/read.ts';
import { feedFixture, send, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';

const LIMITS = { connectTimeoutMs: 5000, fetchTimeoutMs: 20_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };
const NOW = new Date('2025-12-10T00:00:00Z');

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

/** The Japanese fixture in a charset; its XML declaration names `declared`, or is left out. */
function japaneseFeed(charset: string, declared: string | null): Buffer {
  const text = feedFixture('ja-zoneless.xml');
  const body = declared === null ? text.replace(/^<\?xml[^>]*>\s*/, '') : text.replace('ENCODING', declared);
  return charset === 'iso-2022-jp' ? Buffer.from(jisEncode(body)) : iconv.encode(body, charset);
}

/** ISO-2022-JP is not among iconv-lite's encoders: TextDecoder decodes it, encoding-japanese encodes it. */
function jisEncode(text: string): Uint8Array {
  return new Uint8Array(Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }));
}
let routes = 0;
async function read(body: Buffer, contentType: string, lang: 'en' | 'ja' = 'ja') {
  const path = `/feed-${routes++}.xml`;
  server.route(path, send(body, { 'content-type': contentType }));
  const feed: FeedConfig = { url: server.url(path), name: 'テスト', lang };
  const result = await readFeed(feed, {}, { fetch: LIMITS, now: NOW, maxItems: 100 });
  if (result.status !== 'ok') throw new Error(result.status);
  return result;
}

const TITLE = '富士通、国産LLM「Takane」を公開 スーパーコンピュータ「富岳」で学習';

describe('Japanese charsets', () => {
  it.each([
    ['Shift_JIS', 'shift_jis', 'Shift_JIS'],
    ['EUC-JP', 'euc-jp', 'EUC-JP'],
    ['ISO-2022-JP', 'iso-2022-jp', 'ISO-2022-JP'],
  ])('%s declared in the XML declaration', async (_name, charset, declared) => {
    const result = await read(japaneseFeed(charset, declared), 'application/rss+xml');
    expect(result.charset).toBe(charset);
    expect(result.feed.title).toBe('技術ニュース速報');
    expect(result.feed.items.map((i) => i.title)).toContain(TITLE);
  });

  it.each([
    ['Shift_JIS', 'shift_jis'],
    ['EUC-JP', 'euc-jp'],
    ['ISO-2022-JP', 'iso-2022-jp'],
  ])('%s declared nowhere is recognised from the bytes', async (_name, charset) => {
    const result = await read(japaneseFeed(charset, null), 'application/xml');
    expect(result.charset).toBe(charset);
    expect(result.feed.items.map((i) => i.title)).toContain(TITLE);
  });

  it('Shift_JIS served as UTF-8, EUC-JP served as Shift_JIS, EUC-JP declaring Shift_JIS: the bytes win', async () => {
    const cases: [Buffer, string, string][] = [
      [japaneseFeed('shift_jis', null), 'application/rss+xml; charset=utf-8', 'shift_jis'],
      [japaneseFeed('euc-jp', null), 'text/xml; charset=Shift_JIS', 'euc-jp'],
      [japaneseFeed('euc-jp', 'Shift_JIS'), 'application/xml', 'euc-jp'],
      [japaneseFeed('utf-8', 'Shift_JIS'), 'application/xml', 'utf-8'],
    ];
    for (const [body, contentType, charset] of cases) {
      const result = await read(body, contentType);
      expect(result.charset, contentType).toBe(charset);
      expect(result.feed.items.map((i) => i.title)).toContain(TITLE);
      for (const item of result.feed.items) expect(item.title).not.toContain('\uFFFD');
    }
  });

  it('a feed whose titles decode in no charset fails as undecodable, naming the charset', async () => {
    // Valid UTF-8 around a title of bytes that are valid in no charset we know (lone continuation bytes).
    const head = Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title><item><title>',
      'utf8',
    );
    const tail = Buffer.from('</title><link>https://bad.example/1</link></item></channel></rss>', 'utf8');
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]), // a BOM: believed, so nothing else is tried
      head,
      Buffer.from([0x80, 0x80, 0xff, 0xfe, 0x80]),
      tail,
    ]);
    const error = await read(body, 'application/rss+xml').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe('undecodable');
    expect((error as FeedError).message).toMatch(/1 of 1 entries have titles that do not decode as utf-8/);
  });
});

describe('Japanese dates', () => {
  it('zone-less, Japanese-form and JST dates of a Japanese feed are Tokyo time', async () => {
    const result = await read(japaneseFeed('utf-8', 'UTF-8'), 'application/rss+xml');
    const byUrl = Object.fromEntries(result.feed.entries.map((e) => [e.item.url, e.published]));
    expect(byUrl).toEqual({
      [server.url('/news/2025/12/01/takane')]: '2025-12-01T01:00:00.000Z',
      'https://ja.example/news/2025/12/02/softbank': '2025-12-02T00:30:00.000Z',
      'https://ja.example/news/2025/12/03/meti': '2025-12-03T05:00:00.000Z',
      'https://ja.example/news/2025/12/04/nec': '2025-12-03T23:00:00.000Z',
    });
  });

  it('the same zone-less date in an English feed is UTC', async () => {
    const english = feedFixture('ja-zoneless.xml')
      .replace('ENCODING', 'UTF-8')
      .replace('<language>ja</language>', '');
    const result = await read(Buffer.from(english), 'application/rss+xml', 'en');
    const takane = result.feed.entries.find((e) => e.item.url.endsWith('/takane'));
    expect(takane?.published).toBe('2025-12-01T10:00:00.000Z');
  });

  it('resolves a relative link against the feed URL and drops script text from the summary', async () => {
    const result = await read(japaneseFeed('utf-8', 'UTF-8'), 'application/rss+xml');
    const takane = result.feed.items.find((i) => i.url.endsWith('/takane'));
    expect(takane?.url).toBe(server.url('/news/2025/12/01/takane'));
    expect(takane?.summary).toBe('富士通は12月1日、国産の大規模言語モデルを公開した。');
  });
});
