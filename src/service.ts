/**
 * The long-running service (`aiwatch start`, `npm start`) as a small
 * composition: connect Redis, start each part, and on shutdown close the parts
 * in reverse order of start (Redis last), every step attempted even if one
 * fails. Parts: notifications (digest schedules and alerts), the feed worker
 * (whose item worker hands each stored item to the notifications, for alerts),
 * and the slash-command server.
 */
import type { RedisClient } from './redis/client.ts';
import type { AppConfig } from './config/index.ts';
import type { Core } from './core/index.ts';
import type { OnFeedDown } from './feeds/poll.ts';
import { logger, type Logger } from './log.ts';
import { createPrometheusMetrics } from './metrics/prometheus.ts';
import { connectRedis } from './redis.ts';
import { closeInOrder, quitRedis, type ServicePart } from './lifecycle.ts';
import { startFeedWorker } from './worker/feed-worker.ts';
import { startRetention } from './worker/retention.ts';
import { startNotifications } from './notify/service.ts';
import { startCommandServer } from './server.ts';

export type { ServicePart } from './lifecycle.ts';

export interface ServiceOptions {
  config: AppConfig;
  core: Core;
  /** Key prefix of the store, the feed health and the queues. */
  prefix: string;
  log?: Logger;
  /** Reports a feed down for longer than worker.feedFailureAlertHours (default: the operations channels). */
  onFeedDown?: OnFeedDown;
}

export interface ServiceContext extends Required<Omit<ServiceOptions, 'onFeedDown'>> {
  redis: RedisClient;
  onFeedDown?: OnFeedDown;
}

export interface Service {
  context: ServiceContext;
  /** Stops every part (jobs in hand are finished first), then Redis. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the parts one by one; each is pushed as soon as it runs, so a failure stops the earlier ones. */
async function startParts(ctx: ServiceContext, parts: ServicePart[]): Promise<void> {
  const { redis, prefix, config, core, log } = ctx;
  // One metrics registry for the process: the parts record through its port, /metrics renders it.
  const prometheus = createPrometheusMetrics({ redis, prefix });
  parts.push({ name: 'metrics', close: () => prometheus.close() });
  const { metrics } = prometheus;
  // Before the feed worker: it hands items to the notifications, and it is closed first.
  const notifications = await startNotifications({ redis, prefix, config, core, log, metrics });
  parts.push(notifications);
  parts.push(
    await startFeedWorker(
      {
        ...ctx,
        afterItem: notifications.afterItem,
        onFeedDown: ctx.onFeedDown ?? notifications.feedDown,
      },
      metrics,
    ),
  );
  parts.push(await startCommandServer({ ...ctx, metrics: prometheus }, process.env, { portInUse: 'warn' }));
  parts.push(startRetention({ redis, prefix, log, eventsDays: config.settings.retention.eventsDays }));
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const log = options.log ?? logger;
  const redis = await connectRedis(undefined, {}, log);
  const context: ServiceContext = { ...options, log, redis };
  const parts: ServicePart[] = [
    {
      name: 'redis',
      close: () => quitRedis(redis),
    },
  ];
  const stop = () => closeInOrder([...parts].reverse(), log);
  try {
    await startParts(context, parts);
  } catch (error) {
    await stop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return { context, close: () => (closing ??= stop()) };
}
