/** Compiles dist/ once before the tests when src/ changed since the last build (the CLI tests run it). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
}
