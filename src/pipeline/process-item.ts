/**
 * The one path every item takes, in the worker, in replay and in tests:
 * exact-duplicate check → classify → (if relevant) match against stored events → store.
 */
import type { Analyser } from '../core/analyse.ts';
import type { Classify } from '../core/classify.ts';
import {
  chooseEvent,
  indexKeys,
  pickMerges,
  MAX_EVENT_ARTICLES,
  mergeEventProfiles,
  mergeProfile,
  type MatchDetail,
  type MergeCandidate,
} from '../core/cluster.ts';
import { buildProfile } from '../core/features.ts';
import type { Classification, EventRecord, FeedItem, Profile, StoredItem } from '../core/types.ts';
import { hashId, itemKeys } from '../core/item-identity.ts';
import { tidyText } from '../core/normalise.ts';
import { versionKey, type CandidateSnapshot, type EventStore } from '../store/types.ts';

export interface PipelineDeps {
  analyser: Analyser;
  classify: Classify;
  store: EventStore;
  dedupe: { windowMs: number; threshold: number; perKey: number; maxCandidates: number };
  /** How long an irrelevant item (and its URL/GUID markers) is kept, in ms; kept for good when absent. */
  irrelevantTtlMs?: number;
  now?: () => Date;
}

export type ProcessResult =
  | { status: 'duplicate'; itemId: string }
  | { status: 'irrelevant'; itemId: string; classification: Classification }
  | {
      status: 'new-event' | 'joined-event';
      itemId: string;
      eventId: string;
      classification: Classification;
      match: MatchDetail | null;
      event: EventRecord;
    };

const MAX_ATTEMPTS = 25;
const MOST_SPECIFIC_KEYS = 3;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const mergeCandidate = (c: CandidateSnapshot['candidates'][number]): MergeCandidate => ({
  id: c.id,
  profile: c.profile,
  lastSeen: c.lastSeen,
  articles: c.record.itemIds.length,
  mergedFrom: c.record.mergedFrom ?? [],
});

function publishedMs(item: FeedItem, now: Date): number {
  const at = Date.parse(item.published);
  return Number.isFinite(at) ? at : now.getTime();
}

function toStoredItem(item: FeedItem, itemId: string, c: Classification, now: Date): StoredItem {
  const published = new Date(publishedMs(item, now)).toISOString();
  return {
    id: itemId,
    inputId: item.id,
    url: item.url,
    ...(item.guid ? { guid: item.guid } : {}),
    source: item.source,
    lang: item.lang,
    // Plain text already (the feed reader made it so): "Use <div> tags" and "AT&amp;T" are kept as written.
    title: tidyText(item.title),
    summary: tidyText(item.summary).slice(0, 600),
    published,
    firstSeen: now.toISOString(),
    ...(item.feedUrl ? { feedUrl: item.feedUrl } : {}),
    relevant: c.relevant,
    score: c.score,
    companies: c.companies,
    reasons: c.reasons,
    terms: c.terms,
    event: null,
  };
}

function newEvent(id: string, item: StoredItem, profile: Profile, now: Date): EventRecord {
  return {
    id,
    title: item.title,
    titles: { [item.lang]: item.title },
    firstSeen: item.published,
    lastSeen: item.published,
    updatedAt: now.toISOString(),
    sources: [item.source],
    langs: [item.lang],
    companies: item.companies.slice(0, 12),
    itemIds: [item.id],
    reasons: item.reasons,
    profile,
  };
}

function joinEvent(event: EventRecord, item: StoredItem, profile: Profile, now: Date): EventRecord {
  const titles = { ...event.titles };
  titles[item.lang] ??= item.title;
  return {
    ...event,
    title: titles.en ?? event.title,
    titles,
    firstSeen: item.published < event.firstSeen ? item.published : event.firstSeen,
    lastSeen: item.published > event.lastSeen ? item.published : event.lastSeen,
    updatedAt: now.toISOString(),
    sources: event.sources.includes(item.source) ? event.sources : [...event.sources, item.source],
    langs: event.langs.includes(item.lang) ? event.langs : [...event.langs, item.lang],
    companies: [...new Set([...event.companies, ...item.companies])].slice(0, 20),
    itemIds: [...event.itemIds, item.id],
    profile: mergeProfile(event.profile, profile),
  };
}

/**
 * Events an article bridges, folded into one: the one first seen survives (ties: the smaller
 * id), with every article, source, language, title and company of the others, and their ids
 * in `mergedFrom` so that they keep resolving to it.
 */
function mergeEvents(events: readonly EventRecord[]): { survivor: EventRecord; absorbed: EventRecord[] } {
  const [survivor, ...absorbed] = [...events].sort(
    (a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id),
  ) as [EventRecord, ...EventRecord[]];
  let merged = survivor;
  for (const other of absorbed) {
    const titles = { ...other.titles, ...merged.titles };
    merged = {
      ...merged,
      title: titles.en ?? merged.title,
      titles,
      firstSeen: other.firstSeen < merged.firstSeen ? other.firstSeen : merged.firstSeen,
      lastSeen: other.lastSeen > merged.lastSeen ? other.lastSeen : merged.lastSeen,
      sources: [...new Set([...merged.sources, ...other.sources])],
      langs: [...new Set([...merged.langs, ...other.langs])],
      companies: [...new Set([...merged.companies, ...other.companies])].slice(0, 20),
      itemIds: [...merged.itemIds, ...other.itemIds],
      profile: mergeEventProfiles(merged.profile, other.profile),
      mergedFrom: [...(merged.mergedFrom ?? []), other.id, ...(other.mergedFrom ?? [])],
    };
  }
  return { survivor: merged, absorbed };
}

/**
 * A decision rests on the index keys (a new event under one could be a better
 * match) and on the event it joins (another join must not be overwritten);
 * other candidates growing meanwhile do not invalidate it. A key already full of
 * recent events (a big company, a common topic) changes all the time and says
 * little, so it is not watched; after repeated conflicts only the item's most
 * specific keys are, so a burst of stories on one subject cannot livelock.
 */
function versionsFor(
  snapshot: CandidateSnapshot,
  joined: readonly string[],
  perKey: number,
  attempt: number,
): Record<string, number> {
  const watched = Object.entries(snapshot.counts)
    .filter(([, count]) => count < perKey)
    .sort((a, b) => a[1] - b[1])
    .slice(0, attempt < 3 ? Infinity : MOST_SPECIFIC_KEYS)
    .map(([key]) => versionKey.index(key));
  for (const id of joined) watched.push(versionKey.event(id));
  return Object.fromEntries(watched.map((key) => [key, snapshot.versions[key] ?? 0]));
}

/** What an item brings before any store is asked: its identity, judgement and (if relevant) profile. */
export interface PreparedItem {
  item: FeedItem;
  now: Date;
  urlKey: string;
  guidKey?: string;
  itemId: string;
  classification: Classification;
  stored: StoredItem;
  /** Only for relevant items: what matching needs. */
  match?: { profile: Profile; keys: string[]; at: number };
}

/**
 * The pure half of processing: analysis, classification and the profile. Kept apart so that
 * a replay can prepare the next item while the store answers for this one.
 */
export function prepareItem(item: FeedItem, deps: Omit<PipelineDeps, 'store'>): PreparedItem {
  const now = deps.now?.() ?? new Date();
  const { urlKey, guidKey } = itemKeys(item);
  // itemIdOf(item), without normalising the URL a second time.
  const itemId = hashId('i-', urlKey, 16);
  const analysis = deps.analyser.analyse(item);
  const classification = deps.classify(analysis, item);
  const stored = toStoredItem(item, itemId, classification, now);
  const prepared: PreparedItem = {
    item,
    now,
    urlKey,
    ...(guidKey ? { guidKey } : {}),
    itemId,
    classification,
    stored,
  };
  if (!classification.relevant) return prepared;
  const profile = buildProfile(analysis, {
    generic: deps.analyser.genericWords,
    parentOf: (id) => deps.analyser.registry.parentOf(id),
  });
  return { ...prepared, match: { profile, keys: indexKeys(profile), at: publishedMs(item, now) } };
}

export async function processItem(item: FeedItem, deps: PipelineDeps): Promise<ProcessResult> {
  return storePrepared(prepareItem(item, deps), deps);
}

/** The store half: duplicate check, matching against stored events, commit. */
export async function storePrepared(prepared: PreparedItem, deps: PipelineDeps): Promise<ProcessResult> {
  const { now, urlKey, guidKey, itemId, classification, stored } = prepared;
  // No separate look-up for an exact duplicate: the store answers it with the
  // candidates or at commit, saving a round trip for the many new articles.
  if (!prepared.match) {
    const outcome = await deps.store.commit({
      item: stored,
      urlKey,
      ...(guidKey ? { guidKey } : {}),
      ...(deps.irrelevantTtlMs ? { ttlMs: deps.irrelevantTtlMs } : {}),
    });
    if (outcome.status === 'duplicate') return { status: 'duplicate', itemId: outcome.itemId };
    return { status: 'irrelevant', itemId, classification };
  }
  const { profile, keys, at } = prepared.match;
  const matchOptions = {
    ...deps.dedupe,
    parentOf: (id: string) => deps.analyser.registry.parentOf(id),
    isPlace: (id: string) => deps.analyser.registry.get(id)?.kind === 'place',
  };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { windowMs, perKey, maxCandidates } = deps.dedupe;
    const snapshot = await deps.store.findCandidates(keys, at, windowMs, perKey, maxCandidates, {
      urlKey,
      ...(guidKey ? { guidKey } : {}),
    });
    if (snapshot.duplicate) return { status: 'duplicate', itemId: snapshot.duplicate };
    // A full event takes no more articles (MAX_EVENT_ARTICLES): the article starts or joins another.
    const open = snapshot.candidates.filter((c) => c.record.itemIds.length < MAX_EVENT_ARTICLES);
    const decision = chooseEvent(profile, at, open, matchOptions);
    // A change to the joined event since the snapshot is caught at commit by its version.
    const best = decision.eventId ? snapshot.candidates.find((c) => c.id === decision.eventId) : undefined;
    // Other events this article also matches at the join bar are the same story: merged.
    const bridged = best
      ? pickMerges(
          mergeCandidate(best),
          decision.passing.map(({ id, score }) => ({
            candidate: mergeCandidate(open.find((c) => c.id === id)!),
            score,
          })),
          deps.dedupe.threshold,
        )
      : [];
    const { survivor: joined, absorbed } = best
      ? mergeEvents([
          best.record,
          ...snapshot.candidates.filter((c) => bridged.includes(c.id)).map((c) => c.record),
        ])
      : { survivor: undefined, absorbed: [] };
    const eventId = joined?.id ?? hashId('e-', urlKey, 12);
    const withEvent: StoredItem = { ...stored, event: eventId };
    const event = joined
      ? joinEvent(joined, withEvent, profile, now)
      : newEvent(eventId, withEvent, profile, now);
    const outcome = await deps.store.commit({
      item: withEvent,
      urlKey,
      ...(guidKey ? { guidKey } : {}),
      event,
      // The item's own keys: the event becomes findable by what this report adds, and the
      // keys it shares with earlier reports are re-scored so the event stays a candidate.
      // (A merged event's keys now find the survivor.)
      indexKeys: [...new Set([...keys, ...absorbed.flatMap((e) => indexKeys(e.profile))])],
      versions: versionsFor(snapshot, [...(best ? [best.id] : []), ...bridged], perKey, attempt),
      ...(absorbed.length
        ? {
            absorbed: absorbed.map((e) => ({
              id: e.id,
              companies: e.companies,
              indexKeys: indexKeys(e.profile),
              itemIds: e.itemIds,
              mergedFrom: e.mergedFrom ?? [],
            })),
          }
        : {}),
      // Twice the window behind this article: a late article of last week still finds
      // last week's events after a newer one was stored, and an old backlog (a feed's
      // first poll, a replay) keeps its own events while it is being read.
      expireBefore: at - 2 * deps.dedupe.windowMs,
      indexTtlMs: 2 * deps.dedupe.windowMs,
    });
    if (outcome.status === 'duplicate') return { status: 'duplicate', itemId: outcome.itemId };
    if (outcome.status === 'ok')
      return {
        status: joined ? 'joined-event' : 'new-event',
        itemId,
        eventId,
        classification,
        match: decision.detail,
        event,
      };
    // Another worker changed these candidates meanwhile: decide again on fresh data,
    // after a jittered pause so that a burst of syndicated copies does not livelock.
    await pause(Math.random() * Math.min(50, 2 ** attempt));
  }
  throw new Error(`dedupe of ${prepared.item.url} kept conflicting after ${MAX_ATTEMPTS} attempts`);
}
