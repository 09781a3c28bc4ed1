/**
 * The retention sweep of a running service: when settings.yaml sets `retention.eventsDays`,
 * events last updated longer ago than that are removed with their articles, at start and every
 * few hours. Several `start` processes share a Redis: a lock lets one of them sweep at a time.
 */
import type { RedisClient } from '../redis/client.ts';
import type { Logger } from '../shared/log.ts';
import type { SearchIndex } from '../search/index.ts';
import { storeKeys } from '../store/keys.ts';
import { pruneEvents } from '../store/retention.ts';
import type { ServicePart } from '../shared/lifecycle.ts';

const SWEEP_EVERY_MS = 6 * 3_600_000;
const LOCK_SECONDS = 3600;
const DAY_MS = 86_400_000;

export interface RetentionContext {
  redis: RedisClient;
  prefix: string;
  log: Logger;
  /** The App's search index: a removed event's postings go first. */
  search: Pick<SearchIndex, 'remove'>;
  eventsDays: number | null;
}

/** One sweep, if no other process holds the lock; the number of events removed (null when skipped). */
export async function sweepOnce(ctx: RetentionContext, nowMs = Date.now()): Promise<number | null> {
  if (ctx.eventsDays === null) return 0;
  const lock = storeKeys(ctx.prefix).retentionLock;
  if ((await ctx.redis.set(lock, String(process.pid), 'EX', LOCK_SECONDS, 'NX')) !== 'OK') return null;
  try {
    const cutoff = nowMs - ctx.eventsDays * DAY_MS;
    const removed = await pruneEvents(ctx.redis, ctx.prefix, cutoff, (ids) => ctx.search.remove(ids));
    if (removed.events)
      ctx.log.info(
        { ...removed, before: new Date(cutoff).toISOString() },
        `retention: removed ${removed.events} event(s) and ${removed.items} article(s) older than ${ctx.eventsDays} days`,
      );
    return removed.events;
  } finally {
    await ctx.redis.del(lock);
  }
}

export function startRetention(ctx: RetentionContext): ServicePart {
  if (ctx.eventsDays === null) return { name: 'retention', close: async () => {} };
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = sweepOnce(ctx).catch((error: Error) =>
      ctx.log.warn({ err: { message: error.message } }, 'retention sweep failed: tried again later'),
    );
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return {
    name: 'retention',
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
