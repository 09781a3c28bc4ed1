/**
 * The archive as feeds, pure: JSON Feed 1.1 (https://jsonfeed.org/version/1.1) and Atom 1.0
 * (RFC 4287) of events, newest first. Each entry is one event: its headline, its page as the
 * link and id, first seen as published, last change as updated, and a plain-text summary of
 * its coverage (outlets and languages, companies, reasons).
 */
import { localiseReason } from '../core/digest.ts';
import type { EntityRegistry } from '../core/entities.ts';
import type { Lang } from '../core/types.ts';
import type { ListedEvent } from './archive.ts';
import { webMessages } from './messages.ts';
import { paths } from './urls.ts';
import { el, serializeXml } from './xml.ts';

export interface FeedInput {
  /** The archive's base URL (PUBLIC_URL, else what the request was addressed to), no trailing slash. */
  base: string;
  lang: Lang;
  title: string;
  /** Path of the HTML page the feed follows (/ or /companies/<id>). */
  homePath: string;
  /** Path of the feed without its extension (/feed or /companies/<id>/feed). */
  feedPath: string;
  events: readonly ListedEvent[];
  entities: EntityRegistry;
  /** When the feed is empty: the time to give as its last update. */
  now: string;
}

function summary(event: ListedEvent, input: FeedInput): string {
  const m = webMessages(input.lang);
  const other = event.titles[input.lang === 'ja' ? 'en' : 'ja'];
  const lines = [
    ...(other && other !== headline(event, input.lang) ? [other] : []),
    `${m.outlets}: ${event.sources.join(', ')} (${event.langs.map((l) => m.langName[l]).join(', ')})`,
  ];
  if (event.companies.length)
    lines.push(
      `${m.companies}: ${event.companies.map((id) => input.entities.nameIn(id, input.lang)).join(', ')}`,
    );
  if (event.reasons.length)
    lines.push(`${m.reasons}: ${event.reasons.map((r) => localiseReason(r, input.lang)).join('; ')}`);
  return lines.join('\n');
}

function headline(event: ListedEvent, lang: Lang): string {
  return event.titles[lang] ?? event.title;
}

const iso = (time: string) => new Date(Date.parse(time)).toISOString();

/** The newest change among the events (Atom's feed-level updated). */
function updated(input: FeedInput): string {
  let newest = 0;
  for (const e of input.events) newest = Math.max(newest, Date.parse(e.updatedAt) || 0);
  return newest ? new Date(newest).toISOString() : iso(input.now);
}

export function jsonFeed(input: FeedInput): string {
  const { base } = input;
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: input.title,
    home_page_url: `${base}${input.homePath}`,
    feed_url: `${base}${input.feedPath}.json`,
    language: input.lang,
    authors: [{ name: webMessages(input.lang).siteName, url: `${base}/` }],
    items: input.events.map((event) => {
      const url = `${base}${paths.event(event.id)}`;
      return {
        id: url,
        url,
        title: headline(event, input.lang),
        content_text: summary(event, input),
        date_published: iso(event.firstSeen),
        date_modified: iso(event.updatedAt),
        tags: event.companies.map((id) => input.entities.nameIn(id, input.lang)),
        ...(event.titles[input.lang] ? { language: input.lang } : {}),
      };
    }),
  });
}

export function atomFeed(input: FeedInput): string {
  const { base } = input;
  const feed = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': input.lang },
    el('id', undefined, `${base}${input.feedPath}.atom`),
    el('title', { type: 'text' }, input.title),
    el('updated', undefined, updated(input)),
    el('link', { rel: 'self', type: 'application/atom+xml', href: `${base}${input.feedPath}.atom` }),
    el('link', { rel: 'alternate', type: 'text/html', href: `${base}${input.homePath}` }),
    el('author', undefined, el('name', undefined, webMessages(input.lang).siteName)),
    el('generator', undefined, 'japan-ai-watch'),
    ...input.events.map((event) => {
      const url = `${base}${paths.event(event.id)}`;
      const title = headline(event, input.lang);
      const lang = event.titles[input.lang] ? input.lang : (event.langs[0] ?? input.lang);
      return el(
        'entry',
        undefined,
        el('id', undefined, url),
        el('title', { type: 'text', 'xml:lang': lang }, title),
        el('link', { rel: 'alternate', type: 'text/html', href: url }),
        el('published', undefined, iso(event.firstSeen)),
        el('updated', undefined, iso(event.updatedAt)),
        ...event.companies.map((id) =>
          el('category', { term: id, label: input.entities.nameIn(id, input.lang) }),
        ),
        el('summary', { type: 'text' }, summary(event, input)),
      );
    }),
  );
  return serializeXml(feed);
}
