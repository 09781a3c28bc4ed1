/**
 * How much of the peer corpus the feed reader reads right, by field: every file of
 * tests/fixtures/peer served over local HTTP and read through the worker's read path,
 * each entry's title, link, date and summary compared with what feedparser read
 * (tests/fixtures/peer/reference.jsonl).
 *
 *   node --import tsx scripts/peer-measure.ts             # the table
 *   node --import tsx scripts/peer-measure.ts --misses F  # also every miss, as JSON lines, to F
 *   node --import tsx scripts/peer-measure.ts --served D  # write the served copies for peer-reference.py
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readPeerFeed } from '../tests/helpers/peer-read.ts';
import {
  REFERENCE_BASE,
  fieldMatches,
  heldFields,
  loadPeerFile,
  loadReference,
  pairEntries,
  peerPaths,
  servePeer,
} from '../tests/helpers/peer.ts';

const { values } = parseArgs({ options: { served: { type: 'string' }, misses: { type: 'string' } } });
const files = peerPaths().map(loadPeerFile);

if (values.served) {
  const manifest: Record<string, string> = {};
  for (const file of files) {
    mkdirSync(dirname(join(values.served, file.path)), { recursive: true });
    writeFileSync(join(values.served, file.path), file.body);
    manifest[file.path] = file.contentType;
  }
  writeFileSync(join(values.served, 'manifest.json'), JSON.stringify(manifest, null, 1));
  process.stdout.write(`${files.length} files written to ${values.served}\n`);
  process.exit(0);
}

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
await server.close();
for (const [key, { right, total }] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
  process.stdout.write(
    `${key.padEnd(28)} ${String(right).padStart(5)} / ${String(total).padEnd(5)} ${((100 * right) / total).toFixed(1)}%\n`,
  );
if (values.misses) writeFileSync(values.misses, `${misses.join('\n')}\n`);
process.exit(0);
