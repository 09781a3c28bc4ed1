/**
 * The command line as a user runs it, timed as whole processes from dist/:
 *   - `aiwatch --help` (best and median of 10 runs; target under 0.3 s);
 *   - `aiwatch replay` of the devset ×200 (30,400 items: the devset's stories copied 11 days
 *     apart, further than the dedupe window, with their own ids and URLs) with the memory
 *     store (target ≥ 5,000 items/s) and the Redis store (target ≥ 2,000 items/s).
 * BENCH_REPLAY_COPIES changes the number of copies.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, PACKAGE_ROOT } from '../src/shared/paths.ts';
import { readItemsFile } from '../src/replay/items-file.ts';

const COPIES = Number(process.env.BENCH_REPLAY_COPIES ?? 200);
const SHIFT_MS = 11 * 86_400_000;
const MAIN = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

function devsetCopies(file: string): number {
  const devset = readItemsFile(join(FIXTURES, 'devset.jsonl'));
  const lines: string[] = [];
  for (let copy = 0; copy < COPIES; copy++)
    for (const item of devset) {
      const at = new Date(Date.parse(item.published) + copy * SHIFT_MS).toISOString();
      const url = new URL(item.url);
      url.searchParams.set('copy', String(copy));
      lines.push(JSON.stringify({ ...item, id: `${item.id}-c${copy}`, url: url.href, published: at }));
    }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return lines.length;
}

function seconds(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`aiwatch ${args.join(' ')} exited with ${result.status}`);
  return (performance.now() - started) / 1000;
}

export default async function bench(): Promise<void> {
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
  const help = Array.from({ length: 10 }, () => seconds(['--help'])).sort((a, b) => a - b);
  process.stdout.write(
    `aiwatch --help: best ${help[0]!.toFixed(3)} s, median ${help[5]!.toFixed(3)} s (target < 0.3 s)\n`,
  );
  const dir = join(PACKAGE_ROOT, '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `devset-x${COPIES}.jsonl`);
  const count = devsetCopies(file);
  for (const [store, target] of [
    ['memory', 5000],
    ['redis', 2000],
  ] as const) {
    const s = seconds(['replay', file, '--store', store]);
    process.stdout.write(
      `aiwatch replay devset ×${COPIES} (${count} items), ${store} store: ${s.toFixed(1)} s, ` +
        `${Math.round(count / s)} items/s (target ≥ ${target})\n`,
    );
  }
}
