/**
 * The search index, in Redis under the same prefix as the event store but a hash tag of its own
 * (layout in keys.ts): per term a zset of events, per event the list of its terms.
 *
 * indexEvent is idempotent: it merges the event's terms with those already recorded
 * and re-scores all of them, so an event that gains articles moves up under every
 * term. A query intersects its terms newest first without materialising the result:
 * small intersections come from ZINTER, large ones by walking the smallest set.
 * The scripts (lua/) are given every key they touch: an event's recorded terms are read first,
 * and a script finding them changed writes nothing and is run again on a fresh read.
 */
import type { Result } from 'ioredis';
import type { RedisClient } from '../redis/client.ts';
import type { EventRecord, StoredItem } from '../core/types.ts';
import { execChecked } from '../redis/exec.ts';
import { defineScripts } from '../redis/scripts.ts';
import { searchKeys, type SearchKeys } from './keys.ts';
import { eventTerms, MAX_TERMS_PER_EVENT } from './terms.ts';

const SCRIPTS = [
  { command: 'aiwatchIndex', url: new URL('./lua/index.lua', import.meta.url) },
  { command: 'aiwatchSearch', url: new URL('./lua/search.lua', import.meta.url) },
  { command: 'aiwatchAbsorb', url: new URL('./lua/absorb.lua', import.meta.url) },
];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    aiwatchIndex(...args: (string | number)[]): Result<number, Context>;
    aiwatchSearch(...args: (string | number)[]): Result<(string | number)[], Context>;
    aiwatchAbsorb(...args: (string | number)[]): Result<number, Context>;
  }
}

/** A script found a terms list changed since it was read this many times in a row: give up. */
const MAX_ATTEMPTS = 20;

/** The terms of a recorded list (as Lua's %S+ reads it: split on ASCII white space). */
function splitTerms(list: string | null): string[] {
  return list ? list.split(/[ \t\n\v\f\r]+/).filter(Boolean) : [];
}

/** `lists` merged in order, each term once, at most `cap`. */
function mergeTerms(lists: readonly (readonly string[])[], cap: number): string[] {
  const terms = new Set<string>();
  for (const list of lists)
    for (const term of list) {
      if (terms.size >= cap) return [...terms];
      terms.add(term);
    }
  return [...terms];
}

/** lua/index.lua's arguments: the event's new terms first, then those recorded (`read`). */
function indexArgs(
  k: SearchKeys,
  event: EventRecord,
  terms: readonly string[],
  read: string | null,
): (string | number)[] {
  const merged = mergeTerms([terms, splitTerms(read)], MAX_TERMS_PER_EVENT);
  return [
    merged.length + 1,
    k.event(event.id),
    ...merged.map(k.term),
    event.id,
    Date.parse(event.updatedAt),
    read ?? '',
    merged.join(' '),
  ];
}

export interface SearchPage {
  /** Event ids, most recently updated first. */
  ids: string[];
  /** Events matching every term; a lower bound when `atLeast`. */
  total: number;
  atLeast: boolean;
}

export interface SearchIndex {
  /** Records an event under its terms (and those of the given items); safe to repeat. */
  indexEvent(event: EventRecord, items?: readonly StoredItem[]): Promise<void>;
  /** Many at once, pipelined: for backfills and the benchmark. */
  indexEvents(batch: readonly { event: EventRecord; items?: readonly StoredItem[] }[]): Promise<void>;
  /** Events merged into `survivor`: their postings become the survivor's. */
  absorb(survivor: EventRecord, absorbedIds: readonly string[]): Promise<void>;
  /** Forgets events (removed by retention): their postings and their terms list. */
  remove(eventIds: readonly string[]): Promise<void>;
  /** Whether an event has been indexed. */
  has(eventId: string): Promise<boolean>;
  /** Events indexed under every one of `terms`, newest first. */
  search(terms: readonly string[], page: { offset: number; limit: number }): Promise<SearchPage>;
}

/** Above this many matches the exact count is not needed: "1,000+". */
const COUNT_LIMIT = 1000;

export function createSearchIndex(redis: RedisClient, prefix: string): SearchIndex {
  defineScripts(redis, SCRIPTS);
  const k = searchKeys(prefix);

  async function indexOne(event: EventRecord, terms: readonly string[], read: string | null): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if ((await redis.aiwatchIndex(...indexArgs(k, event, terms, read))) >= 0) return;
      if (attempt === MAX_ATTEMPTS) throw new Error(`search: the terms of ${event.id} keep changing`);
      read = await redis.get(k.event(event.id));
    }
  }

  async function absorbOnce(survivor: EventRecord, absorbedIds: readonly string[]): Promise<boolean> {
    const read = await redis.mget(k.event(survivor.id), ...absorbedIds.map(k.event));
    const lists = read.map(splitTerms);
    const terms = mergeTerms(lists, MAX_TERMS_PER_EVENT);
    const keys = [k.event(survivor.id), ...absorbedIds.map(k.event)];
    const positions = new Map<string, number>();
    const at = (term: string) => {
      let position = positions.get(term);
      if (position === undefined) positions.set(term, (position = keys.push(k.term(term))));
      return position;
    };
    const plan = {
      read: read.map((list) => list ?? ''),
      absorbed: absorbedIds,
      remove: lists.slice(1).map((list) => list.map(at)),
      add: terms.map(at),
      terms: terms.join(' '),
    };
    const reply = await redis.aiwatchAbsorb(
      keys.length,
      ...keys,
      survivor.id,
      Date.parse(survivor.updatedAt),
      absorbedIds.length,
      JSON.stringify(plan),
    );
    return reply >= 0;
  }

  return {
    async indexEvent(event, items) {
      await indexOne(event, eventTerms(event, items), await redis.get(k.event(event.id)));
    },
    async indexEvents(batch) {
      if (!batch.length) return;
      const read = await redis.mget(...batch.map(({ event }) => k.event(event.id)));
      const terms = batch.map(({ event, items }) => eventTerms(event, items));
      const pipeline = redis.pipeline();
      batch.forEach(({ event }, i) =>
        pipeline.aiwatchIndex(...indexArgs(k, event, terms[i]!, read[i] ?? null)),
      );
      const replies = await execChecked(pipeline);
      // An event indexed by someone else meanwhile: read again, one by one.
      for (const [i, reply] of replies.entries())
        if (Number(reply) < 0)
          await indexOne(batch[i]!.event, terms[i]!, await redis.get(k.event(batch[i]!.event.id)));
    },
    async absorb(survivor, absorbedIds) {
      if (!absorbedIds.length) return;
      for (let attempt = 1; !(await absorbOnce(survivor, absorbedIds)); attempt++)
        if (attempt === MAX_ATTEMPTS) throw new Error(`search: the terms of ${survivor.id} keep changing`);
    },
    async remove(eventIds) {
      if (!eventIds.length) return;
      const read = await redis.mget(...eventIds.map(k.event));
      const multi = redis.multi();
      eventIds.forEach((id, i) => {
        for (const term of splitTerms(read[i] ?? null)) multi.zrem(k.term(term), id);
        multi.del(k.event(id));
      });
      await execChecked(multi);
    },
    async has(eventId) {
      return (await redis.exists(k.event(eventId))) === 1;
    },
    async search(terms, { offset, limit }) {
      if (!terms.length || limit <= 0) return { ids: [], total: 0, atLeast: false };
      const reply = await redis.aiwatchSearch(terms.length, ...terms.map(k.term), offset, limit, COUNT_LIMIT);
      const [total, capped, ...ids] = reply;
      return { ids: ids.map(String), total: Number(total), atLeast: Number(capped) === 1 };
    },
  };
}
