/**
 * Every Lua script under src/ is a file with a header naming its KEYS, its ARGV and its reply,
 * and builds no key name: each key it touches comes in through KEYS (what lets it run on a Redis
 * Cluster). tests/integration/lua-keys.test.ts watches the scripts run and checks the same.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { luaFiles, SRC } from '../helpers/lua-files.ts';
import { declaredKeyCount } from '../../src/redis/scripts.ts';

/** The leading comment lines, and the code after them without its comments. */
function parts(source: string): { header: string; code: string } {
  const lines = source.split('\n');
  const end = lines.findIndex((line) => !line.startsWith('--'));
  return {
    header: lines.slice(0, end).join('\n'),
    code: lines
      .slice(end)
      .map((line) => line.replace(/--.*$/, ''))
      .join('\n'),
  };
}

const files = luaFiles(SRC);

describe('Lua scripts', () => {
  it('are found: the store, the search index, deliveries and feed health', () => {
    const names = files.map((file) => relative(SRC, file)).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'store/lua/commit.lua',
        'store/lua/candidates.lua',
        'search/lua/index.lua',
        'search/lua/absorb.lua',
        'search/lua/search.lua',
        'notify/lua/delivery-claim-1.lua',
        'notify/lua/delivery-progress-1.lua',
        'notify/lua/delivery-finish.lua',
        'feeds/lua/mark-alerted-1.lua',
      ]),
    );
  });

  describe.each(files.map((file) => [relative(SRC, file), file]))('%s', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const { header, code } = parts(source);
    const fixed = declaredKeyCount(file);

    it('has a header naming its KEYS, its ARGV and its reply', () => {
      expect(header).toMatch(/KEYS\[1(\]|\.\.)/);
      expect(header).toMatch(/^--\s+Returns\b/m);
      // Every ARGV the code reads by number is named in the header.
      for (const [, n] of code.matchAll(/ARGV\[(\d+)\]/g)) expect(header).toContain(`ARGV[${n}]`);
      // Every key the code reads by number is named in the header, directly or in a range.
      const ranges = [...header.matchAll(/KEYS\[(\d+)\.\.(\w+)\]/g)].map(([, from]) => Number(from));
      for (const [, n] of code.matchAll(/KEYS\[(\d+)\]/g))
        expect(
          header.includes(`KEYS[${n}]`) || ranges.some((from) => from <= Number(n)),
          `KEYS[${n}] in the header`,
        ).toBe(true);
    });

    it('declares how many keys it takes: in its name, or as varying in its header', () => {
      if (fixed === undefined) {
        expect(header).toMatch(/varying number of keys/);
        return;
      }
      expect(header).not.toMatch(/varying number of keys/);
      expect(code).not.toMatch(/#KEYS/);
      for (let i = 1; i <= fixed; i++) expect(header).toContain(`KEYS[${i}]`);
      for (const [, n] of code.matchAll(/KEYS\[(\d+)\]/g)) expect(Number(n)).toBeLessThanOrEqual(fixed);
      expect(header).not.toContain(`KEYS[${fixed + 1}]`);
    });

    it('builds no key name: every command names its key through KEYS', () => {
      // No concatenation onto a key, no prefix handed in through ARGV.
      expect(code).not.toMatch(/KEYS\[[^\]]+\]\s*\.\./);
      expect(code).not.toMatch(/\.\.\s*KEYS\[/);
      expect(code).not.toMatch(/\bARGV\[\d+\]\s*\.\.\s*['"][^'"]*:/);
      // The first argument of every command (the key, for the commands these scripts use) is
      // KEYS[...], or a local holding one: `idx`, `version` and put's `key` (commit.lua), the
      // sorted copy of KEYS (search.lua), the declared key an effect names (delivery-finish.lua).
      for (const match of code.matchAll(/redis\.p?call\('([A-Z]+)',\s*([^,)]+)/g)) {
        const [, command, first] = match;
        // numkeys first, then the keys: search.lua's sorted copy of KEYS.
        if (command === 'ZINTERCARD' || command === 'ZINTER') continue;
        expect(first!.trim(), `${command} in ${relative(SRC, file)}`).toMatch(
          /^(KEYS\[.+\]|idx|version|key|keys\[1\]|keys\[k\]|declared\[op\[1\]\])$/,
        );
      }
      for (const [, first] of code.matchAll(/\bput\(([^,)]+)/g))
        if (first !== 'key') expect(first!.trim()).toMatch(/^KEYS\[.+\]$/);
    });
  });
});
