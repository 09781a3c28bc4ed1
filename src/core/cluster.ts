/**
 * Streaming event matching: an arriving item is compared with the candidate
 * events found through its index keys and joins the best one above the
 * threshold, or starts a new event. Pure functions; the store supplies
 * candidates and applies the decision atomically.
 */
import { PARENT_DEPTH, ZONE_WEIGHT } from './features.ts';
import type { Profile } from './types.ts';

export interface Candidate {
  id: string;
  profile: Profile;
  /** Epoch ms of the latest item of the event. */
  lastSeen: number;
}

export interface MatchOptions {
  windowMs: number;
  threshold: number;
  /** The organisation an entity belongs to: a ministry missing from an event that has its government is no contradiction. */
  parentOf?: (id: string) => string | undefined;
  /** Places (prefectures, cities) tie reports together but a differing one is no contradiction. */
  isPlace?: (id: string) => boolean;
}

export type Relations = Pick<MatchOptions, 'parentOf' | 'isPlace'>;

/** Title words that make an event findable when it names no known entity. */
const WORD_KEYS = 4;
/** Amounts and names are listed headline first; the first few identify a story. */
const KEYS_PER_KIND = 6;

export interface MatchDetail {
  score: number;
  entities: string[];
  numbers: string[];
  names: string[];
  concepts: string[];
  titleOverlap: number;
  wordOverlap: number;
}

/** An entity named in the lead or headline (its profile weight): the story is about it. */
const PROMINENT = ZONE_WEIGHT.lead;
/** An entity named in the headline. */
const HEADLINE = ZONE_WEIGHT.title;

/**
 * Every weight and bar of matchScore and chooseEvent, named once. A shared entity adds its
 * (smaller) profile weight; the rest is below. Scores are compared with settings' dedupe.threshold.
 */
export const MATCH_WEIGHTS = {
  /** A headline entity the event never mentions costs 1.5× its weight: the headline is another story's. */
  absentHeadlineEntity: 1.5,
  /** Each amount both report (in any currency at a plausible rate): amounts identify an announcement. */
  sharedNumber: 2,
  /** Each product or model name both quote: a name is as telling as an amount. */
  sharedName: 2,
  /** Title overlap (share of the item's title bigrams) below this is chance: shared words of the field. */
  titleOverlapBar: 0.3,
  /** ...at or above it, the overlap times this: a near-copied headline is worth a shared amount and more. */
  titleOverlap: 6,
  /** Topic-word overlap needs at least this many words in the item to mean anything. */
  wordOverlapMinWords: 3,
  /** Word overlap below this share is chance. */
  wordOverlapBar: 0.2,
  /** ...at or above it, the overlap times this: a little less than a title, words are looser. */
  wordOverlap: 5,
  /** Bilingual topics shared (law, subsidy) add one each, at most this many: topics recur across stories. */
  conceptsCap: 2,
  /** Both name products and none is shared: likely the same company's other product. */
  otherName: 1,
  /** Both report money and no amount is shared: likely another deal. */
  otherAmount: 1,
  /** Both name topics and none is shared: likely another subject. */
  otherConcept: 1,
  /** A match is corroborated by this many shared entities with weight of their own, or by one more kind of evidence. */
  corroboratingEntities: 2,
  /** ...or a title overlap this high (lower than the scoring bar: corroboration needs less than a score). */
  corroboratingTitleOverlap: 0.2,
  /** ...or a word overlap this high. */
  corroboratingWordOverlap: 0.15,
  /** The most a match with a single kind of evidence can score: just under any sensible threshold. */
  uncorroboratedCap: 2,
  /** Days after an event's latest report during which a match costs nothing extra. */
  quietDays: 2,
  /** Then each further day costs this much: a like-sounding story a week later is the next announcement. */
  decayPerDay: 1.5,
} as const;
/** Yen per dollar that any report of the last years may have used to convert. */
const YEN_PER_DOLLAR = { min: 100, max: 162 } as const;

function parseAmount(key: string): { unit: string; value: number } {
  const [unit = '', value = ''] = key.split(':');
  return { unit, value: Number(value) };
}

/** Equal amounts, or one reported in dollars and the other in yen at a plausible rate. */
export function sameAmount(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseAmount(a);
  const y = parseAmount(b);
  const [usd, jpy] =
    x.unit === 'usd' && y.unit === 'jpy' ? [x, y] : x.unit === 'jpy' && y.unit === 'usd' ? [y, x] : [];
  if (!usd || !jpy) return false;
  const rate = jpy.value / usd.value;
  return rate >= YEN_PER_DOLLAR.min && rate <= YEN_PER_DOLLAR.max;
}
/** An amount of money (not a parameter count, percentage or count of firms). */
const isMoney = (n: string) => /^(jpy|usd|eur):/.test(n);

const MAX_NUMBERS = 24;
const MAX_NAMES = 20;
/** An event's latest articles whose titles and words a newcomer is compared with. */
const ARTICLES_COMPARED = 5;

/** Keys under which an event is findable: its prominent entities, amounts and names. */
export function indexKeys(profile: Profile): string[] {
  const entries = Object.entries(profile.entities);
  const prominent = entries.filter(([, w]) => w >= PROMINENT);
  const entityKeys = (prominent.length ? prominent : entries).map(([id]) => `e:${id}`);
  return [
    ...entityKeys,
    ...profile.numbers
      .filter((n) => !n.startsWith('n:'))
      .slice(0, KEYS_PER_KIND)
      .map((n) => `n:${n}`),
    ...profile.names.slice(0, KEYS_PER_KIND).map((n) => `m:${n}`),
    ...profile.words.slice(0, WORD_KEYS).map((w) => `w:${w}`),
    ...(profile.concepts ?? []).map((c) => `c:${c}`),
  ];
}

export interface ProfileSets {
  names: Set<string>;
  shingles: Set<string>;
  words: Set<string>;
  concepts: Set<string>;
}

export function setsOf(profile: Profile): ProfileSets {
  return {
    names: new Set(profile.names),
    shingles: new Set(profile.shingles),
    words: new Set(profile.words),
    concepts: new Set(profile.concepts ?? []),
  };
}

/** Profile arrays hold distinct values (see capped), so a plain count is the intersection size. */
function countIn(values: readonly string[], set: ReadonlySet<string>): number {
  let count = 0;
  for (const value of values) if (set.has(value)) count++;
  return count;
}

export function matchScore(
  item: Profile,
  event: Profile,
  relations: Relations = {},
  itemSets?: ProfileSets,
): MatchDetail {
  const parentOf = relations.parentOf ?? (() => undefined);
  const isPlace = relations.isPlace ?? (() => false);
  let score = 0;
  const entities: string[] = [];
  const sharedEntities = new Map<string, number>();
  for (const [id, weight] of Object.entries(item.entities)) {
    const other = event.entities[id];
    if (other !== undefined) {
      sharedEntities.set(id, Math.min(weight, other));
      entities.push(id);
    } else if (weight >= HEADLINE && !isPlace(id) && !hasRelative(id, event, parentOf)) {
      // The headline is about someone the event never mentions: evidence of another story.
      // (Names in the lead are often context: "an alternative to Amazon and Google".)
      score -= weight * MATCH_WEIGHTS.absentHeadlineEntity;
    }
  }
  // The government behind a shared ministry adds only what it weighs beyond the ministry.
  const own = new Map(sharedEntities);
  for (const [id, weight] of sharedEntities)
    for (let up = parentOf(id), depth = 0; up && depth < PARENT_DEPTH; up = parentOf(up), depth++)
      if (own.has(up)) own.set(up, Math.max(0, own.get(up)! - weight));
  for (const weight of own.values()) score += weight;
  const numbers = item.numbers.filter(
    (n) => !n.startsWith('n:') && event.numbers.some((m) => sameAmount(n, m)),
  );
  score += MATCH_WEIGHTS.sharedNumber * numbers.length;
  // Intersections are counted over the event's arrays against the item's sets, built
  // once per item, so scoring a candidate allocates nothing in proportion to its size.
  const sets = itemSets ?? setsOf(item);
  const names = event.names.filter((n) => sets.names.has(n));
  score += MATCH_WEIGHTS.sharedName * names.length;
  // Compared with each article's title and words, not their union: a big event's
  // vocabulary would otherwise contain most of any headline.
  const titleOverlap = item.shingles.length
    ? Math.max(0, ...(event.titleSets ?? [event.shingles]).map((t) => countIn(t, sets.shingles))) /
      item.shingles.length
    : 0;
  if (titleOverlap >= MATCH_WEIGHTS.titleOverlapBar) score += MATCH_WEIGHTS.titleOverlap * titleOverlap;
  const wordOverlap =
    item.words.length >= MATCH_WEIGHTS.wordOverlapMinWords
      ? Math.max(0, ...(event.wordSets ?? [event.words]).map((w) => countIn(w, sets.words))) /
        item.words.length
      : 0;
  if (wordOverlap >= MATCH_WEIGHTS.wordOverlapBar) score += MATCH_WEIGHTS.wordOverlap * wordOverlap;
  const concepts = (event.concepts ?? []).filter((c) => sets.concepts.has(c));
  score += Math.min(concepts.length, MATCH_WEIGHTS.conceptsCap);
  // Two named products, two amounts or two topics that differ: the same company's other story.
  if (item.names.length && event.names.length && !names.length) score -= MATCH_WEIGHTS.otherName;
  if (item.numbers.some(isMoney) && event.numbers.some(isMoney) && !numbers.some(isMoney))
    score -= MATCH_WEIGHTS.otherAmount;
  if (item.concepts?.length && event.concepts?.length && !concepts.length)
    score -= MATCH_WEIGHTS.otherConcept;
  // One shared actor and nothing else is not yet one story.
  const corroborated =
    [...own.values()].filter((w) => w > 0).length >= MATCH_WEIGHTS.corroboratingEntities ||
    numbers.length > 0 ||
    names.length > 0 ||
    concepts.length > 0 ||
    titleOverlap >= MATCH_WEIGHTS.corroboratingTitleOverlap ||
    wordOverlap >= MATCH_WEIGHTS.corroboratingWordOverlap;
  if (!corroborated) score = Math.min(score, MATCH_WEIGHTS.uncorroboratedCap);
  return {
    score: Math.round(score * 100) / 100,
    entities,
    numbers,
    names,
    concepts,
    titleOverlap,
    wordOverlap,
  };
}

function hasRelative(id: string, event: Profile, parentOf: (id: string) => string | undefined): boolean {
  const parent = parentOf(id);
  if (parent && (event.entities[parent] ?? 0) >= PROMINENT) return true;
  return Object.keys(event.entities).some(
    (other) => parentOf(other) === id && (event.entities[other] ?? 0) >= PROMINENT,
  );
}

export function chooseEvent(
  item: Profile,
  at: number,
  candidates: readonly Candidate[],
  options: MatchOptions,
): { eventId: string | null; detail: MatchDetail | null; passing: { id: string; score: number }[] } {
  let best: { eventId: string; detail: MatchDetail } | null = null;
  // Every candidate at the join bar: the others are the events this article bridges (merges).
  const passing: { id: string; score: number }[] = [];
  const sets = setsOf(item);
  for (const candidate of candidates) {
    if (Math.abs(at - candidate.lastSeen) > options.windowMs) continue;
    const detail = matchScore(item, candidate.profile, options, sets);
    // Reports of one announcement come within a few days of each other; a like-sounding
    // story from the same actor a week later is usually the next announcement.
    const gapDays = (at - candidate.lastSeen) / 86_400_000;
    if (gapDays > MATCH_WEIGHTS.quietDays)
      detail.score =
        Math.round((detail.score - MATCH_WEIGHTS.decayPerDay * (gapDays - MATCH_WEIGHTS.quietDays)) * 100) /
        100;
    if (detail.score < options.threshold) continue;
    passing.push({ id: candidate.id, score: detail.score });
    // Ties go to the earlier id so that every store decides alike.
    if (
      !best ||
      detail.score > best.detail.score ||
      (detail.score === best.detail.score && candidate.id < best.eventId)
    )
      best = { eventId: candidate.id, detail };
  }
  return best ? { ...best, passing } : { eventId: null, detail: null, passing };
}

function capped<T>(values: Iterable<T>, max: number): T[] {
  return [...new Set(values)].slice(0, max);
}

export function mergeProfile(event: Profile, item: Profile): Profile {
  const entities = { ...event.entities };
  for (const [id, weight] of Object.entries(item.entities))
    entities[id] = Math.max(entities[id] ?? 0, weight);
  return {
    entities,
    numbers: capped([...event.numbers, ...item.numbers], MAX_NUMBERS),
    names: capped([...event.names, ...item.names], MAX_NAMES),
    shingles: event.shingles,
    words: event.words,
    titleSets: [...(event.titleSets ?? [event.shingles]), item.shingles].slice(-ARTICLES_COMPARED),
    wordSets: [...(event.wordSets ?? [event.words]), item.words].slice(-ARTICLES_COMPARED),
    concepts: capped([...(event.concepts ?? []), ...(item.concepts ?? [])], MAX_NAMES),
  };
}

/**
 * Merges keep one announcement one event whatever the order its reports arrive in: when an
 * article matches a second recent event at the join bar, that event is folded into the one it
 * joins. The caps keep bridges from chaining unrelated stories into one giant event.
 */
export const MERGE_LIMITS = {
  /** A merged event holds at most this many articles: one announcement's coverage, not a theme. */
  maxArticles: 40,
  /** At most this many events are ever folded into one. */
  maxMerged: 4,
} as const;

/**
 * An event with this many articles takes no more: one announcement's coverage in the feeds we
 * watch is a few dozen articles at most, and a longer chain of joins is a theme, not an event
 * (its record would also grow without bound, and with it every later join's cost).
 */
export const MAX_EVENT_ARTICLES = 100;

/** A candidate with what a merge needs to know about the event behind it. */
export interface MergeCandidate extends Candidate {
  articles: number;
  mergedFrom: readonly string[];
}

/** Two events name different products, or different amounts of money: two stories of one actor. */
export function contradicts(a: Profile, b: Profile): boolean {
  const names = new Set(a.names);
  if (a.names.length && b.names.length && !b.names.some((n) => names.has(n))) return true;
  const aMoney = a.numbers.filter(isMoney);
  const bMoney = b.numbers.filter(isMoney);
  return aMoney.length > 0 && bMoney.length > 0 && !aMoney.some((x) => bMoney.some((y) => sameAmount(x, y)));
}

/**
 * The other events an article joining `joined` bridges: each matches the article at the join
 * bar (scored as chooseEvent scores a join), contradicts neither the joined event nor one already
 * taken, and the union stays within MERGE_LIMITS. Strongest matches first, ties by id, so every
 * store decides alike.
 */
export function chooseMerges(
  item: Profile,
  at: number,
  joined: MergeCandidate,
  others: readonly MergeCandidate[],
  options: MatchOptions,
): string[] {
  const byId = new Map(others.map((candidate) => [candidate.id, candidate]));
  const { passing } = chooseEvent(item, at, others, options);
  return pickMerges(
    joined,
    passing.map(({ id, score }) => ({ candidate: byId.get(id)!, score })),
    options.threshold,
  );
}

/** chooseMerges with the scores already known (chooseEvent's `passing`). */
export function pickMerges(
  joined: MergeCandidate,
  scored: readonly { candidate: MergeCandidate; score: number }[],
  threshold: number,
): string[] {
  const bridged = scored
    .filter(({ candidate, score }) => candidate.id !== joined.id && score >= threshold)
    .sort((a, b) => b.score - a.score || a.candidate.id.localeCompare(b.candidate.id));
  const taken: MergeCandidate[] = [joined];
  let articles = joined.articles + 1;
  let merged = joined.mergedFrom.length;
  for (const { candidate } of bridged) {
    if (taken.some((t) => contradicts(t.profile, candidate.profile))) continue;
    if (articles + candidate.articles > MERGE_LIMITS.maxArticles) continue;
    if (merged + 1 + candidate.mergedFrom.length > MERGE_LIMITS.maxMerged) continue;
    taken.push(candidate);
    articles += candidate.articles;
    merged += 1 + candidate.mergedFrom.length;
  }
  return taken.slice(1).map((c) => c.id);
}

/** Two events' profiles as one: every entity, amount, name and topic, the latest articles compared. */
export function mergeEventProfiles(survivor: Profile, absorbed: Profile): Profile {
  return {
    // Entities, amounts, names and topics as a join merges them; every article's title and words below.
    ...mergeProfile(survivor, absorbed),
    titleSets: [
      ...(survivor.titleSets ?? [survivor.shingles]),
      ...(absorbed.titleSets ?? [absorbed.shingles]),
    ].slice(-ARTICLES_COMPARED),
    wordSets: [...(survivor.wordSets ?? [survivor.words]), ...(absorbed.wordSets ?? [absorbed.words])].slice(
      -ARTICLES_COMPARED,
    ),
  };
}
