/**
 * How an article is recognised as one already seen: its normalised URL or its
 * feed GUID, and the stable id derived from the URL. The pipeline stores items
 * under these and the queue names jobs after them, so both must agree.
 */
import { createHash } from 'node:crypto';
import type { FeedItem } from './types.ts';
import { normaliseUrl } from './url.ts';

export function itemKeys(item: Pick<FeedItem, 'url' | 'guid'>): { urlKey: string; guidKey?: string } {
  const urlKey = normaliseUrl(item.url);
  return item.guid && item.guid !== item.url ? { urlKey, guidKey: item.guid } : { urlKey };
}

export function hashId(prefix: string, text: string, length: number): string {
  return `${prefix}${createHash('sha1').update(text).digest('hex').slice(0, length)}`;
}

/** The stored item's id: the same for every feed and worker that meets the article. */
export function itemIdOf(item: Pick<FeedItem, 'url' | 'guid'>): string {
  return hashId('i-', itemKeys(item).urlKey, 16);
}
