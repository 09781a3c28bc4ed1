/**
 * Feed text → core FeedItems. RSS 2.0, RSS 1.0/RDF and Atom through rss-parser;
 * titles and summaries cleaned of tags and entities; an item without a usable
 * date gets its first-seen time; a huge feed is cut to its newest `maxItems`.
 */
import Parser from 'rss-parser';
import type { FeedConfig } from '../config/index.ts';
import { normaliseText } from '../core/normalise.ts';
import type { FeedItem } from '../core/types.ts';
import { FeedError } from './errors.ts';

export interface ParseOptions {
  /** First-seen time for items without a usable date. */
  now: Date;
  maxItems: number;
}

export interface ParsedFeed {
  items: FeedItem[];
  /** Entries in the document. */
  total: number;
  /** Entries without a link, skipped. */
  withoutLink: number;
  /** Entries beyond maxItems, dropped (the oldest). */
  dropped: number;
}

type RawItem = Record<string, unknown>;

const parser = new Parser<Record<string, unknown>, RawItem>({
  customFields: { item: ['content:encoded', 'summary', 'id', 'description'] },
});

/** Earliest and latest (relative to now) publication dates taken at face value. */
const EARLIEST = Date.UTC(1995, 0, 1);
const FUTURE_SLACK_MS = 2 * 86_400_000;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const inner = (value as { _?: unknown })._;
    if (typeof inner === 'string') return inner;
  }
  return '';
}

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

function published(raw: RawItem, now: Date): string {
  for (const candidate of [raw.isoDate, raw.pubDate, raw['dc:date'], raw.date]) {
    const at = Date.parse(text(candidate));
    if (Number.isFinite(at) && at >= EARLIEST && at <= now.getTime() + FUTURE_SLACK_MS)
      return new Date(at).toISOString();
  }
  return now.toISOString();
}

function toItem(raw: RawItem, feed: FeedConfig, now: Date): FeedItem | null {
  const guid = text(raw.guid) || text(raw.id) || text(raw['rdf:about']);
  const url = httpUrl(text(raw.link)) ?? httpUrl(guid);
  if (!url) return null;
  const content = text(raw['content:encoded']) || text(raw.content);
  const summary = text(raw.summary) || text(raw.contentSnippet) || text(raw.description) || content;
  return {
    id: guid || url,
    source: feed.name,
    url,
    ...(guid ? { guid: guid.trim() } : {}),
    lang: feed.lang,
    published: published(raw, now),
    title: normaliseText(text(raw.title)) || url,
    summary: normaliseText(summary).slice(0, 2000),
    content: normaliseText(content).slice(0, 20_000),
    feedUrl: feed.url,
  };
}

function looksLikeHtml(body: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html[\s>])/i.test(
    body.slice(0, 2048),
  );
}

export async function parseFeed(body: string, feed: FeedConfig, options: ParseOptions): Promise<ParsedFeed> {
  if (!body.trim()) throw new FeedError('empty', feed.url, 'the server sent an empty body');
  if (looksLikeHtml(body)) throw new FeedError('not-a-feed', feed.url, 'got an HTML page, not a feed');
  let parsed: { items: RawItem[] };
  try {
    parsed = await parser.parseString(body);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    if (/not recognized as RSS/i.test(reason))
      throw new FeedError('not-a-feed', feed.url, 'the document is XML but not RSS, RDF or Atom');
    throw new FeedError('malformed', feed.url, `not well-formed XML: ${reason}`);
  }
  const raw = parsed.items ?? [];
  const items: FeedItem[] = [];
  for (const entry of raw) {
    const item = toItem(entry, feed, options.now);
    if (item) items.push(item);
  }
  const withoutLink = raw.length - items.length;
  // Newest first (stable for equal dates), then cut: a 10,000-entry feed yields a bounded poll.
  items.sort((a, b) => (a.published < b.published ? 1 : a.published > b.published ? -1 : 0));
  const kept = items.slice(0, options.maxItems);
  return { items: kept, total: raw.length, withoutLink, dropped: items.length - kept.length };
}
