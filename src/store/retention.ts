/**
 * Removing events past their retention (settings.yaml `retention.eventsDays`) with everything
 * that belongs to them: the event and its matching profile, its articles and their URL/GUID
 * markers, its entries in the update and company indexes, its version, its search postings and
 * the aliases of the events merged into it.
 * Irrelevant items need no sweep: they are written with a TTL (redis-store.ts).
 */
import type { RedisClient } from '../redis/client.ts';
import { itemKeys } from '../core/item-identity.ts';
import type { EventRecord, StoredItem } from '../core/types.ts';

export interface PruneResult {
  events: number;
  items: number;
}

function checked(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('Redis transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}

/** One batch of the oldest events last updated before `cutoffMs`; call until it returns 0 events. */
export async function pruneEventBatch(
  redis: RedisClient,
  prefix: string,
  cutoffMs: number,
  batch = 200,
): Promise<PruneResult> {
  const k = (key: string) => `${prefix}${key}`;
  const ids = await redis.zrangebyscore(k('events:updated'), '-inf', `(${cutoffMs}`, 'LIMIT', 0, batch);
  if (!ids.length) return { events: 0, items: 0 };
  const [records, postings] = await Promise.all([
    redis.mget(ids.map((id) => k(`event:${id}`))),
    redis.mget(ids.map((id) => k(`s:ev:${id}`))),
  ]);
  const events = records.flatMap((json) => (json ? [JSON.parse(json) as EventRecord] : []));
  const itemIds = events.flatMap((event) => event.itemIds);
  const items = itemIds.length ? await redis.mget(itemIds.map((id) => k(`item:${id}`))) : [];

  const multi = redis.multi();
  ids.forEach((id, i) => {
    multi.zrem(k('events:updated'), id).del(k(`event:${id}`), k(`prof:${id}`), k(`s:ev:${id}`));
    multi.hdel(k('ver'), `e:${id}`);
    for (const term of postings[i]?.split(' ') ?? []) if (term) multi.zrem(k(`s:t:${term}`), id);
  });
  for (const event of events) {
    for (const company of event.companies) multi.zrem(k(`company:${company}`), event.id);
    // The ids of events merged into it resolved to it: they go with it.
    for (const merged of event.mergedFrom ?? []) multi.del(k(`alias:${merged}`));
  }
  itemIds.forEach((id, i) => {
    multi.del(k(`item:${id}`));
    const json = items[i];
    if (!json) return;
    const { urlKey, guidKey } = itemKeys(JSON.parse(json) as StoredItem);
    multi.del(k(`url:${urlKey}`));
    if (guidKey) multi.del(k(`guid:${guidKey}`));
  });
  checked(await multi.exec());
  return { events: ids.length, items: itemIds.length };
}

/** Every event last updated before `cutoffMs`, in batches. */
export async function pruneEvents(
  redis: RedisClient,
  prefix: string,
  cutoffMs: number,
): Promise<PruneResult> {
  const total: PruneResult = { events: 0, items: 0 };
  for (;;) {
    const done = await pruneEventBatch(redis, prefix, cutoffMs);
    if (!done.events) return total;
    total.events += done.events;
    total.items += done.items;
  }
}
