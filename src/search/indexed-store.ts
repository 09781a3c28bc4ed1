/**
 * An EventStore that keeps the search index in step with every commit: after an
 * item is stored with its event, the event is (re)indexed with that item's title.
 * Wrap the store the pipeline writes through:
 *   withSearchIndex(createRedisEventStore(redis, prefix), createSearchIndex(redis, prefix))
 * Indexing is idempotent, so a retried job or `aiwatch reindex` does no harm.
 */
import type { EventStore } from '../store/types.ts';
import type { SearchIndex } from './index.ts';

export function withSearchIndex(store: EventStore, index: SearchIndex): EventStore {
  // Every other method (including ones the port gains later) is the store's own.
  const indexed = Object.create(store) as EventStore;
  indexed.commit = async (plan) => {
    const outcome = await store.commit(plan);
    if (outcome.status === 'ok' && plan.event) {
      if (plan.absorbed?.length)
        await index.absorb(
          plan.event,
          plan.absorbed.map((e) => e.id),
        );
      await index.indexEvent(plan.event, [plan.item]);
    }
    return outcome;
  };
  return indexed;
}
