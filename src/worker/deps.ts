/** Builds what the poller and the item worker need from config, core, Redis and a key prefix. */
import type { RedisClient } from '../redis/client.ts';
import type { AppConfig } from '../config/index.ts';
import type { Core } from '../core/index.ts';
import { createArticleReader } from '../feeds/article.ts';
import { createFeedHealthStore } from '../feeds/health.ts';
import type { OnFeedDown, PollDeps } from '../feeds/poll.ts';
import type { Logger } from '../log.ts';
import { createNotifyQueue, queueAlertsAfterItem, queueFeedDown } from '../notify/queue.ts';
import type { PipelineDeps } from '../pipeline/process-item.ts';
import type { ItemResult } from '../queue/jobs.ts';
import { enqueueRound, jobStates, type Queues } from '../queue/queues.ts';
import { createSearchIndex } from '../search/index.ts';
import { withSearchIndex } from '../search/indexed-store.ts';
import { createRedisEventStore } from '../store/redis-store.ts';
import { fetchOptions } from '../feeds/fetch.ts';

/** What the item worker hands on after processItem: the result, and whether the item was backlog. */
export type AfterItem = (result: ItemResult, backlog?: boolean) => Promise<void>;

export interface FeedWorkerContext {
  config: AppConfig;
  core: Core;
  redis: RedisClient;
  prefix: string;
  log: Logger;
  /** Reports a feed that has failed longer than worker.feedFailureAlertHours (throws when it could not). */
  onFeedDown?: OnFeedDown;
  /** Called by the item worker after each item is processed (the service queues alerts here). */
  afterItem?: AfterItem;
}

/**
 * The hooks where no notifications part runs in this process (`poll --once`): alerts and
 * operations reports are queued on the notify queue under the same job ids the service
 * uses, and a running `start` posts them (each once). Hooks given in `ctx` are kept.
 */
export function withQueuedNotifications(ctx: FeedWorkerContext): {
  ctx: FeedWorkerContext & Required<Pick<FeedWorkerContext, 'onFeedDown' | 'afterItem'>>;
  close(): Promise<void>;
} {
  if (ctx.onFeedDown && ctx.afterItem)
    return { ctx: { ...ctx, onFeedDown: ctx.onFeedDown, afterItem: ctx.afterItem }, close: async () => {} };
  const queue = createNotifyQueue(ctx.redis, ctx.prefix);
  return {
    ctx: {
      ...ctx,
      onFeedDown: ctx.onFeedDown ?? queueFeedDown(queue, ctx.log),
      afterItem: ctx.afterItem ?? queueAlertsAfterItem(queue),
    },
    close: () => queue.close(),
  };
}

const DAY_MS = 86_400_000;

function irrelevantTtl(days: number | null): { irrelevantTtlMs?: number } {
  return days === null ? {} : { irrelevantTtlMs: Math.round(days * DAY_MS) };
}

export function pipelineDeps(ctx: FeedWorkerContext): PipelineDeps {
  return {
    analyser: ctx.core.analyser,
    classify: ctx.core.classify,
    dedupe: ctx.core.dedupe,
    ...irrelevantTtl(ctx.config.settings.retention.irrelevantItemsDays),
    // Every stored event is searchable by /aiwatch search at once.
    store: withSearchIndex(
      createRedisEventStore(ctx.redis, ctx.prefix),
      createSearchIndex(ctx.redis, ctx.prefix),
    ),
  };
}

export function pollDeps(ctx: FeedWorkerContext, queues: Queues, onFeedDown: OnFeedDown): PollDeps {
  const worker = ctx.config.settings.worker;
  const fetch = fetchOptions(worker);
  return {
    store: createRedisEventStore(ctx.redis, ctx.prefix),
    health: createFeedHealthStore(ctx.redis, ctx.prefix),
    // Each poll of a feed is a round: its relevant items are decided in published order.
    enqueue: async (items, { backlog }) => [(await enqueueRound(queues, [{ items, backlog }])).round],
    jobStates: (ids) => jobStates(queues, ids),
    fetch,
    // Only feeds with fetchArticle use it: the same caps as a feed, paced per host.
    articles: createArticleReader({
      fetch,
      delayMs: worker.articleDelayMs,
      redis: ctx.redis,
      prefix: ctx.prefix,
      log: ctx.log,
    }),
    maxItemsPerPoll: worker.maxItemsPerPoll,
    alertAfterMs: worker.feedFailureAlertHours * 3_600_000,
    onFeedDown,
    log: ctx.log,
  };
}
