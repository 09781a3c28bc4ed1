/**
 * `check-feed`: one feed read exactly as the worker reads it (same limits, decoding,
 * parsing and item identity) and each item judged by the classifier, nothing stored.
 * The result is the command's JSON contract, one object per URL.
 */
import type { FeedConfig } from '../config/index.ts';
import type { Core } from '../core/index.ts';
import type { Lang } from '../core/types.ts';
import { FeedError } from './errors.ts';
import type { FetchOptions } from './fetch.ts';
import type { FeedFormat } from './parse.ts';
import { readFeed } from './read.ts';

export interface CheckedItem {
  title: string;
  url: string;
  guid: string | null;
  /** The item's own date (ISO-8601 UTC), or null when the feed gives none or it cannot be read. */
  published: string | null;
  summary: string;
  lang: Lang;
  relevant: boolean;
  reasons: string[];
}

export type CheckResult =
  | { url: string; ok: true; title: string; format: FeedFormat; charset: string; items: CheckedItem[] }
  | { url: string; ok: false; error: { kind: string; message: string } };

export interface CheckDeps {
  /** The configured feeds: a URL among them is read with its language and name. */
  feeds: FeedConfig[];
  fetch: FetchOptions;
  maxItems: number;
  core: Pick<Core, 'analyser' | 'classify'>;
  /** Language of a URL not in config; by default the feed's declared one, else English. */
  lang?: Lang;
  now?: Date;
}

function failed(url: string, kind: string, message: string): CheckResult {
  return { url, ok: false, error: { kind, message } };
}

export async function checkFeed(url: string, deps: CheckDeps): Promise<CheckResult> {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    return failed(url, 'invalid-url', `not a URL: "${url}"`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:')
    return failed(url, 'invalid-url', `only http and https feeds can be read, not ${parsedUrl.protocol}`);
  const configured = deps.feeds.find((feed) => feed.url === url);
  const feed: FeedConfig = configured ?? { url, name: '', lang: deps.lang ?? 'en' };
  try {
    const read = await readFeed(
      feed,
      {},
      {
        fetch: deps.fetch,
        now: deps.now ?? new Date(),
        maxItems: deps.maxItems,
        ...(!configured && !deps.lang ? { declaredLang: true } : {}),
      },
    );
    // Asked without validators, a server has nothing to answer 304 to; one that does is not usable.
    if (read.status !== 'ok') return failed(url, 'http', 'HTTP 304 to a request without validators');
    return {
      url,
      ok: true,
      title: read.feed.title,
      format: read.feed.format,
      charset: read.charset,
      items: read.feed.entries.map(({ item, published }) => {
        const judged = deps.core.classify(deps.core.analyser.analyse(item), item);
        return {
          title: item.title,
          url: item.url,
          guid: item.guid ?? null,
          published,
          summary: item.summary,
          lang: item.lang,
          relevant: judged.relevant,
          reasons: judged.reasons,
        };
      }),
    };
  } catch (error) {
    if (error instanceof FeedError) return failed(url, error.code, error.reason);
    throw error;
  }
}
