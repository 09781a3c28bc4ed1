/** One peer file read through the worker's read path (fetch → decode → parse), as the measure sees it. */
import { decodeFeed } from '../../src/feeds/decode.ts';
import { fetchFeed } from '../../src/feeds/fetch.ts';
import { parseFeed } from '../../src/feeds/parse.ts';
import type { ReadEntry } from './peer.ts';

const NOW = new Date('2030-01-01T00:00:00Z');
const LIMITS = { connectTimeoutMs: 5000, fetchTimeoutMs: 20_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

export async function readPeerFeed(
  url: string,
): Promise<{ ok: boolean; error?: string; title: string | null; entries: ReadEntry[] }> {
  try {
    const fetched = await fetchFeed(url, {}, LIMITS);
    if (fetched.status !== 'ok') throw new Error(fetched.status);
    const { text } = decodeFeed(fetched.body, fetched.contentType);
    const parsed = await parseFeed(text, { url, name: 'peer', lang: 'en' }, { now: NOW, maxItems: 10_000 });
    return {
      ok: true,
      title: null,
      entries: parsed.items.map((item) => ({
        title: item.title === item.url ? '' : item.title, // the URL stands in for a missing title
        link: item.url,
        published: item.published === NOW.toISOString() ? null : item.published,
        summary: item.summary,
      })),
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message, title: null, entries: [] };
  }
}
