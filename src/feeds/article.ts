/**
 * Reading an article's lead, for feeds that carry only headlines (`fetchArticle: true` in
 * config/feeds.yaml): the linked page is fetched as a feed is (same size and time caps,
 * redirects, User-Agent), only where the site's robots.txt allows it, one request at a time
 * per host with a pause between them (across every worker: a lock in Redis), and its lead
 * (the first paragraphs of the article Readability finds among navigation, ads and related
 * links) is used to judge the item. It is never shown as the item's summary.
 */
import { Readability } from '@mozilla/readability';
import type { RedisClient } from '../redis/client.ts';
import { parseHTML } from 'linkedom';
import robotsParserModule from 'robots-parser';
import type { Logger } from '../shared/log.ts';
import { decodeFeed } from './decode.ts';
import { FeedError } from './errors.ts';
import { fetchFeed, USER_AGENT, type FetchOptions } from './fetch.ts';
import { feedKeys } from './keys.ts';

/** Enough of an article to judge it: its first paragraphs, as a summary would be. */
export const LEAD_CHARS = 600;

export interface ArticleOptions {
  fetch: FetchOptions;
  /** Pause between two requests to one host (ms). */
  delayMs: number;
  redis: RedisClient;
  prefix: string;
  log: Logger;
}

export interface ArticleReader {
  /** The article's lead, or null when robots.txt forbids it, the page fails or holds no article. */
  lead(url: string): Promise<string | null>;
}

// A CommonJS function whose typings describe an ES default export.
const robotsParser = robotsParserModule as unknown as (
  url: string,
  text: string,
) => { isAllowed(url: string, userAgent?: string): boolean | undefined };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Paragraphs = ArrayLike<{ textContent: string | null }>;

/** Paragraphs long enough to be prose, in order, whitespace folded. */
function prose(paragraphs: Paragraphs): string[] {
  return Array.from(paragraphs)
    .map((p) => (p.textContent ?? '').replace(/\s+/g, ' ').trim())
    .filter((text) => text.length >= 40);
}

/**
 * The lead of the article in an HTML page: the paragraphs of its <article> element when it has
 * one (most news sites mark their story so), else of the article Readability finds; cut to
 * LEAD_CHARS at a word.
 */
export function extractLead(html: string, url: string): string | null {
  const { document } = parseHTML(html);
  let paragraphs = prose(document.querySelectorAll('article p') as Paragraphs);
  if (!paragraphs.length) {
    // Readability resolves links against the document's URL; linkedom has none of its own.
    const base = document.createElement('base');
    base.setAttribute('href', url);
    document.head?.appendChild(base);
    const article = new Readability(document as unknown as Document, { charThreshold: 100 }).parse();
    if (article?.content)
      paragraphs = prose(
        parseHTML(`<body>${article.content}</body>`).document.querySelectorAll('p') as Paragraphs,
      );
    if (!paragraphs.length && article?.textContent)
      paragraphs = [article.textContent.replace(/\s+/g, ' ').trim()];
  }
  const text = paragraphs.join(' ').trim();
  if (!text) return null;
  return text.length <= LEAD_CHARS ? text : `${text.slice(0, LEAD_CHARS).replace(/\s+\S*$/, '')}…`;
}

/** A site's robots.txt is read again after this long, as crawlers do (RFC 9309: at most a day). */
const ROBOTS_TTL_MS = 24 * 3_600_000;
/** robots.txt that could not be read (timeout, 5xx): everything disallowed for a while. */
const ROBOTS_RETRY_MS = 10 * 60_000;

type Rules = (url: string) => boolean;

export function createArticleReader(options: ArticleOptions): ArticleReader {
  const robots = new Map<string, { rules: Promise<Rules>; until: number }>();

  /**
   * One request at a time per host, `delayMs` apart, whichever worker asks: the lock is held for
   * the request (at most the fetch timeout), then for the pause after it.
   */
  async function politely<T>(host: string, request: () => Promise<T>): Promise<T> {
    const key = feedKeys(options.prefix).articleHost(host);
    const holdMs = options.fetch.fetchTimeoutMs + options.delayMs;
    while ((await options.redis.set(key, '1', 'PX', holdMs, 'NX')) !== 'OK')
      await sleep(Math.max(50, Math.min(options.delayMs, 500)));
    try {
      return await request();
    } finally {
      if (options.delayMs > 0) await options.redis.pexpire(key, options.delayMs);
      else await options.redis.del(key);
    }
  }

  function allowed(url: URL): Promise<Rules> {
    const cached = robots.get(url.origin);
    if (cached && cached.until > Date.now()) return cached.rules;
    const robotsUrl = `${url.origin}/robots.txt`;
    const entry = { rules: Promise.resolve<Rules>(() => false), until: Date.now() + ROBOTS_TTL_MS };
    entry.rules = politely(url.host, () => fetchFeed(robotsUrl, {}, options.fetch)).then(
      (fetched) => {
        const text = fetched.status === 'ok' ? decodeFeed(fetched.body, fetched.contentType).text : '';
        const parsed = robotsParser(robotsUrl, text);
        return (page: string) => parsed.isAllowed(page, USER_AGENT) !== false;
      },
      (error: unknown) => {
        // No robots.txt (a 4xx): everything allowed. Unreachable or failing: nothing, for a while.
        if (error instanceof FeedError && error.status !== undefined && error.status < 500) return () => true;
        entry.until = Date.now() + ROBOTS_RETRY_MS;
        return () => false;
      },
    );
    robots.set(url.origin, entry);
    return entry.rules;
  }

  return {
    async lead(url) {
      let page: URL;
      try {
        page = new URL(url);
      } catch {
        return null;
      }
      if (page.protocol !== 'http:' && page.protocol !== 'https:') return null;
      const log = options.log.child({ article: url });
      if (!(await allowed(page))(url)) {
        log.debug('article not fetched: robots.txt disallows it');
        return null;
      }
      try {
        const fetched = await politely(page.host, () => fetchFeed(url, {}, options.fetch));
        if (fetched.status !== 'ok') return null;
        return extractLead(decodeFeed(fetched.body, fetched.contentType).text, fetched.url);
      } catch (error) {
        // Whatever one page does (an HTTP error, markup the extractor chokes on), the feed's
        // poll goes on: the item is judged by its headline.
        log.info({ err: { message: (error as Error).message } }, 'article not read');
        return null;
      }
    },
  };
}
