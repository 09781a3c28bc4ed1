/**
 * What the web archive reads, and nothing else: pages of events newest first under the
 * filters a visitor chose, one event with its articles, and counts for the chart. Read-only.
 *
 * The timeline pages through the store's own sorted sets (events:updated, company:<id>,
 * documented in store/redis-store.ts) by score range and offset, or through the search index
 * when words were typed; filters no index holds (language) are applied while walking, a
 * bounded number of events per request, and the next page starts where the walk stopped.
 */
import type { RedisClient } from '../redis/client.ts';
import type { EntityRegistry } from '../core/entities.ts';
import type { EventRecord, Lang, StoredItem } from '../core/types.ts';
import type { SearchIndex } from '../search/index.ts';
import { entityTerm, planQuery, type QueryPlan } from '../search/terms.ts';
import { storeKeys } from '../store/keys.ts';
import type { EventStore } from '../store/types.ts';
import { execChecked } from '../redis/exec.ts';

/** An event as the list views need it: the record without its matching profile. */
export type ListedEvent = Omit<EventRecord, 'profile'>;

export interface TimelineQuery {
  company?: string;
  lang?: Lang;
  /** Epoch ms, inclusive: events last updated in [from, to]. */
  from?: number;
  to?: number;
  /** Words for the search index. */
  text?: string;
  /** Where this page starts in the walk (0: the newest). */
  offset: number;
  limit: number;
}

export interface TimelinePage {
  events: ListedEvent[];
  /** Where the next page starts, when there may be one. */
  next: number | null;
  /** Events matching the indexed filters (before the language filter); a lower bound when atLeast. */
  total: number;
  atLeast: boolean;
  /** Why the typed words could not be searched. */
  problem?: QueryPlan['problem'];
}

export interface ChartSeries {
  company: string;
  counts: number[];
}

export interface Chart {
  /** Start of each week (epoch ms, Monday 00:00 UTC), oldest first. */
  weeks: number[];
  series: ChartSeries[];
}

export interface Archive {
  timeline(query: TimelineQuery): Promise<TimelinePage>;
  /** An event by its id or the id of an event merged into it. */
  event(id: string): Promise<{ event: EventRecord; items: StoredItem[] } | null>;
  /** Events per week over the last `weeks` weeks for the `top` most active companies. */
  chart(now: number, weeks: number, top: number): Promise<Chart>;
  /** Events stored under each company (for the company list). */
  companyCounts(ids: readonly string[]): Promise<Map<string, number>>;
}

export interface ArchiveDeps {
  redis: RedisClient;
  prefix: string;
  store: EventStore;
  search: SearchIndex;
  entities: EntityRegistry;
}

/** At most this many events read per round trip while walking a filtered list. */
const MAX_CHUNK = 200;
/** At most this many events are looked at for one page of a language filter. */
const MAX_SCAN = 2000;
const WEEK = 7 * 86_400_000;

export function startOfWeek(at: number): number {
  const day = new Date(at);
  day.setUTCHours(0, 0, 0, 0);
  return day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000;
}

export function createArchive(deps: ArchiveDeps): Archive {
  const { redis, prefix } = deps;
  const k = storeKeys(prefix);

  /** The records of `ids`, in order; null where one is gone (merged away between two reads). */
  async function records(ids: readonly string[]): Promise<(ListedEvent | null)[]> {
    if (!ids.length) return [];
    const values = await redis.mget(...ids.map(k.event));
    return values.map((json) => (json ? (JSON.parse(json) as ListedEvent) : null));
  }

  const inRange = (event: ListedEvent, q: TimelineQuery) => {
    const at = Date.parse(event.updatedAt);
    return (q.from === undefined || at >= q.from) && (q.to === undefined || at <= q.to);
  };

  /** Ids from `offset` on, newest first. */
  type Source = (offset: number, count: number) => Promise<string[]>;

  async function walk(
    source: Source,
    q: TimelineQuery,
    keep: (e: ListedEvent) => boolean,
    exact: boolean,
  ): Promise<{ events: ListedEvent[]; next: number | null }> {
    const events: ListedEvent[] = [];
    let offset = q.offset;
    // Without a filter the walk reads exactly one page; with one, twice a page, then more each time.
    let chunk = exact ? q.limit : 2 * q.limit;
    while (events.length < q.limit && offset - q.offset < MAX_SCAN) {
      if (offset > q.offset) chunk = Math.min(MAX_CHUNK, chunk * 2);
      const ids = await source(offset, chunk);
      const read = await records(ids);
      let used = 0;
      for (const event of read) {
        used++;
        if (event && keep(event)) events.push(event);
        if (events.length === q.limit) break;
      }
      offset += used;
      if (ids.length < chunk && used === ids.length) return { events, next: null };
    }
    return { events, next: offset };
  }

  return {
    async timeline(q) {
      const langOk = (e: ListedEvent) => !q.lang || e.langs.includes(q.lang);
      const words = q.text?.trim();
      if (words) {
        const plan = planQuery(words, deps.entities);
        if (plan.problem) return { events: [], next: null, total: 0, atLeast: false, problem: plan.problem };
        const terms = [...plan.terms];
        if (q.company && !terms.includes(entityTerm(q.company))) terms.push(entityTerm(q.company));
        let total = 0;
        let atLeast = false;
        const source: Source = async (offset, count) => {
          const found = await deps.search.search(terms, { offset, limit: count });
          if (offset === q.offset) ({ total, atLeast } = found);
          return found.ids;
        };
        const exact = !q.lang && q.from === undefined && q.to === undefined;
        const { events, next } = await walk(source, q, (e) => langOk(e) && inRange(e, q), exact);
        return { events, next, total, atLeast };
      }
      const key = q.company ? k.company(q.company) : k.updated;
      const max = q.to ?? '+inf';
      const min = q.from ?? '-inf';
      const source: Source = (offset, count) => redis.zrevrangebyscore(key, max, min, 'LIMIT', offset, count);
      const [total, page] = await Promise.all([
        redis.zcount(key, min, max),
        walk(source, q, langOk, !q.lang),
      ]);
      return { ...page, total, atLeast: false };
    },

    async event(id) {
      const event = await deps.store.getEvent(id);
      if (!event) return null;
      const items = await deps.store.getItems(event.itemIds);
      return { event, items };
    },

    async chart(now, weeks, top) {
      const first = startOfWeek(now) - (weeks - 1) * WEEK;
      const starts = Array.from({ length: weeks }, (_, i) => first + i * WEEK);
      const companies = deps.entities.entities.filter((e) => e.kind !== 'place').map((e) => e.id);
      const totals = redis.pipeline();
      for (const id of companies) totals.zcount(k.company(id), first, '+inf');
      const counted = (await execChecked(totals)).map((n, i) => ({
        company: companies[i]!,
        total: Number(n),
      }));
      const chosen = counted
        .filter((c) => c.total > 0)
        .sort((a, b) => b.total - a.total || a.company.localeCompare(b.company))
        .slice(0, top);
      const weekly = redis.pipeline();
      for (const { company } of chosen)
        for (const start of starts) weekly.zcount(k.company(company), start, `(${start + WEEK}`);
      const replies = await execChecked(weekly);
      const series = chosen.map(({ company }, c) => ({
        company,
        counts: starts.map((_, w) => Number(replies[c * weeks + w] ?? 0)),
      }));
      return { weeks: starts, series };
    },

    async companyCounts(ids) {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.zcard(k.company(id));
      const replies = await execChecked(pipeline);
      return new Map(ids.map((id, i) => [id, Number(replies[i] ?? 0)]));
    },
  };
}
