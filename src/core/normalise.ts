/**
 * Text normalisation shared by the classifier, the clusterer and search, so that
 * one spelling of a name matches everywhere: full-width ＡＩ and ５３．４％ become
 * AI and 53.4% (NFKC), HTML is reduced to its text, whitespace collapsed.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  yen: '¥',
  middot: '·',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Strips tags (dropping script/style bodies) and decodes entities. */
export function stripHtml(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text;
  const noScripts = text.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
  const noTags = noScripts.replace(/<br\s*\/?>|<\/p>/gi, ' ').replace(/<[^>]*>/g, '');
  return decodeEntities(noTags).trim();
}

/** NFKC, HTML stripped, typographic quotes unified, whitespace collapsed. */
export function normaliseText(text: string): string {
  return tidyText(stripHtml(text));
}

/**
 * NFKC, typographic quotes unified, whitespace collapsed, and nothing else: for text that is
 * already plain (a feed's titles are), where "<div>" or "&amp;" are words, not markup.
 */
export function tidyText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The form used for matching: normalised and lower-cased. */
export function foldForMatch(text: string): string {
  return normaliseText(text).toLowerCase();
}
