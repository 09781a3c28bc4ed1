/**
 * Where the package's own files are, found from this module's location so that
 * the same code works from src/ (tsx, tests) and from dist/ (the build): config/
 * and tests/fixtures/ are not compiled, they stay at the package root.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);
export const FIXTURES = join(PACKAGE_ROOT, 'tests', 'fixtures');
