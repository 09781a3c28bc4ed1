// `npm run build`: compiles src/ with tsc (tsconfig.build.json) to dist/, with the Lua scripts
// (src/**/*.lua) copied next to the modules that load them.
// `--if-stale` (prestart, the test set-up, the bench) builds only when a file under src/ or a
// tsconfig is newer than the last build, and does nothing where there is no src/ (the image).
//
// tsc writes into a fresh directory next to dist/ (same depth, so source maps point at src/),
// then each file is renamed into dist/: a process running from dist/ while another builds
// never reads a half-written file. A lock directory keeps two builds (two `npm test` runs in one
// checkout) from interleaving; the second waits and then finds dist/ up to date.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const lock = join(root, 'dist.lock');
const LOCK_STALE_MS = 120_000;

/** Newest change among the inputs; a directory's mtime changes when a file is added or removed. */
function newestInput() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) visit(join(root, file));
  return newest;
}

const isStale = () => !existsSync(stamp) || statSync(stamp).mtimeMs < newestInput();

function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name), base) : [relative(base, join(dir, entry.name))],
  );
}

function build() {
  const started = Date.now();
  const out = join(root, `dist.tmp-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out],
    {
      stdio: 'inherit',
    },
  );
  // tsc exits 2 when it found type errors but wrote the output anyway. `npm run build` fails
  // then; --if-stale (a test run, prestart) goes on with a warning, as tsx would have: the type
  // check is `npm run typecheck`'s job, and one file being edited should not stop every test.
  const emitted = result.status === 0 || (ifStale && result.status === 2 && existsSync(out));
  if (!emitted) {
    rmSync(out, { recursive: true, force: true });
    process.stderr.write('build: tsc failed\n');
    process.exit(result.status ?? 1);
  }
  if (result.status !== 0) process.stderr.write('build: type errors above; dist/ written anyway\n');
  // The Lua scripts are read at run time from next to the module that runs them.
  for (const file of files(join(root, 'src')).filter((f) => f.endsWith('.lua'))) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    copyFileSync(join(root, 'src', file), join(out, file));
  }
  const built = new Set(files(out));
  for (const file of built) {
    mkdirSync(dirname(join(dist, file)), { recursive: true });
    renameSync(join(out, file), join(dist, file));
  }
  // Output of a source file that no longer exists would still be importable: removed.
  for (const file of files(dist)) if (!built.has(file) && file !== '.built') rmSync(join(dist, file));
  rmSync(out, { recursive: true, force: true });
  // Stamped with the start time: a source saved while tsc ran still counts as newer.
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  process.stderr.write(`build: dist/ compiled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function takeLock() {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) {
      rmSync(lock, { recursive: true, force: true });
      return takeLock();
    }
    return false;
  }
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && !existsSync(join(root, 'src'))) process.exit(0);
if (ifStale && !isStale()) process.exit(0);
while (!takeLock()) await new Promise((resolve) => setTimeout(resolve, 200));
try {
  if (!ifStale || isStale()) build();
} finally {
  rmSync(lock, { recursive: true, force: true });
}
