/** The storage port: items, events and the candidate index used by dedupe. */
import type { Candidate } from '../core/cluster.ts';
import type { EventRecord, StoredItem } from '../core/types.ts';

export interface CandidateSnapshot {
  /** The item already stored under the URL or GUID asked about, if any: nothing else is read then. */
  duplicate?: string;
  /** Each with its full record, so that joining one needs no further read. */
  candidates: (Candidate & { record: EventRecord })[];
  /** How many recent events each key held (at most perKey): how specific the key is. */
  counts: Record<string, number>;
  /** Versions read with the candidates; commit fails with 'conflict' if any changed. */
  versions: Record<string, number>;
}

export interface CommitPlan {
  item: StoredItem;
  urlKey: string;
  guidKey?: string;
  /** The event after this item joined it (or the new event); absent for irrelevant items. */
  event?: EventRecord;
  /** Index keys of the event to (re)register, scored by the event's lastSeen. */
  indexKeys?: string[];
  /** Versions this decision rests on: the item's index keys and the event it joins. */
  versions?: Record<string, number>;
  /** Candidate-index entries older than this (epoch ms) are dropped while writing. */
  expireBefore?: number;
  /** Index keys untouched for this long (ms) disappear with everything under them (and event profiles). */
  indexTtlMs?: number;
  /** The item and its URL/GUID markers expire after this long (ms): retention of irrelevant items. */
  ttlMs?: number;
  /**
   * Events merged into `event` (the survivor) by this commit: each is removed from every index,
   * its articles now belong to the survivor, and its id (and those merged into it) resolve to it.
   */
  absorbed?: AbsorbedEvent[];
}

export interface AbsorbedEvent {
  id: string;
  companies: string[];
  indexKeys: string[];
  itemIds: string[];
  mergedFrom: string[];
}

export type CommitOutcome =
  { status: 'ok' } | { status: 'conflict' } | { status: 'duplicate'; itemId: string };

export interface ListEventsOptions {
  /** Only events updated at or after this ISO time. */
  since?: string;
  limit?: number;
  company?: string;
}

export interface EventStore {
  /** The id of the item already stored under this URL or GUID, if any. */
  findDuplicate(urlKey: string, guidKey?: string): Promise<string | null>;
  /**
   * Events indexed under any of `keys` whose lastSeen lies within the window around
   * `at`: the `perKey` most recent under each key, of which the `max` found under
   * the most keys.
   */
  findCandidates(
    keys: string[],
    at: number,
    windowMs: number,
    perKey: number,
    max: number,
    exact?: { urlKey: string; guidKey?: string },
  ): Promise<CandidateSnapshot>;
  /** Stores the item and its event atomically, unless the candidates changed or the item exists. */
  commit(plan: CommitPlan): Promise<CommitOutcome>;
  getEvent(id: string): Promise<EventRecord | null>;
  getItems(ids: string[]): Promise<StoredItem[]>;
  /** Events most recently updated first. */
  listEvents(options?: ListEventsOptions): Promise<EventRecord[]>;
  countEvents(): Promise<number>;
}

/** Version key of one index key or one event, shared by both stores. */
export const versionKey = {
  index: (key: string) => `i:${key}`,
  event: (id: string) => `e:${id}`,
};
