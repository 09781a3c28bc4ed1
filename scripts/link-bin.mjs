// npm does not link a package's own `bin` into its own node_modules/.bin, so
// `npx aiwatch` inside this checkout would otherwise try the registry.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'bin', 'aiwatch.js');
mkdirSync(binDir, { recursive: true });
const link = join(binDir, 'aiwatch');
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
chmodSync(target, 0o755);
