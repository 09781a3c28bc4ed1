/**
 * Keeps the search index in step with the store from the outside: every few
 * seconds, events updated since the last look (with a minute of overlap for
 * clock skew between workers) are indexed with all their articles. With the
 * pipeline's own indexing (withSearchIndex) this only confirms; without it,
 * search still lags the store by seconds at most.
 */
import type { Logger } from '../shared/log.ts';
import type { EventStore } from '../store/types.ts';
import type { SearchIndex } from './index.ts';

const OVERLAP_MS = 60_000;

export function followStore(
  store: EventStore,
  index: SearchIndex,
  log: Logger,
  { intervalMs = 5000, now = () => Date.now(), stopWaitMs = 5000 } = {},
): {
  /** Stops following; resolves when the tick in flight has finished (at most stopWaitMs: Redis may be down). */
  stop(): Promise<void>;
  tick(): Promise<number>;
} {
  let since = now() - OVERLAP_MS;
  const done = new Map<string, string>();
  let running: Promise<number> | undefined;

  async function tick(): Promise<number> {
    const started = now();
    const events = await store.listEvents({ since: new Date(since - OVERLAP_MS).toISOString() });
    const changed = events.filter((e) => done.get(e.id) !== e.updatedAt);
    if (changed.length) {
      const items = new Map(
        (await store.getItems(changed.flatMap((e) => e.itemIds))).map((item) => [item.id, item]),
      );
      await index.indexEvents(
        changed.map((event) => ({ event, items: event.itemIds.flatMap((id) => items.get(id) ?? []) })),
      );
      for (const e of changed) done.set(e.id, e.updatedAt);
    }
    since = started;
    if (done.size > 10_000) done.clear();
    return changed.length;
  }

  const timer = setInterval(() => {
    running ??= tick()
      .catch((error: Error) => {
        log.warn({ err: { message: error.message } }, 'search index follow-up failed; retrying');
        return 0;
      })
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      if (!running) return;
      let wait: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (wait = setTimeout(resolve, stopWaitMs)));
      await Promise.race([running.then(() => undefined), late]);
      clearTimeout(wait);
    },
    tick,
  };
}
