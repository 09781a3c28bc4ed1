/**
 * Where the feed side keeps its state in Redis: every key under `<prefix>{feeds}:`, one Redis
 * Cluster hash tag (each operation here touches one key; the tag keeps the layout one rule).
 *
 *   health:<feed id>      hash: a feed's health, validators and backoff (health.ts)
 *   article-host:<host>   the per-host lock of article reading, held for a request and the pause after it
 */
export const FEEDS_TAG = '{feeds}';

export interface FeedKeys {
  /** `feedId` is health.ts's feedId(url). */
  health(feedId: string): string;
  /** A SCAN pattern of every feed's health. */
  healthPattern: string;
  articleHost(host: string): string;
}

export function feedKeys(prefix: string): FeedKeys {
  const base = `${prefix}${FEEDS_TAG}:`;
  return {
    health: (feedId) => `${base}health:${feedId}`,
    healthPattern: `${base}health:*`,
    articleHost: (host) => `${base}article-host:${host}`,
  };
}
