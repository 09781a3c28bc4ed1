/**
 * Feed text → a small element tree, read forgivingly as feedparser's loose parser
 * reads: sax in non-strict mode (unclosed and mismatched tags, HTML entities, bare
 * ampersands survive), namespaces resolved to short families so that `<rss:item>`,
 * `<item>` and RSS 1.0's `<item>` are one thing, entities a DTD declares expanded,
 * and every element's xml:base and xml:lang resolved against its parents'.
 * Each piece of text is entity-decoded here, once.
 */
import sax from 'sax';
import { FeedError } from './errors.ts';

export interface XNode {
  /** Namespace family: '' (none), 'rss', 'atom', 'dc', 'dcterms', 'content', 'xhtml', 'rdf', 'media', or the URI. */
  ns: string;
  /** Local name, lower-case. */
  local: string;
  /** Attributes by lower-case name: unprefixed ones by local name, others as `family:local` (xml:base, rdf:about). */
  attrs: Record<string, string>;
  children: (XNode | string)[];
  /** Absolute base URI in force for this element. */
  base: string;
  lang?: string;
}

const FAMILIES: Record<string, string> = {
  'http://purl.org/rss/1.0/': 'rss',
  'http://my.netscape.com/rdf/simple/0.9/': 'rss',
  'http://backend.userland.com/rss': 'rss',
  'http://backend.userland.com/rss2': 'rss',
  'http://blogs.law.harvard.edu/tech/rss': 'rss',
  'http://purl.org/net/rss1.1#': 'rss',
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/elements/1.0/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/xml/1998/namespace': 'xml',
};

/** What an unbound prefix usually means (feeds that forget to declare dc: or content:). */
const PREFIXES: Record<string, string> = {
  dc: 'dc',
  dcterms: 'dcterms',
  content: 'content',
  atom: 'atom',
  rdf: 'rdf',
  media: 'media',
  xhtml: 'xhtml',
  itunes: 'itunes',
  xml: 'xml',
  rss: 'rss',
};

/** Namespace URIs compared without case and a trailing slash or hash (feeds write them every way). */
const canonicalNs = (uri: string) =>
  uri
    .trim()
    .toLowerCase()
    .replace(/[/#]+$/, '');
const FAMILY_BY_NS = new Map(Object.entries(FAMILIES).map(([uri, name]) => [canonicalNs(uri), name]));

function family(uri: string, prefix: string): string {
  if (uri) return FAMILY_BY_NS.get(canonicalNs(uri)) ?? uri;
  return prefix ? (PREFIXES[prefix] ?? prefix) : '';
}

export function resolveUrl(value: string, base: string): string {
  const trimmed = value.trim();
  try {
    return new URL(trimmed, base || undefined).href;
  } catch {
    return trimmed;
  }
}

/** A declared entity longer than this is not expanded: a name or a phrase, never a payload. */
const MAX_ENTITY_CHARS = 1000;

/** `<!ENTITY name "value">` declarations of an internal DTD subset (short ones only). */
function declaredEntities(doctype: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of doctype.matchAll(/<!ENTITY\s+([\w.:-]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
    const value = m[2] ?? m[3] ?? '';
    if (m[1] && value.length <= MAX_ENTITY_CHARS) found[m[1]] = value;
  }
  return found;
}

/** Parses a document; the root is a synthetic node holding the top-level element(s). */
export function parseXml(text: string, documentUrl: string): XNode {
  const root: XNode = { ns: '', local: '#document', attrs: {}, children: [], base: documentUrl };
  const stack: XNode[] = [root];
  const parser = sax.parser(false, { lowercase: true, xmlns: true, trim: false, normalize: false });
  const top = () => stack[stack.length - 1] as XNode;
  // Entity references can still multiply a small document (a short entity used a million times):
  // text beyond a few times the document's own size is refused, as a feed over the size cap is.
  const maxText = 4 * text.length + 1_000_000;
  let textSize = 0;
  const addText = (value: string) => {
    textSize += value.length;
    if (textSize > maxText)
      throw new FeedError('too-large', documentUrl, 'entity expansion makes the feed too large');
    const node = top();
    const last = node.children[node.children.length - 1];
    if (typeof last === 'string') node.children[node.children.length - 1] = last + value;
    else node.children.push(value);
  };
  parser.onerror = (error) => {
    if (error instanceof FeedError) throw error;
    // Keep reading: a loose reader makes the best of an ill-formed feed, as feedparser does.
    parser.error = null as unknown as Error;
    parser.resume();
  };
  parser.ondoctype = (doctype) => {
    const entities = parser.ENTITIES as Record<string, string>;
    Object.assign(entities, declaredEntities(doctype));
  };
  parser.ontext = addText;
  parser.oncdata = addText;
  parser.onscript = addText;
  parser.onopentag = (tag) => {
    const parent = top();
    const qualified = tag as sax.QualifiedTag;
    const attrs: Record<string, string> = {};
    for (const attr of Object.values(qualified.attributes ?? {})) {
      if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
      const name = attr.prefix ? `${family(attr.uri, attr.prefix)}:${attr.local}` : attr.local;
      attrs[name.toLowerCase()] = attr.value;
    }
    const base = attrs['xml:base'] ? resolveUrl(attrs['xml:base'], parent.base) : parent.base;
    const lang = attrs['xml:lang'] ?? parent.lang;
    const node: XNode = {
      ns: family(qualified.uri ?? '', qualified.prefix ?? ''),
      local: (qualified.local || qualified.name).toLowerCase(),
      attrs,
      children: [],
      base,
      ...(lang !== undefined ? { lang } : {}),
    };
    parent.children.push(node);
    stack.push(node);
  };
  parser.onclosetag = () => {
    if (stack.length > 1) stack.pop();
  };
  parser.write(text).close();
  return root;
}

export const elements = (node: XNode): XNode[] =>
  node.children.filter((c): c is XNode => typeof c !== 'string');

/** Text content of the element and its descendants (script and style bodies left out). */
export function textContent(node: XNode): string {
  return node.children
    .map((c) =>
      typeof c === 'string' ? c : c.local === 'script' || c.local === 'style' ? '' : textContent(c),
    )
    .join('');
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Children as HTML source: text pieces as they are (escaped HTML arrives as text), elements re-serialised. */
export function innerHtml(node: XNode): string {
  return node.children
    .map((c) => {
      if (typeof c === 'string') return c;
      const attrs = Object.entries(c.attrs)
        .map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
        .join('');
      return `<${c.local}${attrs}>${innerXml(c)}</${c.local}>`;
    })
    .join('');
}

/** Inside an element that was markup itself, text is escaped again to be HTML. */
function innerXml(node: XNode): string {
  return node.children
    .map((c) => (typeof c === 'string' ? escapeText(c) : `<${c.local}>${innerXml(c)}</${c.local}>`))
    .join('');
}
