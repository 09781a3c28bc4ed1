/**
 * Digests and alerts as plain data: which events a channel should see, in which
 * order, and what to say about each. No I/O; the platform formatters
 * (digest-slack.ts, digest-discord.ts, digest-text.ts) render the model.
 */
import type { EventRecord, Lang, StoredItem } from './types.ts';

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
  headline: string;
  /** The first outlet's article: the earliest published item of the event. */
  url: string | null;
  outlet: string | null;
  sources: number;
  /** Outlets gained since the channel was last shown the event (updates only). */
  newSources: number;
  langs: Lang[];
  /** Company names, subscribed ones first, at most COMPANIES_SHOWN. */
  companies: string[];
  moreCompanies: number;
  /** Names of the subscribed companies the event involves. */
  subscribed: string[];
  firstSeen: string;
  /** Why it is relevant, in a few words. */
  why: string;
}

export interface Digest {
  channelId: string;
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
const LANG_NAMES: Record<Lang, string> = { en: 'English', ja: 'Japanese' };

export function langName(lang: Lang): string {
  return LANG_NAMES[lang];
}

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

/** "AI: LLM, 大規模言語モデル, パラメータ" → "AI: LLM, 大規模言語モデル"; reasons joined by " · ". */
export function shortReasons(reasons: readonly string[], termsEach = 2, maxLength = 200): string {
  const parts = reasons.map((reason) => {
    const colon = reason.indexOf(': ');
    if (colon < 0) return reason;
    const terms = reason.slice(colon + 2).split(', ');
    const kept = terms.slice(0, termsEach).join(', ');
    return `${reason.slice(0, colon)}: ${kept}${terms.length > termsEach ? '…' : ''}`;
  });
  return truncate(parts.join(' · '), maxLength);
}

/** Cuts to at most `max` characters (code points), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

export function buildEntry(
  selected: Pick<Selected, 'event' | 'kind' | 'newSources'> | { event: EventRecord; kind: 'alert' },
  channel: DigestChannel,
  items: ReadonlyMap<string, StoredItem>,
  nameOf: (id: string) => string,
): DigestEntry {
  const { event } = selected;
  const first = firstItem(event, items);
  const subscribedIds = event.companies.filter((c) => channel.subscriptions.includes(c));
  const ordered = [...subscribedIds, ...event.companies.filter((c) => !subscribedIds.includes(c))];
  const names = [...new Set(ordered.map(nameOf))];
  return {
    eventId: event.id,
    kind: selected.kind,
    headline: headlineOf(event, channel.language),
    url: linkOf(event, first, items),
    outlet: first?.source ?? event.sources[0] ?? null,
    sources: event.sources.length,
    newSources: 'newSources' in selected ? selected.newSources : 0,
    langs: [...event.langs].sort(),
    companies: names.slice(0, COMPANIES_SHOWN),
    moreCompanies: Math.max(0, names.length - COMPANIES_SHOWN),
    subscribed: subscribedIds.map(nameOf),
    firstSeen: event.firstSeen,
    why: shortReasons(event.reasons),
  };
}

/** The digest model of a channel's window. `items` holds the stored items of the selected events. */
export function buildDigest(
  selected: readonly Selected[],
  channel: DigestChannel,
  options: DigestOptions,
  items: ReadonlyMap<string, StoredItem>,
  nameOf: (id: string) => string,
): Digest {
  const kept = selected.slice(0, options.maxEvents);
  const entries = kept.map((s) => buildEntry(s, channel, items, nameOf));
  return {
    channelId: channel.id,
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
  nameOf: (id: string) => string,
): Alert {
  return {
    channelId: channel.id,
    timezone: channel.timezone,
    entry: buildEntry({ event, kind: 'alert' }, channel, items, nameOf),
  };
}

/** The sources count each digested event had, to tell updates from repeats next time. */
export function shownAfter(digest: Digest): Map<string, number> {
  return new Map(digest.entries.map((e) => [e.eventId, e.sources]));
}

/** "2026-04-15 11:00 GMT+9" in the channel's time zone. */
export function formatTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** "12 new, 3 updated" / "1 new" / "2 updated". */
export function countsLine(digest: Digest): string {
  const parts: string[] = [];
  if (digest.counts.new) parts.push(`${digest.counts.new} new`);
  if (digest.counts.update) parts.push(`${digest.counts.update} updated`);
  return parts.join(', ');
}

/** "3 outlets (English, Japanese)" / "1 outlet (Japanese)", with "+2 since last digest" on updates. */
export function outletsLine(entry: DigestEntry): string {
  const outlets = `${entry.sources} outlet${entry.sources === 1 ? '' : 's'} (${entry.langs.map(langName).join(', ')})`;
  return entry.kind === 'update' ? `${outlets}, +${entry.newSources} since the last digest` : outlets;
}

export function companiesLine(entry: DigestEntry): string {
  return entry.companies.join(', ') + (entry.moreCompanies ? ` +${entry.moreCompanies} more` : '');
}

export function windowLine(digest: Digest): string {
  return digest.firstDigest
    ? `in the last ${digest.maxAgeDays} day${digest.maxAgeDays === 1 ? '' : 's'}`
    : `since ${formatTime(digest.since, digest.timezone)}`;
}

export const TITLE = 'Japan AI watch';
