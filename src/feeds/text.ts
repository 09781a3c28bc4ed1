/**
 * Feed text → the plain text an item keeps: HTML reduced to its words (script and
 * style bodies dropped, entities decoded by an HTML5 tokenizer, so exactly once),
 * windows-1252's 0x80–0x9F code points mapped to the characters they stand for
 * (as feedparser and browsers do), control characters and NUL removed.
 */
import { Parser } from 'htmlparser2';
import { tidyText } from '../core/normalise.ts';

/** Elements whose content is not text a reader sees. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'head']);
/** Elements that separate words (a line break or a block). */
const BREAKS = new Set([
  'br',
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'td',
  'th',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'figcaption',
  'dd',
  'dt',
]);

export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const parts: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) hidden++;
        else if (BREAKS.has(name)) parts.push(' ');
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BREAKS.has(name)) parts.push(' ');
      },
      ontext(text) {
        if (!hidden) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return parts.join('');
}

/**
 * Elements that may appear in text that "looks like HTML" (feedparser's test for
 * RSS titles, which carry no type: a closing tag or an entity, and only HTML tags).
 */
const HTML_ELEMENTS = new Set(
  (
    'a abbr acronym address area article aside audio b bdi bdo big blink blockquote br button canvas caption ' +
    'center cite code col colgroup command datagrid datalist dd del details dfn dialog dir div dl dt em ' +
    'event-source fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i img input ins ' +
    'kbd keygen label legend li m map menu meter multicol nav nextid noscript ol optgroup option output p ' +
    'pre progress q s samp section select small sound source spacer span strike strong sub sup table tbody ' +
    'td textarea tfoot th thead time tr tt u ul var video'
  ).split(' '),
);

export function looksLikeHtml(text: string): boolean {
  if (!/<\/(\w+)>/.test(text) && !/&#?\w+;/.test(text)) return false;
  for (const [, tag] of text.matchAll(/<\/?(\w+)/g))
    if (!HTML_ELEMENTS.has((tag ?? '').toLowerCase())) return false;
  for (const [, name] of text.matchAll(/&(\w+);/g)) if (!KNOWN_ENTITY.test(`&${name};`)) return false;
  return true;
}

/** A named entity HTML knows (checked by letting the tokenizer decode it). */
const KNOWN_ENTITY = {
  test(entity: string): boolean {
    return htmlToText(entity) !== entity;
  },
};

/** windows-1252's characters for 0x80–0x9F (undefined slots stay, and are removed as controls). */
const CP1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Text after decoding: C1 code points read as windows-1252 (a &#147; or a byte 0x93 a
 * Latin-1 reader let through is a curly quote), then control characters and NUL removed.
 */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function cleanText(text: string): string {
  return text
    .replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252[c.charCodeAt(0) - 0x80] ?? 0))
    .replace(CONTROLS, '');
}

/**
 * UTF-8 read as Latin-1 somewhere upstream ("Ã©" for "é"): undone when the text is
 * nothing but Latin-1 characters that form valid UTF-8 (feedparser does the same).
 */
export function undoDoubleEncoding(text: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(text) || /[\u0100-\uffff]/.test(text)) return text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
}

/** The form an item stores: NFKC (ＡＩ → AI), one kind of quote, whitespace collapsed. No tag or entity is touched. */
export const tidy = tidyText;
