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
import { measurePeer } from '../tests/helpers/peer-measure.ts';
import { loadPeerFile, peerPaths } from '../tests/helpers/peer.ts';

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

const { counts, misses } = await measurePeer();
for (const [key, { right, total }] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
  process.stdout.write(
    `${key.padEnd(28)} ${String(right).padStart(5)} / ${String(total).padEnd(5)} ${((100 * right) / total).toFixed(1)}%\n`,
  );
if (values.misses) writeFileSync(values.misses, `${misses.join('\n')}\n`);
process.exit(0);
