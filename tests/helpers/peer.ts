/**
 * The peer corpus (tests/fixtures/peer: feedparser's test files and rss-parser's inputs)
 * served over HTTP the way ../shared/peer/README.md says a reader is held against it:
 * each file with the Content-Type its `Header:` line names (application/xml otherwise),
 * a link injected into every entry that has none (so that it is read at all), and what
 * was read compared field by field with what feedparser read from the same bytes
 * (reference.jsonl, written by scripts/peer-reference.py).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { FIXTURES } from './fixtures.ts';

export const PEER_DIR = join(FIXTURES, 'peer');
/** The origin feedparser was told the files came from; ours is replaced by it before comparing. */
export const REFERENCE_BASE = 'http://peer.test/';

export interface PeerFile {
  /** Relative to PEER_DIR, with forward slashes. */
  path: string;
  contentType: string;
  /** The bytes as served (links injected). */
  body: Buffer;
}

export interface ReadEntry {
  title: string;
  link: string;
  /** ISO-8601 UTC, or null when the entry gives no date (or none that could be read). */
  published: string | null;
  summary: string;
}

export interface ReferenceFile {
  path: string;
  bozo: boolean;
  version: string;
  encoding: string;
  title: string | null;
  entries: { title: string | null; link: string | null; published: string | null; summary: string | null }[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** The corpus' feed files, in a stable order. */
export function peerPaths(): string[] {
  const roots = ['feedparser/encoding', 'feedparser/illformed', 'feedparser/wellformed', 'rss-parser/input'];
  return roots
    .flatMap((root) => walk(join(PEER_DIR, root)))
    .map((file) => relative(PEER_DIR, file).split('\\').join('/'))
    .sort();
}

type Unit = 'latin1' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** How to see the file as characters for the injection: by its first bytes (byte-preserving for the rest). */
function unitOf(bytes: Buffer): Unit {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'utf-32be';
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0 && d === 0)) return 'utf-16le';
  if ((a === 0xfe && b === 0xff) || (a === 0 && b === 0x3c && c === 0)) return 'utf-16be';
  return 'latin1';
}

const decodeUnit = (bytes: Buffer, unit: Unit) =>
  unit === 'latin1' ? bytes.toString('latin1') : iconv.decode(bytes, unit, { stripBOM: false });
const encodeUnit = (text: string, unit: Unit) =>
  unit === 'latin1' ? Buffer.from(text, 'latin1') : iconv.encode(text, unit, { addBOM: false });

/** Content type from the file's `Header: Content-type:` line; application/xml otherwise (no charset). */
export function contentTypeOf(bytes: Buffer): string {
  const head = decodeUnit(bytes.subarray(0, 4096), unitOf(bytes)).replace(/\0/g, '');
  const match = /^Header:\s*Content-type:\s*(.*)$/im.exec(head);
  return match?.[1]?.trim() || 'application/xml';
}

/** An RSS <link> or permalink guid, or an Atom link to the entry's page (no rel, or rel="alternate"); enclosures and the like are not. */
function hasPageLink(body: string): boolean {
  for (const [tag] of body.matchAll(/<(?:[\w.-]+:)?link\b[^>]*>/gi)) {
    const rel = /\brel\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (!rel || rel.toLowerCase() === 'alternate') return true;
  }
  // A guid is the entry's link unless it says it is not a permalink.
  return /<(?:[\w.-]+:)?guid\b(?![^>]*isPermaLink\s*=\s*["']false)[^>]*>\s*https?:/i.test(body);
}

const ENTRY = /<((?:[\w.-]+:)?)(item|entry)\b([^>]*?)(?<!\/)>([\s\S]*?)<\/\1\2\s*>/gi;

/** Every entry without a link element gets one (an absolute URL naming its position). */
export function withLinks(bytes: Buffer): Buffer {
  const unit = unitOf(bytes);
  const text = decodeUnit(bytes, unit);
  let n = 0;
  let changed = false;
  const out = text.replace(ENTRY, (whole, prefix: string, local: string, attrs: string, body: string) => {
    const at = n++;
    if (hasPageLink(body)) return whole;
    changed = true;
    const url = `${REFERENCE_BASE}injected/${at}`;
    const link =
      local.toLowerCase() === 'entry'
        ? `<${prefix}link rel="alternate" href="${url}"/>`
        : `<${prefix}link>${url}</${prefix}link>`;
    return `<${prefix}${local}${attrs}>${link}${body}</${prefix}${local}>`;
  });
  return changed ? encodeUnit(out, unit) : bytes;
}

export function loadPeerFile(path: string): PeerFile {
  const raw = readFileSync(join(PEER_DIR, path));
  return { path, contentType: contentTypeOf(raw), body: withLinks(raw) };
}

export function loadReference(): Map<string, ReferenceFile> {
  const lines = readFileSync(join(PEER_DIR, 'reference.jsonl'), 'utf8').split('\n').filter(Boolean);
  return new Map(
    lines.map((line) => {
      const file = JSON.parse(line) as ReferenceFile;
      return [file.path, file];
    }),
  );
}

/** Serves the files at /<path>; returns the origin (http://127.0.0.1:PORT/) and a close(). */
export async function servePeer(files: PeerFile[]): Promise<{ base: string; close(): Promise<void> }> {
  const byPath = new Map(files.map((file) => [`/${file.path}`, file]));
  const server = createServer((req, res) => {
    const file = byPath.get(decodeURI((req.url ?? '/').split('?')[0] ?? '/'));
    if (!file) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Text as the item stores it (NFKC, one kind of quote, whitespace collapsed): compared in that form. */
export function fold(text: string | null | undefined): string {
  return (text ?? '')
    .normalize('NFKC')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

export type Field = 'title' | 'link' | 'published' | 'summary';
export const FIELDS: Field[] = ['title', 'link', 'published', 'summary'];

/** http://host and http://host/ are one address. */
function canonicalUrl(url: string | null): string {
  try {
    return url ? new URL(url).href : '';
  } catch {
    return url ?? '';
  }
}

/** Summary text is compared without whitespace (HTML block boundaries are spaces to one reader, nothing to another), up to the stored 2,000 characters. */
export function fieldMatches(field: Field, expected: string | null, actual: string | null): boolean {
  if (field === 'published') return (expected ?? null) === (actual ? actual.slice(0, 16) + 'Z' : null);
  if (field === 'link') return canonicalUrl(expected) === canonicalUrl(actual);
  if (field === 'title') return fold(expected) === fold(actual);
  const squash = (s: string | null) => fold(s).replace(/\s+/g, '');
  const want = squash(expected);
  const got = squash(actual);
  // The item keeps the first 2,000 characters: a summary cut there is compared up to where it was cut.
  if ((actual ?? '').length < 1990) return want === got;
  return want.startsWith(got.slice(0, -20));
}

/**
 * Pairs each reference entry with the read entry of the same link and title, else of the same
 * link (first unused), else the next unused in order.
 */
export function pairEntries<T extends { link: string; title: string }>(
  expected: { link: string | null; title: string | null }[],
  actual: T[],
): (T | undefined)[] {
  const used = new Set<number>();
  const take = (test: (a: T) => boolean) => {
    const i = actual.findIndex((a, j) => !used.has(j) && test(a));
    if (i >= 0) used.add(i);
    return i;
  };
  const sameLink = (want: { link: string | null }, a: T) =>
    !!want.link && fieldMatches('link', want.link, a.link);
  const exact = expected.map((want) => take((a) => sameLink(want, a) && fold(a.title) === fold(want.title)));
  const byLink = exact.map((i, n) => (i >= 0 ? i : take((a) => sameLink(expected[n] ?? { link: null }, a))));
  return byLink.map((i) => {
    if (i >= 0) return actual[i];
    const j = actual.findIndex((_, k) => !used.has(k));
    if (j < 0) return undefined;
    used.add(j);
    return actual[j];
  });
}

/**
 * Fields the peer README does not hold a reader to, by what the file holds: Atom 0.3 base64
 * content, pre-2005 <fullitem>/xhtml:body bodies, CDF. Null: the whole file is left out.
 */
export function heldFields(body: Buffer): Field[] | null {
  const text = body.toString('latin1');
  if (/<channel[^>]*>[\s\S]*<item[^>]*href=/i.test(text) || /^\s*(<!--[\s\S]*?-->\s*)?<CHANNEL/m.test(text))
    return null;
  const held = new Set(FIELDS);
  if (/base64/i.test(text)) {
    held.delete('title');
    held.delete('summary');
  }
  if (/<fullitem|xhtml:body|<body/i.test(text)) held.delete('summary');
  return [...held];
}
