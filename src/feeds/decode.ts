/**
 * Bytes → text for a feed. Japanese feeds still come in Shift_JIS and EUC-JP;
 * the charset is taken from a byte-order mark, else the HTTP Content-Type, else
 * the XML declaration, else UTF-8. A server default of ISO-8859-1/ASCII loses to
 * an explicit XML declaration, because Japanese sites often leave it unset.
 */
import { TextDecoder } from 'node:util';

const ALIASES: Record<string, string> = {
  cp932: 'shift_jis',
  'x-cp932': 'shift_jis',
  'windows-932': 'shift_jis',
  'x-euc': 'euc-jp',
  eucjp: 'euc-jp',
  utf8: 'utf-8',
};

const WEAK_HTTP_CHARSETS = new Set(['iso-8859-1', 'us-ascii', 'ascii', 'latin1']);

function label(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  return ALIASES[name] ?? name;
}

function httpCharset(contentType: string): string | undefined {
  return label(/charset\s*=\s*("[^"]*"|[^;\s]+)/i.exec(contentType)?.[1]);
}

function xmlCharset(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 256).toString('latin1');
  return label(/^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]);
}

function bomCharset(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

export function detectCharset(bytes: Buffer, contentType: string): string {
  const fromHttp = httpCharset(contentType);
  const fromXml = xmlCharset(bytes);
  const strongHttp = fromHttp && !(WEAK_HTTP_CHARSETS.has(fromHttp) && fromXml) ? fromHttp : undefined;
  return bomCharset(bytes) ?? strongHttp ?? fromXml ?? fromHttp ?? 'utf-8';
}

/** Decodes with the detected charset; an unknown label falls back to UTF-8 (and says so). */
export function decodeFeed(bytes: Buffer, contentType: string): { text: string; charset: string } {
  const charset = detectCharset(bytes, contentType);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), charset: `utf-8 (unknown charset "${charset}")` };
  }
  // TextDecoder drops a BOM itself; the XML declaration may still name the old charset, which the parser ignores.
  return { text: decoder.decode(bytes), charset: decoder.encoding };
}
