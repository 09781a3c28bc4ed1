/**
 * Redis adapter of the EventStore port. The key layout is in keys.ts (one hash tag for the
 * whole store); the scripts are lua/commit.lua and lua/candidates.lua.
 *
 * Dedupe is optimistic: candidates are read with the versions of their index keys
 * (bumped when a new event appears under a key) and of the events, and the commit
 * script writes only if the versions the decision rests on are unchanged, so two
 * workers seeing syndicated copies at once cannot both found an event, nor can
 * two joins of one event overwrite each other.
 */
import type { ChainableCommander, Result } from 'ioredis';
import type { EventRecord, Profile, StoredItem } from '../core/types.ts';
import type { RedisClient } from '../redis/client.ts';
import { execChecked } from '../redis/exec.ts';
import { defineScripts } from '../redis/scripts.ts';
import { storeKeys, type StoreKeys } from './keys.ts';
import {
  versionKey,
  type CandidateSnapshot,
  type CommitOutcome,
  type CommitPlan,
  type EventStore,
} from './types.ts';

const SCRIPTS = [
  { command: 'aiwatchCommit', url: new URL('./lua/commit.lua', import.meta.url) },
  { command: 'aiwatchCandidates', url: new URL('./lua/candidates.lua', import.meta.url) },
];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** lua/commit.lua: the number of keys, the keys, then plan, item, event and profile JSON. */
    aiwatchCommit(...args: (string | number)[]): Result<string, Context>;
    /** lua/candidates.lua: the number of keys, the keys, then at, window, perKey, max, markers. */
    aiwatchCandidates(
      ...args: (string | number)[]
    ): Result<[string[], number[], string[], string[], string?], Context>;
  }
}

/** Reading candidates again because one vanished between the two reads: at most this many times. */
const MAX_CANDIDATE_READS = 5;

/** Events read per round trip when listing. */
const PAGE = 500;

interface StoredProfile {
  lastSeen: string;
  profile: Profile;
}

/** KEYS of one script call: each key once, named in the script's arguments by its 1-based position. */
class KeyList {
  readonly keys: string[] = [];
  private readonly positions = new Map<string, number>();
  at(key: string): number {
    let position = this.positions.get(key);
    if (position === undefined) {
      position = this.keys.push(key);
      this.positions.set(key, position);
    }
    return position;
  }
}

/**
 * The commit script's arguments for one plan (lua/commit.lua): the number of keys, every key it
 * touches, then the plan naming those keys by position, the item, the event and its profile.
 */
export function encodeCommit(k: StoreKeys, plan: CommitPlan): (string | number)[] {
  const event = plan.event;
  const keys = new KeyList();
  keys.at(k.url(plan.urlKey));
  keys.at(k.item(plan.item.id));
  keys.at(k.versions);
  keys.at(k.updated);
  const indexVersions: [number, number][] = [];
  const eventVersions: [string, number][] = [];
  for (const [key, version] of Object.entries(plan.versions ?? {})) {
    if (key.startsWith(versionKey.index('')))
      indexVersions.push([keys.at(k.indexVersion(key.slice(2))), version]);
    else eventVersions.push([key, version]);
  }
  const payload = {
    itemId: plan.item.id,
    guid: plan.guidKey ? keys.at(k.guid(plan.guidKey)) : undefined,
    ttlMs: plan.ttlMs,
    indexVersions,
    eventVersions,
    eventId: event?.id,
    event: event ? keys.at(k.event(event.id)) : undefined,
    profile: event ? keys.at(k.profile(event.id)) : undefined,
    mustBeNew: event && plan.versions?.[versionKey.event(event.id)] === undefined ? true : undefined,
    updatedScore: event ? Date.parse(event.updatedAt) : undefined,
    lastSeenScore: event ? Date.parse(event.lastSeen) : undefined,
    companies: (event?.companies ?? []).map((id) => keys.at(k.company(id))),
    index: (event ? (plan.indexKeys ?? []) : []).map((key) => [
      keys.at(k.index(key)),
      keys.at(k.indexVersion(key)),
    ]),
    expireBefore: plan.expireBefore,
    indexTtlMs: plan.indexTtlMs,
    absorbed: (plan.absorbed ?? []).map((gone) => ({
      id: gone.id,
      event: keys.at(k.event(gone.id)),
      profile: keys.at(k.profile(gone.id)),
      companies: gone.companies.map((id) => keys.at(k.company(id))),
      index: gone.indexKeys.map((key) => keys.at(k.index(key))),
      aliases: [gone.id, ...gone.mergedFrom].map((id) => keys.at(k.alias(id))),
      items: gone.itemIds.map((id) => keys.at(k.item(id))),
    })),
  };
  let eventJson = '';
  let profileJson = '';
  if (event) {
    const { profile, ...rest } = event;
    eventJson = JSON.stringify(rest);
    profileJson = JSON.stringify({ lastSeen: event.lastSeen, profile } satisfies StoredProfile);
  }
  return [
    keys.keys.length,
    ...keys.keys,
    JSON.stringify(payload),
    JSON.stringify(plan.item),
    eventJson,
    profileJson,
  ];
}

/** The arguments of lua/candidates.lua. */
function encodeCandidates(
  k: StoreKeys,
  keys: readonly string[],
  at: number,
  windowMs: number,
  perKey: number,
  max: number,
  exact?: { urlKey: string; guidKey?: string },
): (string | number)[] {
  const markers = exact ? [k.url(exact.urlKey), ...(exact.guidKey ? [k.guid(exact.guidKey)] : [])] : [];
  const indexKeys = keys.flatMap((key) => [k.indexVersion(key), k.index(key)]);
  return [
    1 + markers.length + indexKeys.length,
    k.versions,
    ...markers,
    ...indexKeys,
    at,
    windowMs,
    perKey,
    max,
    markers.length,
  ];
}

export function defineCommitScript(redis: RedisClient): void {
  defineScripts(redis, SCRIPTS);
}

/** Queues a commit on a pipeline (bulk loading); the result is the script's reply. */
export function pipelineCommit(pipeline: ChainableCommander, prefix: string, plan: CommitPlan): void {
  pipeline.aiwatchCommit(...encodeCommit(storeKeys(prefix), plan));
}

/** Parsed candidate events kept per store: a few windows' worth of recent events. */
const PARSED_CANDIDATES_MAX = 5000;
type ParsedCandidate = { profile: Profile; lastSeen: number; record: EventRecord };

export function createRedisEventStore(redis: RedisClient, prefix: string): EventStore {
  defineCommitScript(redis);
  const k = storeKeys(prefix);

  // Consecutive articles mostly see the same recent events as candidates: reading and parsing
  // their records again for every article was the largest cost of a Redis replay. A record is
  // kept with the version it was read at; an event's versions never repeat (lua/commit.lua takes
  // them from one counter), so an unchanged version means an unchanged record, and the second
  // read is skipped when every chosen event is known at its version. Parsed records are never
  // mutated (joins copy).
  const parsed = new Map<string, { version: number; value: ParsedCandidate }>();
  function parsedCandidate(
    id: string,
    version: number,
    profileJson: string,
    recordJson: string,
  ): ParsedCandidate {
    const stored = JSON.parse(profileJson) as StoredProfile;
    const value: ParsedCandidate = {
      profile: stored.profile,
      lastSeen: Date.parse(stored.lastSeen),
      record: { ...(JSON.parse(recordJson) as Omit<EventRecord, 'profile'>), profile: stored.profile },
    };
    keep(id, version, value);
    return value;
  }
  function keep(id: string, version: number, value: ParsedCandidate): void {
    if (parsed.size >= PARSED_CANDIDATES_MAX) parsed.clear();
    parsed.set(id, { version, value });
  }

  /** Events with their profiles put back, in the order of `ids`, skipping missing ones. */
  async function readEvents(ids: string[]): Promise<EventRecord[]> {
    if (!ids.length) return [];
    const values = await redis.mget(...ids.flatMap((id) => [k.event(id), k.profile(id)]));
    const events: EventRecord[] = [];
    for (let i = 0; i < ids.length; i++) {
      const json = values[2 * i];
      if (!json) continue;
      const stored = values[2 * i + 1];
      const profile = stored ? (JSON.parse(stored) as StoredProfile).profile : emptyProfile();
      events.push({ ...(JSON.parse(json) as Omit<EventRecord, 'profile'>), profile });
    }
    return events;
  }

  /**
   * The candidates in two reads: lua/candidates.lua (the item's markers, the index keys, the
   * chosen events and their versions, at once), then the chosen events' records, unless every
   * one is known at the version the script read (then the first read is all). A record
   * changed in between has a newer version than the one the commit will check, so the commit
   * fails then; but one removed in between (merged into another) would be left out silently:
   * `vanished` then, and the caller reads again.
   */
  async function readCandidates(
    keys: string[],
    at: number,
    windowMs: number,
    perKey: number,
    max: number,
    exact?: { urlKey: string; guidKey?: string },
  ): Promise<{ snapshot: CandidateSnapshot; vanished: boolean }> {
    const snapshot: CandidateSnapshot = { candidates: [], versions: {}, counts: {} };
    const [versions, counts, ids, eventVersions, duplicate] = await redis.aiwatchCandidates(
      ...encodeCandidates(k, keys, at, windowMs, perKey, max, exact),
    );
    if (duplicate) return { snapshot: { ...snapshot, duplicate }, vanished: false };
    keys.forEach((key, i) => {
      snapshot.versions[versionKey.index(key)] = Number(versions[i] ?? 0);
      snapshot.counts[key] = Number(counts[i] ?? 0);
    });
    let vanished = false;
    if (!ids.length) return { snapshot, vanished };
    const known = ids.map((id, i) => {
      const hit = parsed.get(id);
      const version = Number(eventVersions[i] ?? 0);
      return hit && version !== 0 && hit.version === version ? hit.value : undefined;
    });
    if (known.every((value) => value !== undefined)) {
      ids.forEach((id, i) => {
        snapshot.versions[versionKey.event(id)] = Number(eventVersions[i] ?? 0);
        snapshot.candidates.push({ id, ...known[i]! });
      });
      return { snapshot, vanished };
    }
    const [values, versionsNow] = (await execChecked(
      redis
        .multi()
        .mget(...ids.flatMap((id) => [k.profile(id), k.event(id)]))
        .hmget(k.versions, ...ids.map(versionKey.event)),
    )) as [(string | null)[], (string | null)[]];
    for (const [i, id] of ids.entries()) {
      const profileJson = values[2 * i];
      const recordJson = values[2 * i + 1];
      const version = Number(eventVersions[i] ?? 0);
      if (!profileJson || !recordJson) {
        // Gone since the first read (merged away): read again. Long gone (expired): skipped.
        if (Number(versionsNow[i] ?? 0) !== version) vanished = true;
        continue;
      }
      snapshot.versions[versionKey.event(id)] = version;
      // Kept at the version read with the record (the same transaction), which the commit checks
      // against the one the script read: a record changed in between fails the commit.
      const now = Number(versionsNow[i] ?? 0);
      snapshot.candidates.push({ id, ...parsedCandidate(id, now, profileJson, recordJson) });
    }
    return { snapshot, vanished };
  }

  return {
    async findDuplicate(urlKey, guidKey) {
      const [byUrl, byGuid] = await redis.mget(k.url(urlKey), ...(guidKey ? [k.guid(guidKey)] : []));
      return byUrl ?? byGuid ?? null;
    },

    async findCandidates(keys, at, windowMs, perKey, max, exact): Promise<CandidateSnapshot> {
      if (!keys.length && !exact) return { candidates: [], versions: {}, counts: {} };
      for (let attempt = 1; ; attempt++) {
        const { snapshot, vanished } = await readCandidates(keys, at, windowMs, perKey, max, exact);
        if (!vanished || attempt === MAX_CANDIDATE_READS) return snapshot;
      }
    },

    async commit(plan: CommitPlan): Promise<CommitOutcome> {
      const result = await redis.aiwatchCommit(...encodeCommit(k, plan));
      if (result.startsWith('ok')) {
        // The event as written, at its new version: the next article's candidates find it known
        // without reading it back. The plan's event is not changed after its commit (joins copy).
        if (plan.event && result.length > 3)
          keep(plan.event.id, Number(result.slice(3)), {
            profile: plan.event.profile,
            lastSeen: Date.parse(plan.event.lastSeen),
            record: plan.event,
          });
        return { status: 'ok' };
      }
      if (result === 'conflict') return { status: 'conflict' };
      return { status: 'duplicate', itemId: result.slice(4) };
    },

    async getEvent(id) {
      const [event] = await readEvents([id]);
      if (event) return event;
      // A merged event's id resolves to the event it was merged into.
      const survivor = await redis.get(k.alias(id));
      return survivor ? ((await readEvents([survivor]))[0] ?? null) : null;
    },

    async getItems(ids) {
      if (!ids.length) return [];
      const values = await redis.mget(...ids.map(k.item));
      return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as StoredItem);
    },

    async listEvents(options = {}) {
      const key = options.company ? k.company(options.company) : k.updated;
      const min = options.since ? Date.parse(options.since) : '-inf';
      // Read in pages so that listing a large store never asks Redis for everything at once.
      const limit = options.limit ?? Infinity;
      const events: EventRecord[] = [];
      for (let offset = 0; events.length < limit; offset += PAGE) {
        const count = Math.min(PAGE, limit - events.length);
        const ids = await redis.zrevrangebyscore(key, '+inf', min, 'LIMIT', offset, count);
        events.push(...(await readEvents(ids)));
        if (ids.length < count) break;
      }
      return events;
    },

    async countEvents() {
      return redis.zcard(k.updated);
    },
  };
}

function emptyProfile(): Profile {
  return { entities: {}, numbers: [], names: [], shingles: [], words: [] };
}
