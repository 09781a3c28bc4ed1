/**
 * Streaming event matching: an arriving item is compared with the candidate
 * events found through its index keys and joins the best one above the
 * threshold, or starts a new event. Pure functions; the store supplies
 * candidates and applies the decision atomically.
 */
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
}

/** Title words that make an event findable when it names no known entity. */
const WORD_KEYS = 4;
/** Amounts and names are listed headline first; the first few identify a story. */
const KEYS_PER_KIND = 6;

export interface MatchDetail {
  score: number;
  entities: string[];
  numbers: string[];
  names: string[];
  titleOverlap: number;
  wordOverlap: number;
}

const PROMINENT = 2;
const MAX_NUMBERS = 24;
const MAX_NAMES = 20;
const MAX_SHINGLES = 160;
const MAX_WORDS = 80;

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
  ];
}

export function matchScore(
  item: Profile,
  event: Profile,
  parentOf: (id: string) => string | undefined = () => undefined,
): MatchDetail {
  let score = 0;
  const entities: string[] = [];
  for (const [id, weight] of Object.entries(item.entities)) {
    const other = event.entities[id];
    if (other !== undefined) {
      score += Math.min(weight, other);
      entities.push(id);
    } else if (weight >= PROMINENT && !hasRelative(id, event, parentOf)) {
      // The item is about someone the event never mentions: evidence of another story.
      score -= weight * 0.75;
    }
  }
  const eventNumbers = new Set(event.numbers);
  const numbers = item.numbers.filter((n) => eventNumbers.has(n) && !n.startsWith('n:'));
  score += 2 * numbers.length;
  const eventNames = new Set(event.names);
  const names = item.names.filter((n) => eventNames.has(n));
  score += 2 * names.length;
  const eventShingles = new Set(event.shingles);
  const shared = item.shingles.filter((s) => eventShingles.has(s)).length;
  const titleOverlap = item.shingles.length ? shared / item.shingles.length : 0;
  if (titleOverlap >= 0.3) score += 6 * titleOverlap;
  const eventWords = new Set(event.words);
  const sharedWords = item.words.filter((w) => eventWords.has(w)).length;
  const wordOverlap = item.words.length >= 3 ? sharedWords / item.words.length : 0;
  if (wordOverlap >= 0.2) score += 5 * wordOverlap;
  return { score: Math.round(score * 100) / 100, entities, numbers, names, titleOverlap, wordOverlap };
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
): { eventId: string | null; detail: MatchDetail | null } {
  let best: { eventId: string; detail: MatchDetail } | null = null;
  for (const candidate of candidates) {
    if (Math.abs(at - candidate.lastSeen) > options.windowMs) continue;
    const detail = matchScore(item, candidate.profile, options.parentOf);
    if (detail.score < options.threshold) continue;
    // Ties go to the earlier id so that every store decides alike.
    if (
      !best ||
      detail.score > best.detail.score ||
      (detail.score === best.detail.score && candidate.id < best.eventId)
    )
      best = { eventId: candidate.id, detail };
  }
  return best ? best : { eventId: null, detail: null };
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
    shingles: capped([...event.shingles, ...item.shingles], MAX_SHINGLES),
    words: capped([...event.words, ...item.words], MAX_WORDS),
  };
}
