/**
 * feedparser's own `Expect:` lines, the simple ones: a string field of the first entry
 * (title, link, description/summary) or its date as a time tuple, each turned into what a
 * reader of plain text should show, to be checked against what we read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEER_DIR } from './peer.ts';

export interface Expectation {
  path: string;
  field: 'title' | 'link' | 'summary' | 'published';
  /** The value feedparser expects (HTML for summaries; ISO minute "YYYY-MM-DDTHH:MMZ" for dates). */
  value: string;
}

/** A Python string literal's value (the escapes feedparser's tests use). */
function pythonString(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

const STRING =
  /^(?:not )?bozo and entries\[0\]\['(title|link|summary|description)'\] == u?'((?:[^'\\]|\\.)*)'\s*$/;
const DATE =
  /^(?:not )?bozo and entries\[0\]\['(?:published|updated|created)_parsed'\] == \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+),/;

export function expectationOf(path: string): Expectation | undefined {
  const head = readFileSync(join(PEER_DIR, path)).subarray(0, 4096).toString('latin1');
  const line = /^Expect:\s*(.*)$/m.exec(head)?.[1]?.trim();
  if (!line) return undefined;
  const s = STRING.exec(line);
  if (s) {
    const field = s[1] === 'description' ? 'summary' : (s[1] as Expectation['field']);
    // The file was read as Latin-1: a literal typed in another script is UTF-8 bytes, decoded before the escapes.
    const value = pythonString(Buffer.from(s[2] ?? '', 'latin1').toString('utf8'));
    return { path, field, value };
  }
  const d = DATE.exec(line);
  if (d) {
    const [y, mo, da, h, mi] = d.slice(1, 6).map(Number) as [number, number, number, number, number];
    const value = new Date(Date.UTC(y, mo - 1, da, h, mi)).toISOString().slice(0, 16) + 'Z';
    return { path, field: 'published', value };
  }
  return undefined;
}
