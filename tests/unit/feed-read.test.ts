/** Decoding and parsing cases the issue names, each a tiny document (the peer suite holds the rest). */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/index.ts';
import { decodeFeed } from '../../src/feeds/decode.ts';
import { parseFeed } from '../../src/feeds/parse.ts';

const FEED: FeedConfig = { url: 'https://feeds.example/news/rss.xml', name: 'Test', lang: 'en' };
const NOW = new Date('2026-01-01T00:00:00Z');
const parse = (text: string, feed: FeedConfig = FEED) => parseFeed(text, feed, { now: NOW, maxItems: 100 });
const rss = (items: string, head = '<rss version="2.0">') =>
  `${head}<channel><title>T</title>${items}</channel></rss>`;

describe('decoding', () => {
  it('windows-1252 labelled ISO-8859-1 keeps its curly quotes, dashes and euro sign', () => {
    const bytes = iconv.encode(
      rss('<item><title>“Quoted” – 5 €</title><link>https://a.example/1</link></item>'),
      'windows-1252',
    );
    const { text, charset } = decodeFeed(bytes, 'text/xml; charset=ISO-8859-1');
    expect(charset).toBe('windows-1252');
    expect(text).toContain('“Quoted” – 5 €');
  });

  it('UTF-16 and UTF-32 without a BOM are recognised from the first bytes', () => {
    const doc = `<?xml version="1.0" encoding="utf-16"?>${rss('<item><title>日本</title><link>https://a.example/1</link></item>')}`;
    expect(decodeFeed(iconv.encode(doc, 'utf-16le'), 'application/xml')).toMatchObject({
      charset: 'utf-16le',
    });
    expect(decodeFeed(iconv.encode(doc, 'utf-16be'), 'application/xml')).toMatchObject({
      charset: 'utf-16be',
    });
    const utf32 = decodeFeed(iconv.encode(doc.replace('utf-16', 'utf-32'), 'utf-32be'), 'application/xml');
    expect(utf32.charset).toBe('utf-32be');
    expect(utf32.text).toContain('日本');
  });

  it('a charset that does not decode strictly falls back to sniffing: UTF-8 declared Latin-1', () => {
    const bytes = Buffer.from(
      rss('<item><title>Café</title><link>https://a.example/1</link></item>'),
      'utf8',
    );
    expect(decodeFeed(bytes, 'text/xml; charset=us-ascii')).toMatchObject({
      charset: 'utf-8',
      declared: 'us-ascii',
    });
  });
});

describe('parsing as feedparser does', () => {
  it('reads <rss> without a version and without a channel, and namespaced RSS', async () => {
    const noVersion = await parse(
      '<rss><channel><item><title>A</title><link>https://a.example/1</link></item></channel></rss>',
    );
    expect(noVersion.items.map((i) => i.title)).toEqual(['A']);
    const noChannel = await parse(
      '<rss version="2.0"><item><title>B</title><link>https://a.example/2</link></item></rss>',
    );
    expect(noChannel.items.map((i) => i.title)).toEqual(['B']);
    const namespaced = await parse(
      '<rss:rss xmlns:rss="http://purl.org/rss/1.0/"><rss:channel><rss:item><rss:title>C</rss:title><rss:link>https://a.example/3</rss:link></rss:item></rss:channel></rss:rss>',
    );
    expect(namespaced.items.map((i) => i.title)).toEqual(['C']);
  });

  it('expands an entity its DTD declares', async () => {
    const parsed = await parse(
      '<!DOCTYPE rss [<!ENTITY corp "Sakana AI">]><rss version="2.0"><channel><item><title>&corp; raises</title><link>https://a.example/1</link></item></channel></rss>',
    );
    expect(parsed.items[0]?.title).toBe('Sakana AI raises');
  });

  it('refuses a DTD that would blow the feed up: a long entity is not expanded, a short one used a million times is too large', async () => {
    const long = 'A '.repeat(50_000);
    const bomb = await parse(
      `<!DOCTYPE rss [<!ENTITY a "${long}">]><rss version="2.0"><channel><item><title>x&a;&a;&a;</title><link>https://a.example/1</link></item></channel></rss>`,
    );
    expect(bomb.items[0]?.title.length ?? 0).toBeLessThan(1000);
    const many = '&b;'.repeat(400_000);
    await expect(
      parse(
        `<!DOCTYPE rss [<!ENTITY b "${'B'.repeat(1000)}">]><rss version="2.0"><channel><item><title>${many}</title><link>https://a.example/1</link></item></channel></rss>`,
      ),
    ).rejects.toThrow(/too-large: entity expansion/);
  });

  it('resolves relative links against xml:base, then the feed URL', async () => {
    const parsed = await parse(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/blog/">
        <entry><title>A</title><link href="2025/a.html"/><id>a</id></entry>
        <entry xml:base="/other/"><title>B</title><link href="b.html"/><id>b</id></entry>
      </feed>`,
    );
    expect(parsed.items.map((i) => i.url).sort()).toEqual([
      'https://base.example/blog/2025/a.html',
      'https://base.example/other/b.html',
    ]);
    const rssRelative = await parse(rss('<item><title>C</title><link>../c.html</link></item>'));
    expect(rssRelative.items[0]?.url).toBe('https://feeds.example/c.html');
  });

  it('Atom titles by type: text keeps its angle brackets, html is reduced to text, xhtml is its text', async () => {
    const parsed = await parse(
      `<feed xmlns="http://www.w3.org/2005/Atom">
        <entry><title type="text">Use &lt;div&gt; tags</title><link href="https://a.example/1"/></entry>
        <entry><title type="html">Use &lt;b&gt;bold&lt;/b&gt; AT&amp;amp;T</title><link href="https://a.example/2"/></entry>
        <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <em>xhtml</em> title</div></title><link href="https://a.example/3"/></entry>
        <entry><title>AT&amp;amp;T</title><link href="https://a.example/4"/></entry>
      </feed>`,
    );
    const byUrl = Object.fromEntries(parsed.items.map((i) => [i.url, i.title]));
    expect(byUrl).toEqual({
      'https://a.example/1': 'Use <div> tags',
      'https://a.example/2': 'Use bold AT&T',
      'https://a.example/3': 'An xhtml title',
      'https://a.example/4': 'AT&amp;T',
    });
  });

  it('summaries without script or style text; control characters and NUL removed; &#147; is a quote', async () => {
    const parsed = await parse(
      rss(
        '<item><title>Ctl\u0001 char &#147;x&#148;</title><link>https://a.example/1</link>' +
          '<description>&lt;style&gt;p{}&lt;/style&gt;&lt;p&gt;Body&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description></item>',
      ),
    );
    expect(parsed.items[0]?.title).toBe('Ctl char "x"');
    expect(parsed.items[0]?.summary).toBe('Body');
  });

  it('content in content:encoded, dc:description or media:description is read when there is no description', async () => {
    const parsed = await parse(
      rss(
        '<item><title>A</title><link>https://a.example/1</link><dc:description>From dc</dc:description></item>' +
          '<item><title>B</title><link>https://a.example/2</link><media:group><media:description>From media</media:description></media:group></item>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">',
      ),
    );
    expect(Object.fromEntries(parsed.items.map((i) => [i.title, i.summary]))).toEqual({
      A: 'From dc',
      B: 'From media',
    });
  });

  it('names the feed by its own title and gives its format', async () => {
    const parsed = await parse(rss('<item><title>A</title><link>https://a.example/1</link></item>'), {
      ...FEED,
      name: '',
    });
    expect(parsed).toMatchObject({ title: 'T', format: 'rss' });
    expect(parsed.items[0]?.source).toBe('T');
  });
});
