/**
 * Headline-only feeds with `fetchArticle: true`: the linked page is read for its lead (navigation,
 * ads and related links left out) where robots.txt allows it, one request at a time per host; the
 * lead decides the item's relevance and is never stored as its summary.
 */
import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../src/config/index.ts';
import type { FeedItem } from '../../src/core/types.ts';
import { createArticleReader, extractLead } from '../../src/feeds/article.ts';
import { createFeedHealthStore } from '../../src/feeds/health.ts';
import { pollFeed, type PollDeps } from '../../src/feeds/poll.ts';
import { logger } from '../../src/shared/log.ts';
import { processItem } from '../../src/pipeline/process-item.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { core } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const prefix = testPrefix('article');
const silent = logger.child({}, { level: 'silent' });
const fetchOptions = { connectTimeoutMs: 5000, fetchTimeoutMs: 10_000, maxBytes: 1_000_000, maxRedirects: 5 };
let redis: Redis;
let server: FeedServer;
let inFlight = 0;
let maxInFlight = 0;

const ARTICLE = `<!doctype html><html><head><title>New model unveiled</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/tech">Technology news and analysis from around the region</a></li></ul></nav>
<div class="ad">Sponsored: the best credit cards of the year for frequent travellers and families alike</div>
<article><h1>New model unveiled</h1>
<p>SoftBank said on Tuesday it has built a Japanese large language model with 460 billion parameters, trained on its own AI data center in Hokkaido.</p>
<p>The domestic model is aimed at Japanese companies and government agencies that need generative AI they can run in Japan.</p>
<p>The company plans to release a larger version next year and to offer it to its partners.</p>
</article>
<aside class="related"><h2>Related</h2><p>Ten gadgets you should buy before the holidays begin, according to our reviewers and readers.</p></aside>
<footer>Copyright 2026 Example Media. All rights reserved. Terms of use and privacy policy apply.</footer>
</body></html>`;

function rss(items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Headlines</title><link>http://127.0.0.1/</link>${items}</channel></rss>`;
}

beforeAll(async () => {
  redis = await openTestRedis();
  server = await startFeedServer();
  const counted =
    (body: string, type = 'text/html; charset=utf-8') =>
    (_req: unknown, res: ServerResponse) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': type }).end(body);
      }, 30);
    };
  server.route('/robots.txt', counted('User-agent: *\nDisallow: /private/\n', 'text/plain'));
  for (const n of [1, 2, 3]) server.route(`/news/${n}.html`, counted(ARTICLE));
  server.route('/private/9.html', counted(ARTICLE));
  server.route(
    '/feed.xml',
    (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          rss(
            [1, 2, 3]
              .map(
                (n) =>
                  `<item><title>New model unveiled ${n}</title><link>${server.url(`/news/${n}.html`)}</link></item>`,
              )
              .join('') +
              `<item><title>Members only</title><link>${server.url('/private/9.html')}</link></item>` +
              `<item><title>With a summary</title><link>${server.url('/news/summary.html')}</link><description>Already summarised.</description></item>`,
          ),
        ),
  );
});

afterAll(async () => {
  await server.close();
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('reading the articles of a headline-only feed', () => {
  it('keeps the article, leaves out navigation, ads, related links and footer', () => {
    const lead = extractLead(ARTICLE, 'https://example.com/news/1.html')!;
    expect(lead).toMatch(/^SoftBank said on Tuesday it has built a Japanese large language model/);
    expect(lead).toContain('government agencies');
    for (const noise of ['Technology news', 'credit cards', 'gadgets', 'Copyright'])
      expect(lead).not.toContain(noise);
    // Without an <article> element Readability finds the story; an ad container marked as one is left out.
    const plain = ARTICLE.replace('<article>', '<div class="story-body">')
      .replace('</article>', '</div>')
      .replace('class="ad"', 'class="ad-banner sponsor"');
    const found = extractLead(plain, 'https://example.com/news/1.html')!;
    expect(found).toMatch(/^SoftBank said on Tuesday/);
    for (const noise of ['Technology news', 'credit cards', 'gadgets', 'Copyright'])
      expect(found).not.toContain(noise);
  });

  it('reads each allowed article once, one at a time, honours robots.txt, and judges by the lead', async () => {
    const enqueued: FeedItem[] = [];
    const deps: PollDeps = {
      store: createRedisEventStore(redis, prefix),
      health: createFeedHealthStore(redis, prefix),
      enqueue: async (items) => (enqueued.push(...items), ['round-test']),
      jobStates: async (ids) => ids.map(() => 'done' as const),
      fetch: fetchOptions,
      articles: createArticleReader({ fetch: fetchOptions, delayMs: 50, redis, prefix, log: silent }),
      maxItemsPerPoll: 100,
      alertAfterMs: 3_600_000,
      onFeedDown: () => {},
      log: silent,
    };
    const feed: FeedConfig = {
      name: 'Headlines',
      url: server.url('/feed.xml'),
      lang: 'en',
      fetchArticle: true,
    };
    expect(await pollFeed(feed, 600_000, deps, { force: true })).toMatchObject({ status: 'ok', queued: 5 });

    const byTitle = new Map(enqueued.map((item) => [item.title, item]));
    for (const n of [1, 2, 3]) expect(byTitle.get(`New model unveiled ${n}`)?.lead).toMatch(/^SoftBank said/);
    expect(byTitle.get('Members only')?.lead).toBeUndefined();
    expect(byTitle.get('With a summary')?.lead).toBeUndefined();
    const paths = server.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/robots.txt')).toHaveLength(1);
    expect(paths).not.toContain('/private/9.html');
    expect(paths).not.toContain('/news/summary.html');
    expect(maxInFlight).toBe(1);

    // The headline alone says too little; with the lead the item is judged relevant, and its
    // stored summary stays what the feed gave (nothing).
    const { analyser, classify } = core();
    const item = byTitle.get('New model unveiled 1')!;
    expect(classify(analyser.analyse({ ...item, lead: undefined }), { lang: 'en' }).relevant).toBe(false);
    expect(classify(analyser.analyse(item), { lang: 'en' }).relevant).toBe(true);
    const result = await processItem(item, { ...core(), store: createRedisEventStore(redis, prefix) });
    expect(result.status).toBe('new-event');
    const [stored] = await createRedisEventStore(redis, prefix).getItems([result.itemId]);
    expect(stored?.summary).toBe('');
  });

  it('two workers reading one host take turns: never two requests in flight, whatever the pause', async () => {
    maxInFlight = 0;
    const readers = [1, 2].map(() =>
      createArticleReader({ fetch: fetchOptions, delayMs: 0, redis, prefix, log: silent }),
    );
    const leads = await Promise.all(
      [1, 2, 3].flatMap((n) => readers.map((reader) => reader.lead(server.url(`/news/${n}.html`)))),
    );
    expect(leads.every((lead) => lead?.startsWith('SoftBank said'))).toBe(true);
    expect(maxInFlight).toBe(1);
  });
});
