/**
 * Digests and alerts as plain data: which events a channel should see, in which
 * order, and what to say about each. No I/O; the platform formatters
 * (digest-slack.ts, digest-discord.ts, digest-text.ts) render the model.
 */
import { messages } from './i18n/messages.ts';
import { formatTime } from './i18n/time.ts';
import { truncate } from './truncate.ts';
import type { EventRecord, Lang, StoredItem } from './types.ts';
import { sanitiseGenerated, type GeneratedText } from './untrusted.ts';

export { formatTime } from './i18n/time.ts';
export { truncate } from './truncate.ts';
export type { GeneratedText } from './untrusted.ts';

export interface DigestChannel {
  id: string;
  language: Lang;
  timezone: string;
  /** Entity ids the channel subscribes to. */
  subscriptions: readonly string[];
}

export interface DigestOptions {
  /** Window start (ISO): events updated at or after it are candidates. */
  since: string;
  /** Window end (ISO). */
  until: string;
  /** Events whose latest item is older than this are never digested as new. */
  maxAgeDays: number;
  maxEvents: number;
  /** Events the channel was already shown, with the number of sources they had then. */
  shown: ReadonlyMap<string, number>;
  /** True when the channel never had a digest: the window is the age limit. */
  firstDigest?: boolean;
}

export type EntryKind = 'new' | 'update' | 'alert';

export interface DigestEntry {
  eventId: string;
  kind: EntryKind;
  /** In the channel's language: an article's own headline, else the model's, else the other language's. */
  headline: string;
  /** The article's own headline when `headline` was written by the model. */
  original?: string;
  /** One sentence in the channel's language, written by the model. */
  summary?: string;
  /** The article the headline comes from (the earliest in the channel's language), else the first outlet's. */
  url: string | null;
  outlet: string | null;
  sources: number;
  /** Outlets gained since the channel was last shown the event (updates only). */
  newSources: number;
  langs: Lang[];
  /** Articles per language, the channel's language first. */
  articles: { lang: Lang; count: number }[];
  /** Company names, subscribed ones first, at most COMPANIES_SHOWN. */
  companies: string[];
  moreCompanies: number;
  /** Names of the subscribed companies the event involves. */
  subscribed: string[];
  firstSeen: string;
  /** Why it is relevant, in a few words. */
  why: string;
  /** The event's page in the web archive, when it has a public address (PUBLIC_URL). */
  page?: string;
}

export interface Digest {
  channelId: string;
  language: Lang;
  timezone: string;
  since: string;
  until: string;
  firstDigest: boolean;
  maxAgeDays: number;
  entries: DigestEntry[];
  counts: { new: number; update: number };
  /** Selected events left out because of maxEvents. */
  omitted: number;
}

export interface Alert {
  channelId: string;
  language: Lang;
  timezone: string;
  entry: DigestEntry;
}

export interface Selected {
  event: EventRecord;
  kind: 'new' | 'update';
  newSources: number;
  score: number;
}

export const COMPANIES_SHOWN = 5;
const DAY_MS = 86_400_000;

/** Model-written texts in the channel's language, by event id (none without a model). */
export type GeneratedTexts = ReadonlyMap<string, GeneratedText>;

/** An event is recent when its latest item is within the age limit at `now`. */
export function isRecent(iso: string, now: string, maxAgeDays: number): boolean {
  return Date.parse(iso) >= Date.parse(now) - maxAgeDays * DAY_MS;
}

/**
 * Importance: outlets count most, then being about a subscribed company, then
 * recency (linear over the age window) and coverage in both languages.
 */
export function importance(
  event: EventRecord,
  channel: DigestChannel,
  now: string,
  maxAgeDays: number,
): number {
  const ageDays = Math.max(0, (Date.parse(now) - Date.parse(event.lastSeen)) / DAY_MS);
  const recency = Math.max(0, 1 - ageDays / maxAgeDays);
  const subscribed = event.companies.some((c) => channel.subscriptions.includes(c));
  return (
    Math.min(event.sources.length, 10) * 2 + (subscribed ? 5 : 0) + recency * 3 + (event.langs.length - 1)
  );
}

/**
 * The events a channel's digest covers, most important first: updated in the
 * window, with news within the age limit, and either never shown to the channel
 * (new) or shown with fewer outlets than it has now (update).
 */
export function selectDigestEvents(
  events: readonly EventRecord[],
  channel: DigestChannel,
  options: DigestOptions,
): Selected[] {
  const since = Date.parse(options.since);
  const selected: Selected[] = [];
  for (const event of events) {
    if (Date.parse(event.updatedAt) < since) continue;
    if (!isRecent(event.lastSeen, options.until, options.maxAgeDays)) continue;
    const shownSources = options.shown.get(event.id);
    if (shownSources !== undefined && event.sources.length <= shownSources) continue;
    selected.push({
      event,
      kind: shownSources === undefined ? 'new' : 'update',
      newSources: shownSources === undefined ? 0 : event.sources.length - shownSources,
      score: importance(event, channel, options.until, options.maxAgeDays),
    });
  }
  return selected.sort(
    (a, b) =>
      b.score - a.score ||
      b.event.lastSeen.localeCompare(a.event.lastSeen) ||
      a.event.id.localeCompare(b.event.id),
  );
}

/** The headline in the channel's language when the event has one, else English, else Japanese. */
export function headlineOf(event: EventRecord, language: Lang): string {
  return event.titles[language] ?? event.titles.en ?? event.titles.ja ?? event.title;
}

/** Item ids whose stored items the entries need (for the first outlet's link). */
export function itemIdsFor(selected: readonly Pick<Selected, 'event'>[]): string[] {
  return [...new Set(selected.flatMap((s) => s.event.itemIds))];
}

function firstItem(event: EventRecord, items: ReadonlyMap<string, StoredItem>): StoredItem | undefined {
  let first: StoredItem | undefined;
  for (const id of event.itemIds) {
    const item = items.get(id);
    if (item && (!first || item.published < first.published)) first = item;
  }
  return first;
}

/**
 * Links longer than this are not put in a post: a real article URL is far shorter, and one of
 * thousands of characters would crowd out the headline, outlets and reasons within the platforms'
 * block and embed limits.
 */
export const MAX_LINK_CHARS = 2000;

const linkable = (url: string | undefined): url is string =>
  url !== undefined && url.length <= MAX_LINK_CHARS && /^https?:\/\//i.test(url);

/** The first article's link; if it cannot be posted, the shortest other article's; else none. */
function linkOf(
  event: EventRecord,
  first: StoredItem | undefined,
  items: ReadonlyMap<string, StoredItem>,
): string | null {
  if (linkable(first?.url)) return first.url;
  const others = event.itemIds.map((id) => items.get(id)?.url).filter(linkable);
  return others.sort((a, b) => a.length - b.length)[0] ?? null;
}

/**
 * The article a channel's entry leads with: the one whose title is the event's headline in
 * the channel's language, else the earliest article in that language; when its link cannot be
 * posted, the shortest link in that language. Undefined when the language has none to post.
 * Slash-command lists lead with it too.
 */
export function leadIn(
  event: EventRecord,
  items: ReadonlyMap<string, StoredItem>,
  lang: Lang,
): StoredItem | undefined {
  const inLang = event.itemIds
    .map((id) => items.get(id))
    .filter((item): item is StoredItem => item !== undefined && item.lang === lang)
    .sort((a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id));
  const preferred = inLang.find((item) => item.title === event.titles[lang]) ?? inLang[0];
  if (preferred && linkable(preferred.url)) return preferred;
  return inLang.filter((item) => linkable(item.url)).sort((a, b) => a.url.length - b.url.length)[0];
}

/** Articles per language among the loaded items, the channel's language first. */
function articleCounts(
  event: EventRecord,
  items: ReadonlyMap<string, StoredItem>,
  lang: Lang,
): { lang: Lang; count: number }[] {
  const counts = new Map<Lang, number>();
  for (const id of event.itemIds) {
    const item = items.get(id);
    if (item) counts.set(item.lang, (counts.get(item.lang) ?? 0) + 1);
  }
  return [...counts]
    .map(([l, count]) => ({ lang: l, count }))
    .sort((a, b) => Number(b.lang === lang) - Number(a.lang === lang) || a.lang.localeCompare(b.lang));
}

/** "Japanese actors: SoftBank" as the channel's language labels it ("日本の主体: SoftBank"). */
export function localiseReason(reason: string, language: Lang): string {
  const colon = reason.indexOf(': ');
  const label = colon < 0 ? undefined : messages(language).reasonLabels[reason.slice(0, colon)];
  return label === undefined ? reason : `${label}${reason.slice(colon)}`;
}

/** "AI: LLM, 大規模言語モデル, パラメータ" → "AI: LLM, 大規模言語モデル"; reasons joined by " · ". */
export function shortReasons(
  reasons: readonly string[],
  termsEach = 2,
  maxLength = 200,
  language: Lang = 'en',
): string {
  const parts = reasons.map((reason) => {
    const colon = reason.indexOf(': ');
    if (colon < 0) return reason;
    const terms = reason.slice(colon + 2).split(', ');
    const kept = terms.slice(0, termsEach).join(', ');
    return localiseReason(
      `${reason.slice(0, colon)}: ${kept}${terms.length > termsEach ? '…' : ''}`,
      language,
    );
  });
  return truncate(parts.join(' · '), maxLength);
}

export function buildEntry(
  selected: Pick<Selected, 'event' | 'kind' | 'newSources'> | { event: EventRecord; kind: 'alert' },
  channel: DigestChannel,
  items: ReadonlyMap<string, StoredItem>,
  nameOf: (id: string, lang: Lang) => string,
  generated?: GeneratedText,
): DigestEntry {
  const { event } = selected;
  const first = firstItem(event, items);
  const native = event.titles[channel.language];
  const lead = native !== undefined ? leadIn(event, items, channel.language) : undefined;
  const text = generated ? sanitiseGenerated(generated) : null;
  const subscribedIds = event.companies.filter((c) => channel.subscriptions.includes(c));
  const ordered = [...subscribedIds, ...event.companies.filter((c) => !subscribedIds.includes(c))];
  const name = (id: string) => nameOf(id, channel.language);
  const names = [...new Set(ordered.map(name))];
  const headline = headlineOf(event, channel.language);
  return {
    eventId: event.id,
    kind: selected.kind,
    // An article's own headline in the channel's language beats the model's translation.
    headline: native ?? text?.headline ?? headline,
    ...(native === undefined && text ? { original: headline } : {}),
    ...(text?.summary ? { summary: text.summary } : {}),
    url: lead?.url ?? linkOf(event, first, items),
    outlet: lead?.source ?? first?.source ?? event.sources[0] ?? null,
    sources: event.sources.length,
    newSources: 'newSources' in selected ? selected.newSources : 0,
    langs: [...event.langs].sort(),
    articles: articleCounts(event, items, channel.language),
    companies: names.slice(0, COMPANIES_SHOWN),
    moreCompanies: Math.max(0, names.length - COMPANIES_SHOWN),
    subscribed: subscribedIds.map(name),
    firstSeen: event.firstSeen,
    why: shortReasons(event.reasons, 2, 200, channel.language),
  };
}

/** The digest model of a channel's window. `items` holds the stored items of the selected events. */
export function buildDigest(
  selected: readonly Selected[],
  channel: DigestChannel,
  options: DigestOptions,
  items: ReadonlyMap<string, StoredItem>,
  nameOf: (id: string, lang: Lang) => string,
  texts?: GeneratedTexts,
): Digest {
  const kept = selected.slice(0, options.maxEvents);
  const entries = kept.map((s) => buildEntry(s, channel, items, nameOf, texts?.get(s.event.id)));
  return {
    channelId: channel.id,
    language: channel.language,
    timezone: channel.timezone,
    since: options.since,
    until: options.until,
    firstDigest: options.firstDigest ?? false,
    maxAgeDays: options.maxAgeDays,
    entries,
    counts: {
      new: entries.filter((e) => e.kind === 'new').length,
      update: entries.filter((e) => e.kind === 'update').length,
    },
    omitted: selected.length - kept.length,
  };
}

export function buildAlert(
  event: EventRecord,
  channel: DigestChannel,
  items: ReadonlyMap<string, StoredItem>,
  nameOf: (id: string, lang: Lang) => string,
  generated?: GeneratedText,
): Alert {
  return {
    channelId: channel.id,
    language: channel.language,
    timezone: channel.timezone,
    entry: buildEntry({ event, kind: 'alert' }, channel, items, nameOf, generated),
  };
}

/** The sources count each digested event had, to tell updates from repeats next time. */
export function shownAfter(digest: Digest): Map<string, number> {
  return new Map(digest.entries.map((e) => [e.eventId, e.sources]));
}

/** "12 new, 3 updated" / "新着 12件、続報 3件". */
export function countsLine(digest: Digest): string {
  return messages(digest.language).digest.counts(digest.counts.new, digest.counts.update);
}

/**
 * "4 outlets (English)"; for an event in both languages the articles of each, the channel's
 * first: "5 outlets · 2 English articles · 日本語 3件". "+2 since the last digest" on updates.
 */
export function outletsLine(entry: DigestEntry, language: Lang): string {
  const m = messages(language).digest;
  const line =
    entry.articles.length > 1
      ? `${m.outletCount(entry.sources)} · ${m.articles(entry.articles)}`
      : m.outlets(entry.sources, entry.langs);
  return entry.kind === 'update' ? `${line}, ${m.newSources(entry.newSources)}` : line;
}

export function companiesLine(entry: DigestEntry, language: Lang): string {
  return messages(language).digest.companyList(entry.companies, entry.moreCompanies);
}

export function windowLine(digest: Digest): string {
  const m = messages(digest.language).digest;
  return digest.firstDigest
    ? m.lastDays(digest.maxAgeDays)
    : m.since(formatTime(digest.since, digest.timezone, digest.language, digest.until));
}
