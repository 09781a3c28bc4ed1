/**
 * Bytes → text for a feed, decided as feedparser decides: a byte-order mark wins;
 * otherwise each declared charset (HTTP Content-Type, XML declaration) is tried in
 * turn with a strict decode, and when none decodes cleanly the bytes are sniffed
 * (UTF-8, then the Japanese legacy charsets by validity, then chardet's guess),
 * windows-1252 last because every byte sequence decodes in it.
 *
 * Japanese sites often declare the wrong one of Shift_JIS/EUC-JP or none at all, and
 * EUC-JP bytes decode "cleanly" as Shift_JIS half-width kana, so a declared Japanese
 * charset is checked against what the bytes are valid in before it is believed.
 * ISO-8859-1 and US-ASCII labels are read as windows-1252, as browsers do: servers
 * label windows-1252 text so, and its 0x80–0x9F curly quotes and € would otherwise
 * become control characters (Node's own TextDecoder does so since 20.18.3).
 */
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import jschardet from 'jschardet';
import { TextDecoder } from 'node:util';

export interface Decoded {
  text: string;
  /** The charset the text was read in (a WHATWG-style name: utf-8, shift_jis, windows-1252…). */
  charset: string;
  /** What the HTTP header and XML declaration said, when it was not believed. */
  declared?: string;
}

const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'utf-16': 'utf-16le',
  utf16: 'utf-16le',
  'utf-32': 'utf-32le',
  utf32: 'utf-32le',
  'iso-10646-ucs-2': 'utf-16le',
  'ucs-2': 'utf-16le',
  sjis: 'shift_jis',
  'shift-jis': 'shift_jis',
  'x-sjis': 'shift_jis',
  ms932: 'shift_jis',
  cp932: 'shift_jis',
  'x-cp932': 'shift_jis',
  'windows-31j': 'shift_jis',
  'windows-932': 'shift_jis',
  'x-euc': 'euc-jp',
  'x-euc-jp': 'euc-jp',
  eucjp: 'euc-jp',
  cseucpkdfmtjapanese: 'euc-jp',
  jis: 'iso-2022-jp',
  csiso2022jp: 'iso-2022-jp',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  ascii: 'us-ascii',
  'ansi_x3.4-1968': 'us-ascii',
};

const JAPANESE = new Set(['shift_jis', 'euc-jp', 'iso-2022-jp']);
/** HTTP charsets that servers send by default: an XML declaration is believed before them. */
const WEAK_HTTP = new Set(['windows-1252', 'us-ascii']);

export function charsetLabel(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim()
    .toLowerCase();
  if (!name) return undefined;
  return ALIASES[name] ?? name;
}

function httpCharset(contentType: string): string | undefined {
  return charsetLabel(/charset\s*=\s*("[^"]*"|'[^']*'|[^;\s]+)/i.exec(contentType)?.[1]);
}

/** The XML declaration's encoding, read from the bytes as ASCII (UTF-16/32 bytes have their NULs dropped). */
function xmlCharset(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 512).toString('latin1').replace(/\0/g, '');
  return charsetLabel(/^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/i.exec(head)?.[1]);
}

function bomCharset(bytes: Buffer): { charset: string; length: number } | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { charset: 'utf-8', length: 3 };
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { charset: 'utf-32le', length: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { charset: 'utf-32be', length: 4 };
  if (a === 0xff && b === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (a === 0xfe && b === 0xff) return { charset: 'utf-16be', length: 2 };
  return undefined;
}

/** UTF-16/32 without a BOM, from where the NULs fall around the first '<' (XML spec, appendix F). */
function unitCharset(bytes: Buffer): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0x3c && c === 0) return 'utf-16be';
  if (a === 0x3c && b === 0 && d === 0) return 'utf-16le';
  return undefined;
}

function isAscii(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte > 0x7f) return false;
  return true;
}

/** The Japanese charset the bytes are valid in (ISO-2022-JP, UTF-8, EUC-JP, Shift_JIS in that order), if any. */
function japaneseCharset(bytes: Buffer): string | undefined {
  const hasEscape = bytes.includes(0x1b);
  if (isAscii(bytes) && !hasEscape) return undefined;
  const found = Encoding.detect(bytes, ['JIS', 'UTF8', 'EUCJP', 'SJIS']);
  return found === 'JIS'
    ? 'iso-2022-jp'
    : found === 'UTF8'
      ? 'utf-8'
      : found === 'EUCJP'
        ? 'euc-jp'
        : found === 'SJIS'
          ? 'shift_jis'
          : undefined;
}

/** chardet's guess from the start of the document (as feedparser asks chardet when all else fails). */
function guessedCharset(bytes: Buffer): { charset: string; confidence: number } | undefined {
  const guess = jschardet.detect(bytes.subarray(0, 256 * 1024));
  const charset = guess.encoding ? charsetLabel(guess.encoding) : undefined;
  return charset ? { charset, confidence: guess.confidence } : undefined;
}

/** Single-byte charsets chardet often names for text it is unsure of. */
const SINGLE_BYTE = /^(windows-125\d|iso-8859-\d+|ibm\d+|cp4\d\d|mac)/;

/**
 * What to try when nothing declared decodes: chardet's guess first when it is sure and
 * names a multi-byte charset (EUC-KR is valid EUC-JP too), then the Japanese charset the
 * bytes are valid in, then any guess chardet makes.
 */
function sniffed(bytes: Buffer): string[] {
  const guess = guessedCharset(bytes);
  const sure = guess && guess.confidence >= 0.8 && !SINGLE_BYTE.test(guess.charset) ? [guess.charset] : [];
  const japanese = japaneseCharset(bytes);
  return [
    ...sure,
    ...(japanese ? [japanese] : []),
    ...(guess && guess.confidence >= 0.1 ? [guess.charset] : []),
  ];
}

/** Decodes strictly: the text, or undefined when the bytes are not valid in that charset (or it is unknown). */
export function strictDecode(bytes: Buffer, charset: string): string | undefined {
  if (charset === 'us-ascii') return isAscii(bytes) ? bytes.toString('latin1') : undefined;
  if (charset === 'utf-8' || charset === 'iso-2022-jp') {
    try {
      return new TextDecoder(charset, { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  const name = charset === 'shift_jis' ? 'cp932' : charset;
  if (iconv.encodingExists(name)) {
    const text = iconv.decode(bytes, name, { stripBOM: false });
    // iconv-lite replaces what it cannot decode: a replacement character it made means "not this charset".
    return text.includes('\uFFFD') ? undefined : text;
  }
  try {
    return new TextDecoder(charset, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes leniently (undecodable bytes become U+FFFD), for a BOM-marked or last-resort read. */
function lenientDecode(bytes: Buffer, charset: string): string {
  if (charset === 'utf-8') return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return iconv.decode(bytes, charset, { stripBOM: false });
}

function candidates(bytes: Buffer, contentType: string): { list: string[]; declared: string[] } {
  const fromHttp = httpCharset(contentType);
  const unit = unitCharset(bytes);
  let fromXml = xmlCharset(bytes);
  // A UTF-16/32 declaration does not say the byte order: the bytes do.
  if (unit && fromXml && /^utf-(16|32)/.test(fromXml)) fromXml = unit;
  const declared = (
    fromHttp && fromXml && WEAK_HTTP.has(fromHttp) ? [fromXml, fromHttp] : [fromHttp, fromXml]
  ).filter((c): c is string => !!c);
  const list = unit ? [unit, ...declared] : [...declared];
  // A declared Japanese charset is checked against the one the bytes are valid in.
  const japanese = list.some((c) => JAPANESE.has(c) || c === 'utf-8') ? japaneseCharset(bytes) : undefined;
  const checked = list.map((c) => (japanese && (JAPANESE.has(c) || c === 'utf-8') ? japanese : c));
  // ISO-2022-JP is 7-bit, so valid UTF-8 too: its escape sequences tell it apart.
  const jis =
    isAscii(bytes) && (bytes.includes('\u001b$B') || bytes.includes('\u001b$@')) ? ['iso-2022-jp'] : [];
  return { list: [...checked, ...jis, 'utf-8'], declared };
}

/** Decodes a feed's bytes; `charset` names what was used. */
export function decodeFeed(bytes: Buffer, contentType: string): Decoded {
  const bom = bomCharset(bytes);
  if (bom) return { text: lenientDecode(bytes.subarray(bom.length), bom.charset), charset: bom.charset };
  const { list, declared } = candidates(bytes, contentType);
  const said = declared.join(', ');
  const tried = new Set<string>();
  const result = (text: string, charset: string): Decoded =>
    declared.length && declared[0] !== charset ? { text, charset, declared: said } : { text, charset };
  for (const charset of list) {
    if (tried.has(charset)) continue;
    tried.add(charset);
    const text = strictDecode(bytes, charset);
    if (text !== undefined) return result(text, charset);
  }
  for (const charset of sniffed(bytes)) {
    if (tried.has(charset)) continue;
    tried.add(charset);
    const text = strictDecode(bytes, charset);
    if (text !== undefined) return result(text, charset);
  }
  // windows-1252 reads every byte (its five unassigned ones as C1 controls, removed later).
  return result(lenientDecode(bytes, 'windows-1252'), 'windows-1252');
}
