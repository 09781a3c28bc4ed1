/**
 * Removing events past their retention (settings.yaml `retention.eventsDays`) with everything
 * that belongs to them: the event and its matching profile, its articles and their URL/GUID
 * markers, its entries in the update and company indexes, its version, its search postings and
 * the aliases of the events merged into it.
 * Irrelevant items need no sweep: they are written with a TTL (redis-store.ts).
 *
 * The search postings live in another store (another hash tag): `forget` removes them first,
 * then one transaction removes the rest. A sweep stopped in between leaves the events to the
 * next sweep, which finds their postings gone already.
 */
import type { RedisClient } from '../redis/client.ts';
import { itemKeys } from '../core/item-identity.ts';
import type { EventRecord, StoredItem } from '../core/types.ts';
import { execChecked } from '../redis/exec.ts';
import { storeKeys } from './keys.ts';

export interface PruneResult {
  events: number;
  items: number;
}

/** What other stores keep of events about to be removed, removed first (the search index's remove). */
export type Forget = (eventIds: readonly string[]) => Promise<void>;

/** One batch of the oldest events last updated before `cutoffMs`; call until it returns 0 events. */
export async function pruneEventBatch(
  redis: RedisClient,
  prefix: string,
  cutoffMs: number,
  forget: Forget,
  batch = 200,
): Promise<PruneResult> {
  const k = storeKeys(prefix);
  const ids = await redis.zrangebyscore(k.updated, '-inf', `(${cutoffMs}`, 'LIMIT', 0, batch);
  if (!ids.length) return { events: 0, items: 0 };
  const records = await redis.mget(ids.map(k.event));
  const events = records.flatMap((json) => (json ? [JSON.parse(json) as EventRecord] : []));
  const itemIds = events.flatMap((event) => event.itemIds);
  const items = itemIds.length ? await redis.mget(itemIds.map(k.item)) : [];
  await forget(ids);

  const multi = redis.multi();
  for (const id of ids) {
    multi.zrem(k.updated, id).del(k.event(id), k.profile(id));
    multi.hdel(k.versions, `e:${id}`);
  }
  for (const event of events) {
    for (const company of event.companies) multi.zrem(k.company(company), event.id);
    // The ids of events merged into it resolved to it: they go with it.
    for (const merged of event.mergedFrom ?? []) multi.del(k.alias(merged));
  }
  itemIds.forEach((id, i) => {
    multi.del(k.item(id));
    const json = items[i];
    if (!json) return;
    const { urlKey, guidKey } = itemKeys(JSON.parse(json) as StoredItem);
    multi.del(k.url(urlKey));
    if (guidKey) multi.del(k.guid(guidKey));
  });
  await execChecked(multi);
  return { events: ids.length, items: itemIds.length };
}

/** Every event last updated before `cutoffMs`, in batches. */
export async function pruneEvents(
  redis: RedisClient,
  prefix: string,
  cutoffMs: number,
  forget: Forget,
): Promise<PruneResult> {
  const total: PruneResult = { events: 0, items: 0 };
  for (;;) {
    const done = await pruneEventBatch(redis, prefix, cutoffMs, forget);
    if (!done.events) return total;
    total.events += done.events;
    total.items += done.items;
  }
}
