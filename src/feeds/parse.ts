/**
 * Feed text → core FeedItems, read as feedparser reads: RSS 0.9x/2.0 (with or without
 * a version, a channel or a namespace), RSS 1.0/RDF and Atom 0.3/1.0 from one forgiving
 * element tree (xml-tree.ts); links resolved against xml:base and the feed URL; titles
 * and summaries as plain text by their declared type (Atom text/html/xhtml; an RSS title
 * is HTML only when it looks like HTML, a description always is); dates in every form
 * dates.ts reads, a zone-less one in the feed's zone. An entry without a link is skipped;
 * a huge feed is cut to its newest `maxItems`. A title that could not be decoded fails
 * the feed as `undecodable` rather than reaching the store as U+FFFD.
 */
import type { FeedConfig } from '../config/index.ts';
import type { FeedItem, Lang } from '../core/types.ts';
import { parseFeedDate } from './dates.ts';
import { FeedError } from './errors.ts';
import { cleanText, htmlToText, looksLikeHtml, tidy, undoDoubleEncoding } from './text.ts';
import { elements, innerHtml, parseXml, resolveUrl, textContent, type XNode } from './xml-tree.ts';

export interface ParseOptions {
  /** First-seen time for items without a usable date. */
  now: Date;
  maxItems: number;
  /** The charset the text was decoded from (a UTF-8 feed gets its double-encoded text repaired). */
  charset?: string;
  /** Items take the feed's declared language (ja or en) over the configured one (a feed not in config). */
  declaredLang?: boolean;
}

export type FeedFormat = 'rss' | 'atom' | 'rdf';

/** An item and what the feed itself said of its date (null: none, or none that could be read). */
export interface ReadEntry {
  item: FeedItem;
  published: string | null;
}

export interface ParsedFeed {
  /** Newest first, at most maxItems. */
  items: FeedItem[];
  /** The same items with their own dates, in the same order. */
  entries: ReadEntry[];
  format: FeedFormat;
  /** The feed's own title ('' when it has none). */
  title: string;
  /** The language the items were read in (the configured one, or the declared one with `declaredLang`). */
  lang: Lang;
  /** Entries in the document. */
  total: number;
  /** Entries without a link, skipped. */
  withoutLink: number;
  /** Entries beyond maxItems, dropped (the oldest). */
  dropped: number;
}

/** Earliest and latest (relative to now) publication dates taken at face value. */
const EARLIEST = Date.UTC(1995, 0, 1);
const FUTURE_SLACK_MS = 2 * 86_400_000;
/** Where an entry's fields come from, most preferred first (feedparser's precedence). */
const FEEDISH = new Set(['', 'rss', 'atom']);
const DATE_FIELDS: [string, string][] = [
  ['rss', 'pubdate'],
  ['', 'pubdate'],
  ['atom', 'published'],
  ['', 'published'],
  ['dc', 'date'],
  ['dcterms', 'issued'],
  ['atom', 'issued'],
  ['', 'issued'],
  ['atom', 'updated'],
  ['', 'updated'],
  ['atom', 'modified'],
  ['', 'modified'],
  ['dcterms', 'modified'],
  ['atom', 'created'],
  ['', 'created'],
  ['dcterms', 'created'],
];

function child(node: XNode, ns: string | Set<string>, local: string): XNode | undefined {
  return elements(node).find(
    (c) => c.local === local && (typeof ns === 'string' ? c.ns === ns : ns.has(c.ns)),
  );
}

function children(node: XNode, ns: Set<string>, local: string): XNode[] {
  return elements(node).filter((c) => c.local === local && ns.has(c.ns));
}

type Kind = 'text' | 'html' | 'xhtml' | 'skip';

/** How an element's content is to be read: Atom's type/mode attributes, else the element's habit. */
function kindOf(node: XNode, fallback: Kind): Kind {
  const type = (node.attrs.type ?? '').toLowerCase().trim();
  const mode = (node.attrs.mode ?? '').toLowerCase();
  if (mode === 'base64') return 'skip';
  if (mode === 'escaped') return 'html';
  if (type === 'html' || type === 'text/html') return 'html';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  if (type === 'text' || type === 'text/plain') return 'text';
  if (type && /xml/.test(type)) return 'xhtml';
  if (type && !type.startsWith('text/')) return 'skip';
  return fallback;
}

/** The element's content as plain text. An RSS title carries no type: it is HTML only when it looks like it. */
function plain(node: XNode | undefined, fallback: Kind, guess = false): string {
  if (!node) return '';
  let kind = kindOf(node, fallback);
  const inner = elements(node).length ? innerHtml(node) : textContent(node);
  if (kind === 'text' && guess && looksLikeHtml(inner)) kind = 'html';
  switch (kind) {
    case 'html':
      return htmlToText(inner);
    case 'xhtml':
    case 'text':
      return textContent(node);
    default:
      return '';
  }
}

function httpUrl(value: string, base: string): string | undefined {
  if (!value.trim()) return undefined;
  const url = resolveUrl(value, base);
  return /^https?:\/\//i.test(url) ? url : undefined;
}

/** The entry's web page: Atom's alternate link, RSS's <link>, a permalink guid. */
function entryLink(entry: XNode): string | undefined {
  for (const link of children(entry, FEEDISH, 'link')) {
    const href = link.attrs.href;
    if (href !== undefined) {
      const rel = (link.attrs.rel ?? 'alternate').toLowerCase();
      if (rel === 'alternate' || rel.endsWith('/alternate')) {
        const url = httpUrl(href, link.base);
        if (url) return url;
      }
      continue;
    }
    const url = httpUrl(textContent(link), link.base);
    if (url) return url;
  }
  const guid = child(entry, FEEDISH, 'guid');
  if (guid && (guid.attrs.ispermalink ?? 'true').toLowerCase() !== 'false')
    return httpUrl(textContent(guid), guid.base);
  return undefined;
}

/** Minutes east of UTC for the feed's zone-less dates: Asia/Tokyo (no DST) for a Japanese feed, else UTC. */
const zoneOf = (lang: Lang) => (lang === 'ja' ? 540 : 0);

function entryDate(entry: XNode, offset: number, now: Date): number | undefined {
  for (const [ns, local] of DATE_FIELDS) {
    const node = child(entry, ns, local);
    if (!node) continue;
    const at = parseFeedDate(textContent(node), offset);
    if (at !== undefined && at >= EARLIEST && at <= now.getTime() + FUTURE_SLACK_MS) return at;
  }
  return undefined;
}

function summaryOf(entry: XNode): { summary: string; content: string } {
  // As feedparser: the first description/summary is the summary (a second one is taken as content),
  // except that an iTunes summary after it replaces it.
  const candidates = elements(entry).filter(
    (c) =>
      ((c.local === 'description' || c.local === 'summary') && (FEEDISH.has(c.ns) || c.ns === 'itunes')) ||
      (c.local === 'description' && c.ns === 'dc'),
  );
  const first = candidates.find((c) => c.ns !== 'itunes');
  const itunes = candidates.filter((c) => c.ns === 'itunes').at(-1);
  const description =
    itunes && (!first || candidates.indexOf(itunes) > candidates.indexOf(first)) ? itunes : first;
  const contentNode =
    child(entry, 'content', 'encoded') ?? child(entry, FEEDISH, 'content') ?? child(entry, 'xhtml', 'body');
  const content = plain(contentNode, contentNode?.ns === 'xhtml' ? 'xhtml' : 'html');
  const media =
    child(entry, 'media', 'description') ??
    elements(child(entry, 'media', 'group') ?? entry).find(
      (c) => c.ns === 'media' && c.local === 'description',
    );
  // Atom's summary is text unless typed; iTunes' is text that may look like HTML; RSS's description is HTML.
  const summary =
    (description?.ns === 'atom'
      ? plain(description, 'text')
      : description?.ns === 'itunes'
        ? plain(description, 'text', true)
        : plain(description, 'html')) ||
    content ||
    plain(media, 'text');
  return { summary, content };
}

interface Located {
  format: FeedFormat;
  channel: XNode | undefined;
  entries: XNode[];
}

/** Entries anywhere below the root that are not inside another entry (RSS without a channel, items beside it). */
function collectEntries(node: XNode, out: XNode[]): XNode[] {
  for (const c of elements(node)) {
    if ((c.local === 'item' || c.local === 'entry') && FEEDISH.has(c.ns)) out.push(c);
    else collectEntries(c, out);
  }
  return out;
}

function locate(document: XNode): Located | undefined {
  const root = elements(document)[0];
  if (!root) return undefined;
  const entries = collectEntries(root, []);
  if (root.local === 'feed') return { format: 'atom', channel: root, entries };
  const channel = child(root, FEEDISH, 'channel');
  if (root.local === 'rdf') return { format: 'rdf', channel, entries };
  if (root.local === 'rss' || channel || entries.length)
    return { format: 'rss', channel: channel ?? root, entries };
  return undefined;
}

function looksLikeHtmlPage(body: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html[\s>])/i.test(
    body.slice(0, 2048),
  );
}

export async function parseFeed(body: string, feed: FeedConfig, options: ParseOptions): Promise<ParsedFeed> {
  if (!body.trim()) throw new FeedError('empty', feed.url, 'the server sent an empty body');
  if (looksLikeHtmlPage(body)) throw new FeedError('not-a-feed', feed.url, 'got an HTML page, not a feed');
  const document = parseXml(body.replace(/^\uFEFF/, ''), feed.url);
  if (!elements(document).length)
    throw new FeedError('malformed', feed.url, 'not XML: no element in the document');
  const located = locate(document);
  if (!located) throw new FeedError('not-a-feed', feed.url, 'the document is XML but not RSS, RDF or Atom');
  const repair = (options.charset ?? 'utf-8') === 'utf-8';
  const clean = (text: string) => cleanText(repair ? undoDoubleEncoding(text) : text);
  const feedLang = located.channel ? channelLang(located.channel) : undefined;
  const lang = options.declaredLang ? (feedLang ?? feed.lang) : feed.lang;
  // A zone-less date means the feed's local time: its declared language says where it is.
  const offset = zoneOf(feedLang ?? feed.lang);
  const title = located.channel
    ? tidy(clean(plain(child(located.channel, FEEDISH, 'title'), 'text', true)))
    : '';
  const entries: ReadEntry[] = [];
  const undecodable: string[] = [];
  for (const node of located.entries) {
    const url = entryLink(node);
    if (!url) continue;
    const ownTitle = tidy(
      clean(plain(child(node, FEEDISH, 'title') ?? child(node, 'dc', 'title'), 'text', node.ns !== 'atom')),
    );
    if (ownTitle.includes('\uFFFD')) {
      undecodable.push(ownTitle);
      continue;
    }
    const { summary, content } = summaryOf(node);
    const at = entryDate(node, offset, options.now);
    const guidNode = child(node, FEEDISH, 'guid') ?? child(node, FEEDISH, 'id');
    const guid = tidy(clean(guidNode ? textContent(guidNode) : (node.attrs['rdf:about'] ?? '')));
    const published = at === undefined ? null : new Date(at).toISOString();
    const item: FeedItem = {
      id: guid || url,
      // A feed polled by its URL alone (not in config) is named by its own title, else its host.
      source: feed.name || title || new URL(feed.url).host,
      url,
      ...(guid ? { guid } : {}),
      lang,
      published: published ?? options.now.toISOString(),
      title: ownTitle || url,
      summary: tidy(clean(summary).replace(/\uFFFD/g, '')).slice(0, 2000),
      content: tidy(clean(content).replace(/\uFFFD/g, '')).slice(0, 20_000),
      feedUrl: feed.url,
    };
    entries.push({ item, published });
  }
  if (undecodable.length)
    throw new FeedError(
      'undecodable',
      feed.url,
      `${undecodable.length} of ${located.entries.length} entries have titles that do not decode as ${options.charset ?? 'utf-8'} (first: "${undecodable[0]?.slice(0, 60)}")`,
    );
  const total = located.entries.length;
  // Newest first (stable for equal dates), then cut: a 10,000-entry feed yields a bounded poll.
  entries.sort((a, b) =>
    a.item.published < b.item.published ? 1 : a.item.published > b.item.published ? -1 : 0,
  );
  const kept = entries.slice(0, options.maxItems);
  return {
    items: kept.map((e) => e.item),
    entries: kept,
    format: located.format,
    title,
    lang,
    total,
    withoutLink: total - entries.length,
    dropped: entries.length - kept.length,
  };
}

/** The feed's declared language, when it is one we read: ja or en. */
function channelLang(channel: XNode): Lang | undefined {
  const node = child(channel, FEEDISH, 'language') ?? child(channel, 'dc', 'language');
  const declared = (node ? textContent(node) : (channel.lang ?? '')).trim().toLowerCase();
  if (declared.startsWith('ja')) return 'ja';
  if (declared.startsWith('en')) return 'en';
  return undefined;
}
