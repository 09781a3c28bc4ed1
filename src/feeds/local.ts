/**
 * Serving items as local RSS 2.0 feeds, for the demo, the benchmark and tests:
 * one feed per source, on 127.0.0.1 and a free port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeedItem } from '../core/types.ts';

function xml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}

export function toRss2(title: string, items: FeedItem[]): string {
  const entries = items.map(
    (item) => `    <item>
      <title>${xml(item.title)}</title>
      <link>${xml(item.url)}</link>
      <guid isPermaLink="${item.guid ? 'false' : 'true'}">${xml(item.guid ?? item.url)}</guid>
      <pubDate>${new Date(item.published).toUTCString()}</pubDate>
      <description>${xml(item.summary)}</description>
      <content:encoded><![CDATA[${item.content.replaceAll(']]>', ']]]]><![CDATA[>')}]]></content:encoded>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${xml(title)}</title>
    <link>http://127.0.0.1/</link>
    <description>${xml(title)}</description>
${entries.join('\n')}
  </channel>
</rss>
`;
}

export interface LocalFeeds {
  /** Base URL, e.g. http://127.0.0.1:43123 */
  base: string;
  /** One feed per source: name, URL and language of its first item. */
  feeds: { name: string; url: string; lang: FeedItem['lang'] }[];
  close(): Promise<void>;
}

/** Serves each source's items as its own RSS feed at /feed/<n>.xml. */
export async function serveItemsAsFeeds(items: FeedItem[]): Promise<LocalFeeds> {
  const bySource = new Map<string, FeedItem[]>();
  for (const item of items) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
  const bodies = new Map<string, string>();
  const feeds: LocalFeeds['feeds'] = [];
  [...bySource].forEach(([source, list], i) => {
    bodies.set(`/feed/${i}.xml`, toRss2(source, list));
    feeds.push({ name: source, url: `/feed/${i}.xml`, lang: list[0]?.lang ?? 'en' });
  });
  const server: Server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    feeds: feeds.map((f) => ({ ...f, url: `${base}${f.url}` })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
