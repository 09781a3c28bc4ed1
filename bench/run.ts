/**
 * `npm run bench [name]`: runs every bench/*.bench.ts (or those whose file name
 * contains `name`), one after the other. Each module's default export is an
 * async function that prints its figures as readable lines.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const filter = process.argv[2];
const files = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.bench.ts') && (!filter || file.includes(filter)))
  .sort();
if (!files.length) {
  process.stderr.write(`bench: no bench/*.bench.ts${filter ? ` matching "${filter}"` : ''}\n`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  const module = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as { default?: unknown };
  if (typeof module.default !== 'function') {
    process.stderr.write(`bench: ${file} has no default export function; skipped\n`);
    continue;
  }
  process.stdout.write(`# ${file}\n`);
  try {
    await (module.default as () => Promise<void>)();
  } catch (error) {
    failed++;
    process.stderr.write(
      `bench: ${file} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
process.exit(failed ? 1 : 0);
