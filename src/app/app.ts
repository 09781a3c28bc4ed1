/**
 * The composition root: the one place that builds the Redis-backed parts of the
 * service (event store, search index, channel registry, feed health, queues,
 * chat posters, the model) around one connection, once, for `start`, `serve`,
 * `poll` and every CLI command. Everything else receives an App and takes the
 * part it needs; nothing below this folder constructs a store of its own.
 */
import type { Queue } from 'bullmq';
import {
  createRedisChannelRegistry,
  withConfigWorkspaces,
  type ChannelRegistry,
} from '../channels/registry.ts';
import type { AppConfig } from '../config/index.ts';
import type { Core } from '../core/index.ts';
import { createFeedHealthStore, type FeedHealthStore } from '../feeds/health.ts';
import { closeInOrder, quitRedis } from '../shared/lifecycle.ts';
import type { Summariser } from '../llm/summaries.ts';
import { summariserFromEnv } from '../llm/env.ts';
import type { Logger } from '../shared/log.ts';
import { noMetrics, type Metrics } from '../metrics/port.ts';
import type { Posters } from '../chat/posters.ts';
import type { Queues } from '../queue/queues.ts';
import type { RedisClient } from '../redis/client.ts';
import { connectRedis } from '../redis/connect.ts';
import { createSearchIndex, type SearchIndex } from '../search/index.ts';
import { withSearchIndex } from '../search/indexed-store.ts';
import { createRedisEventStore } from '../store/redis-store.ts';
import type { EventStore } from '../store/types.ts';
import { queuedNotices, type Notices } from './notices.ts';

export interface App {
  config: AppConfig;
  core: Core;
  log: Logger;
  /** Key prefix of every store and queue of this deployment (AIWATCH_PREFIX). */
  prefix: string;
  redis: RedisClient;
  metrics: Metrics;
  /** The event store; every commit through it also keeps the search index in step. */
  store: EventStore;
  search: SearchIndex;
  /** Channels and subscriptions, each owned by the workspace config/channels.yaml names. */
  channels: ChannelRegistry;
  health: FeedHealthStore;
  /** Where the feed worker reports a processed item and a feed that stays down: the notify queue. */
  notices: Notices;
  /** The feed worker's queues (poll, items, decide), built on first use (BullMQ loads then). */
  queues(): Promise<Queues>;
  /** The notify queue (alerts, digests, operations reports), built on first use. */
  notifyQueue(): Promise<Queue>;
  /** Slack and Discord posters from the environment, built on first use (their clients load then). */
  posters(): Promise<Posters>;
  /** The model that writes digest texts, when AIWATCH_LLM_URL is set. */
  summariser(): Summariser | undefined;
  /** Closes what was built here (queues; the connection when openApp made it). Safe to call twice. */
  close(): Promise<void>;
}

export interface AppOptions {
  config: AppConfig;
  core: Core;
  prefix: string;
  log: Logger;
  metrics?: Metrics;
  /** Tests and benches replace the Slack and Discord posters. */
  posters?: Posters;
  env?: NodeJS.ProcessEnv;
}

/** Built on the first call, the same value after; `built()` peeks without building (for close). */
function once<T>(build: () => T): (() => T) & { built(): T | undefined } {
  let made: { value: T } | undefined;
  return Object.assign(() => (made ??= { value: build() }).value, { built: () => made?.value });
}

/** Wires the parts around a connection the caller owns (it stays open after close()). */
export function wireApp(options: AppOptions & { redis: RedisClient }, ownsRedis = false): App {
  const { config, core, prefix, log, redis } = options;
  const env = options.env ?? process.env;
  const metrics = options.metrics ?? noMetrics;
  const search = createSearchIndex(redis, prefix);
  // Loaded on use: commands that queue nothing (events, feeds, channels) start without BullMQ.
  const bull = once(() => import('../queue/queues.ts'));
  const queues = once(async () => (await bull()).createQueues(redis, prefix));
  const notifyQueue = once(async () => (await bull()).createNotifyQueue(redis, prefix));
  let closing: Promise<void> | undefined;
  const app: App = {
    config,
    core,
    log,
    prefix,
    redis,
    metrics,
    store: withSearchIndex(createRedisEventStore(redis, prefix), search),
    search,
    channels: withConfigWorkspaces(createRedisChannelRegistry(redis, prefix), config.channels.channels),
    health: createFeedHealthStore(redis, prefix),
    notices: queuedNotices(() => app.notifyQueue(), log),
    queues,
    notifyQueue,
    posters: once(async () => {
      if (options.posters) return options.posters;
      // Loaded on use: commands that post nothing (poll, events, feeds) start without the chat clients.
      const { postersFromEnv } = await import('../chat/posters.ts');
      return postersFromEnv(env, { logger: log, metrics });
    }),
    summariser: once(() =>
      summariserFromEnv(env, { redis, prefix, log, settings: config.settings.llm, metrics }),
    ),
    close: () =>
      (closing ??= closeInOrder(
        [
          { name: 'queues', close: async () => (await queues.built())?.close() },
          { name: 'notify queue', close: async () => (await notifyQueue.built())?.close() },
          { name: 'redis', close: async () => void (ownsRedis && (await quitRedis(redis))) },
        ],
        log,
      )),
  };
  return app;
}

/** Connects to Redis (REDIS_URL, or REDIS_CLUSTER_NODES) and wires the parts; close() also disconnects. */
export async function openApp(options: AppOptions): Promise<App> {
  const redis = await connectRedis(undefined, {}, options.log);
  try {
    return wireApp({ ...options, redis }, true);
  } catch (error) {
    // A script file missing from the build, say: the open connection would keep the process alive.
    redis.disconnect();
    throw error;
  }
}
