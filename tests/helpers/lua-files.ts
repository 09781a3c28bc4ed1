/** The Lua scripts the service ships: every .lua file under src/. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SRC = join(import.meta.dirname, '..', '..', 'src');

export function luaFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? luaFiles(join(dir, entry.name))
      : entry.name.endsWith('.lua')
        ? [join(dir, entry.name)]
        : [],
  );
}
