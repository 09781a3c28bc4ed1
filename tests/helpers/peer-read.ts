/** One peer file read through the worker's read path (fetch → decode → parse), as the measure sees it. */
import { readFeed } from '../../src/feeds/read.ts';
import type { ReadEntry } from './peer.ts';

const NOW = new Date('2030-01-01T00:00:00Z');
const LIMITS = { connectTimeoutMs: 5000, fetchTimeoutMs: 20_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

export async function readPeerFeed(
  url: string,
): Promise<{ ok: boolean; error?: string; title: string | null; entries: ReadEntry[] }> {
  try {
    const read = await readFeed(
      { url, name: 'peer', lang: 'en' },
      {},
      { fetch: LIMITS, now: NOW, maxItems: 10_000 },
    );
    if (read.status !== 'ok') throw new Error(read.status);
    return {
      ok: true,
      title: read.feed.title,
      entries: read.feed.entries.map(({ item, published }) => ({
        title: item.title === item.url ? '' : item.title, // the URL stands in for a missing title
        link: item.url,
        published,
        summary: item.summary,
      })),
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message, title: null, entries: [] };
  }
}
