/** Domain types shared by the core and its adapters. Plain data only: no I/O. */

export type Lang = 'en' | 'ja';

/** A news item as it arrives from a feed (or a replay file). */
export interface FeedItem {
  /** Caller's id (devset id, feed GUID or URL); echoed in replay output. */
  id: string;
  source: string;
  url: string;
  guid?: string;
  lang: Lang;
  /** ISO-8601 UTC. */
  published: string;
  title: string;
  summary: string;
  content: string;
  feedUrl?: string;
  /** The linked article's lead, fetched for a headline-only feed: used to judge, never shown. */
  lead?: string;
}

export interface EntityMatch {
  id: string;
  name: string;
  /** Matches in the title. */
  inTitle: number;
  /** Matches in the summary and body. */
  inBody: number;
}

export interface Classification {
  relevant: boolean;
  score: number;
  /** Entity ids (canonical) that the decision saw, most prominent first. */
  companies: string[];
  /** Lexicon terms that fired, prefixed by their family (ai:LLM, jp:国産, neg:survey). */
  terms: string[];
  /** Short human-readable explanation, a few phrases. */
  reasons: string[];
  /** Every check of the decision, in order: relevant exactly when all pass (`aiwatch explain`). Not stored. */
  checks?: Check[];
}

/** One check of the relevance decision, with the value it looked at and its bar. */
export interface Check {
  name: string;
  passed: boolean;
  value?: number;
  bar?: number;
  /** Passes only above the bar, not at it. */
  strict?: boolean;
}

/** What the clusterer compares: derived from an item, merged into an event. */
export interface Profile {
  /** Entity id → weight (title mentions weigh more than body mentions). */
  entities: Record<string, number>;
  /** Normalised amounts and counts: "jpy:1e12", "usd:2.9e9", "params:1.72e11", "pct:53.4". */
  numbers: string[];
  /** Product and model names, lower-case: "plamo", "sarashina2-8x70b", "takane". */
  names: string[];
  /** Title shingles for same-language similarity (an event's: its founding article's). */
  shingles: string[];
  /** An event's: the title shingles of each of its latest articles, compared one by one. */
  titleSets?: string[][];
  /** An event's: the topic words of each of its latest articles. */
  wordSets?: string[][];
  /** Distinctive Latin words of the title and lead (not stopwords, lexicon terms or aliases). */
  words: string[];
  /** Bilingual topics of the title and lead (law, subsidy, supercomputer). */
  concepts?: string[];
}

export interface StoredItem {
  id: string;
  inputId: string;
  url: string;
  guid?: string;
  source: string;
  lang: Lang;
  title: string;
  summary: string;
  published: string;
  firstSeen: string;
  feedUrl?: string;
  relevant: boolean;
  score: number;
  companies: string[];
  reasons: string[];
  terms: string[];
  event: string | null;
}

export interface EventRecord {
  id: string;
  /** English headline when one exists, else the first title. */
  title: string;
  titles: Partial<Record<Lang, string>>;
  /** Publication time of the founding item (ISO). */
  firstSeen: string;
  /** Latest publication time among its items (ISO). */
  lastSeen: string;
  /** Wall-clock time of the last change, for digests (ISO). */
  updatedAt: string;
  sources: string[];
  langs: Lang[];
  companies: string[];
  itemIds: string[];
  reasons: string[];
  profile: Profile;
  /** Events merged into this one (an article bridged them); their ids resolve to this event. */
  mergedFrom?: string[];
}
