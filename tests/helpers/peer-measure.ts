/** The peer measure itself, shared by scripts/peer-measure.ts (the figures) and the peer suite (the floor). */
import {
  REFERENCE_BASE,
  fieldMatches,
  heldFields,
  loadPeerFile,
  loadReference,
  pairEntries,
  peerPaths,
  servePeer,
} from './peer.ts';
import { readPeerFeed } from './peer-read.ts';

export interface PeerMeasure {
  /** "all title", "feedparser link", "rss-parser feeds read", "all summary, where given"… */
  counts: Map<string, { right: number; total: number }>;
  /** Every miss, as JSON lines: the path, the entry, the field, what feedparser read and what we read. */
  misses: string[];
}

export async function measurePeer(): Promise<PeerMeasure> {
  const files = peerPaths().map(loadPeerFile);
  const reference = loadReference();
  const server = await servePeer(files);
  const counts = new Map<string, { right: number; total: number }>();
  const count = (key: string, right: boolean) => {
    const c = counts.get(key) ?? { right: 0, total: 0 };
    c.total++;
    if (right) c.right++;
    counts.set(key, c);
  };
  const misses: string[] = [];
  try {
    for (const file of files) {
      const expected = reference.get(file.path);
      if (!expected?.entries.length) continue;
      const group = file.path.startsWith('rss-parser') ? 'rss-parser' : 'feedparser';
      const read = await readPeerFeed(server.base + file.path);
      const entries = read.entries.map((e) => ({ ...e, link: e.link.replace(server.base, REFERENCE_BASE) }));
      count(`${group} feeds read`, read.ok);
      if (!read.ok) misses.push(JSON.stringify({ path: file.path, error: read.error }));
      count(`${group} feed title`, fieldMatches('title', expected.title, read.title));
      if (expected.title)
        count(`${group} feed title, where given`, fieldMatches('title', expected.title, read.title));
      const held = heldFields(file.body);
      if (!held) {
        count('left out: CDF files', true);
        continue;
      }
      const paired = pairEntries(expected.entries, entries);
      expected.entries.forEach((want, i) => {
        // An entry feedparser reads with no page link is skipped by design (an item is a web page).
        if (!want.link) return count('left out: entries without a link', true);
        const got = paired[i];
        for (const field of held) {
          const right = got !== undefined && fieldMatches(field, want[field], got[field]);
          count(`${group} ${field}`, right);
          count(`all ${field}`, right);
          // The same, over entries where feedparser found a value: "none" = "none" is easy to get right.
          if (want[field]) count(`all ${field}, where given`, right);
          if (!right)
            misses.push(JSON.stringify({ path: file.path, i, field, want: want[field], got: got?.[field] }));
        }
      });
    }
  } finally {
    await server.close();
  }
  return { counts, misses };
}
