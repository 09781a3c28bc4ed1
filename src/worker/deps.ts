/** Builds what the poller and the item worker need from config, core, Redis and a key prefix. */
import type { Redis } from 'ioredis';
import type { AppConfig, FeedConfig } from '../config/index.ts';
import type { Core } from '../core/index.ts';
import type { FeedHealth } from '../feeds/health.ts';
import { createFeedHealthStore } from '../feeds/health.ts';
import type { OnFeedDown, PollDeps } from '../feeds/poll.ts';
import type { Logger } from '../log.ts';
import type { PipelineDeps } from '../pipeline/process-item.ts';
import type { ItemResult } from '../queue/jobs.ts';
import { enqueueItems, type Queues } from '../queue/queues.ts';
import { createRedisEventStore } from '../store/redis-store.ts';

/** What the item worker hands on after processItem: the result, and whether the item was backlog. */
export type AfterItem = (result: ItemResult, backlog?: boolean) => Promise<void>;

export interface FeedWorkerContext {
  config: AppConfig;
  core: Core;
  redis: Redis;
  prefix: string;
  log: Logger;
  /** Reports a feed that has failed longer than worker.feedFailureAlertHours; logs by default. */
  onFeedDown?: OnFeedDown;
  /** Called by the item worker after each item is processed (the service queues alerts here). */
  afterItem?: AfterItem;
}

/**
 * The operations report where no poster runs (`poll --once`): a log line naming the
 * operations channels that should hear of it. `start` posts it to them (notify/operations.ts).
 */
export function logFeedDown(config: AppConfig, log: Logger): OnFeedDown {
  const channels = config.channels.channels.filter((c) => c.operations).map((c) => c.id);
  return (feed: FeedConfig, health: FeedHealth) => {
    log.error(
      {
        feed: feed.name,
        url: feed.url,
        failingSince: health.failingSince,
        failures: health.consecutiveFailures,
        lastError: health.lastError,
        operationsChannels: channels,
      },
      channels.length
        ? `feed ${feed.name} down since ${health.failingSince}: report for ${channels.join(', ')}`
        : `feed ${feed.name} down since ${health.failingSince} (no operations channel configured)`,
    );
  };
}

export function pipelineDeps(ctx: FeedWorkerContext): PipelineDeps {
  return {
    analyser: ctx.core.analyser,
    classify: ctx.core.classify,
    dedupe: ctx.core.dedupe,
    store: createRedisEventStore(ctx.redis, ctx.prefix),
  };
}

export function pollDeps(ctx: FeedWorkerContext, queues: Queues): PollDeps {
  const worker = ctx.config.settings.worker;
  return {
    store: createRedisEventStore(ctx.redis, ctx.prefix),
    health: createFeedHealthStore(ctx.redis, ctx.prefix),
    enqueue: (items, options) => enqueueItems(queues.items, items, options),
    fetch: {
      connectTimeoutMs: worker.connectTimeoutMs,
      fetchTimeoutMs: worker.fetchTimeoutMs,
      maxBytes: worker.maxFeedBytes,
      maxRedirects: worker.maxRedirects,
    },
    maxItemsPerPoll: worker.maxItemsPerPoll,
    alertAfterMs: worker.feedFailureAlertHours * 3_600_000,
    onFeedDown: ctx.onFeedDown ?? logFeedDown(ctx.config, ctx.log),
    log: ctx.log,
  };
}
