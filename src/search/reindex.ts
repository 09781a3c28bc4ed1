/** Builds the search index of events already stored: after an upgrade, or to repair it. Idempotent. */
import type { EventStore } from '../store/types.ts';
import type { SearchIndex } from './index.ts';

const BATCH = 500;

export async function reindexAll(store: EventStore, index: SearchIndex): Promise<number> {
  const events = await store.listEvents();
  for (let start = 0; start < events.length; start += BATCH) {
    const batch = events.slice(start, start + BATCH);
    const items = new Map(
      (await store.getItems(batch.flatMap((e) => e.itemIds))).map((item) => [item.id, item]),
    );
    await index.indexEvents(
      batch.map((event) => ({
        event,
        items: event.itemIds.flatMap((id) => (items.has(id) ? [items.get(id)!] : [])),
      })),
    );
  }
  return events.length;
}

/** True when the newest stored event is in the index (the usual state), or there is none. */
export async function indexLooksCurrent(store: EventStore, index: SearchIndex): Promise<boolean> {
  const [newest] = await store.listEvents({ limit: 1 });
  return !newest || (await index.has(newest.id));
}
