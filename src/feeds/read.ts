/**
 * The read path of a feed, shared by the worker's poll and `check-feed`: conditional
 * GET with the worker's limits → decode → parse. Stores nothing.
 */
import type { FeedConfig } from '../config/index.ts';
import { decodeFeed } from './decode.ts';
import { fetchFeed, type FetchOptions, type Validators } from './fetch.ts';
import { parseFeed, type ParsedFeed } from './parse.ts';

export interface ReadOptions {
  fetch: FetchOptions;
  now: Date;
  maxItems: number;
  /** Items take the feed's declared language over the configured one (a feed not in config). */
  declaredLang?: boolean;
}

export type ReadResult =
  | { status: 'not-modified'; url: string }
  | { status: 'ok'; url: string; charset: string; bytes: number; validators: Validators; feed: ParsedFeed };

/** Reads one feed; every feed problem is a FeedError. */
export async function readFeed(
  feed: FeedConfig,
  validators: Validators,
  options: ReadOptions,
): Promise<ReadResult> {
  const fetched = await fetchFeed(feed.url, validators, options.fetch);
  if (fetched.status === 'not-modified') return fetched;
  const { text, charset } = decodeFeed(fetched.body, fetched.contentType);
  const parsed = await parseFeed(text, feed, {
    now: options.now,
    maxItems: options.maxItems,
    charset,
    ...(options.declaredLang ? { declaredLang: true } : {}),
  });
  return {
    status: 'ok',
    url: fetched.url,
    charset,
    bytes: fetched.body.length,
    validators: fetched.validators,
    feed: parsed,
  };
}
