/**
 * The cost of reading an article's lead (feeds with fetchArticle): a realistic news page
 * (navigation, ads, related links, about 40 KB) served locally, read N times through the
 * worker's article reader with no pause between requests, and the extraction alone. The
 * pause a real host gets (worker.articleDelayMs) comes on top, per host.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deleteByPrefix } from '../src/cli/context.ts';
import { createArticleReader, extractLead } from '../src/feeds/article.ts';
import { logger } from '../src/shared/log.ts';
import { connectRedis } from '../src/redis/connect.ts';
import { quitRedis } from '../src/shared/lifecycle.ts';

const PAGES = 200;

function page(n: number): string {
  const filler = (what: string, k: number) =>
    Array.from(
      { length: k },
      (_, i) =>
        `<li><a href="/${what}/${i}">${what} headline number ${i} about something else entirely</a></li>`,
    ).join('');
  return `<!doctype html><html><head><title>Story ${n}</title></head><body>
<nav><ul>${filler('section', 60)}</ul></nav><div class="ad-banner sponsor">${'Buy now. '.repeat(50)}</div>
<article><h1>Story ${n}</h1>${Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i} of story ${n}: SoftBank said it would build a Japanese large language model trained in its own data centre, the company said on Tuesday.</p>`).join('')}</article>
<aside class="related"><ul>${filler('related', 80)}</ul></aside><footer>${'Copyright and terms. '.repeat(40)}</footer></body></html>`;
}

export default async function articleBench(): Promise<void> {
  const html = page(0);
  let t = performance.now();
  for (let i = 0; i < PAGES; i++) extractLead(html, 'https://example.com/x');
  const extractMs = (performance.now() - t) / PAGES;

  const server = createServer((req, res) =>
    req.url === '/robots.txt'
      ? res.writeHead(404).end()
      : res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(page(Number(req.url?.slice(1)) || 0)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redis = await connectRedis();
  const prefix = `aiwatch-bench-article:${randomUUID().slice(0, 8)}:`;
  try {
    const reader = createArticleReader({
      fetch: { connectTimeoutMs: 5000, fetchTimeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 },
      delayMs: 0,
      redis,
      prefix,
      log: logger.child({}, { level: 'silent' }),
    });
    t = performance.now();
    for (let i = 0; i < PAGES; i++) await reader.lead(`${base}/${i}`);
    const readMs = (performance.now() - t) / PAGES;
    console.log(
      `article lead: ${readMs.toFixed(2)} ms per item read over HTTP (fetch, decode, extract; ${Math.round(html.length / 1024)} KB page), ` +
        `${extractMs.toFixed(2)} ms of it extraction; plus worker.articleDelayMs per host`,
    );
  } finally {
    server.close();
    await deleteByPrefix(redis, prefix);
    await quitRedis(redis);
  }
}
