/**
 * The long-running service (`aiwatch start`, `npm start`): connect Redis, wire
 * the App once (src/app), start each part on it, and on shutdown close the parts
 * in reverse order of start (the App and Redis last), every step attempted even
 * if one fails. Parts: notifications (digest schedules, alerts and operations
 * reports from the notify queue), the feed worker (which queues those through
 * app.notices), the HTTP server (slash commands, /metrics, the web archive) and
 * the retention sweep.
 */
import { wireApp, type App } from '../app/app.ts';
import { migrateAtStart } from '../cli/migrate-layout.ts';
import type { AppConfig } from '../config/index.ts';
import type { Core } from '../core/index.ts';
import { closeInOrder, quitRedis, type ServicePart } from '../shared/lifecycle.ts';
import { logger, type Logger } from '../shared/log.ts';
import type { MetricsEndpoint } from '../metrics/port.ts';
import { createPrometheusMetrics } from '../metrics/prometheus.ts';
import { startNotifications } from '../notify/service.ts';
import { connectRedis } from '../redis/connect.ts';
import { startCommandServer } from '../server/server.ts';
import { startFeedWorker } from '../worker/feed-worker.ts';
import { startRetention } from '../worker/retention.ts';

export type { ServicePart } from '../shared/lifecycle.ts';

export interface ServiceOptions {
  config: AppConfig;
  core: Core;
  /** Key prefix of the store, the feed health and the queues. */
  prefix: string;
  log?: Logger;
}

export interface Service {
  app: App;
  /** Stops every part (jobs in hand are finished first), then the App and Redis. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the parts one by one; each is pushed as soon as it runs, so a failure stops the earlier ones. */
async function startParts(app: App, parts: ServicePart[], metrics: MetricsEndpoint): Promise<void> {
  // Before the feed worker: it queues alerts for them, and it is closed first.
  parts.push(await startNotifications(app));
  parts.push(await startFeedWorker(app));
  parts.push(await startCommandServer(app, process.env, { portInUse: 'warn', metrics }));
  parts.push(
    startRetention({
      redis: app.redis,
      prefix: app.prefix,
      log: app.log,
      search: app.search,
      eventsDays: app.config.settings.retention.eventsDays,
    }),
  );
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const log = options.log ?? logger;
  const redis = await connectRedis(undefined, {}, log);
  // Before anything reads: the previous version's keys moved to the hash-tagged layout (one Redis only).
  await migrateAtStart(redis, options.prefix, log).catch(async (error: unknown) => {
    redis.disconnect();
    throw error;
  });
  const parts: ServicePart[] = [{ name: 'redis', close: () => quitRedis(redis) }];
  const stop = () => closeInOrder([...parts].reverse(), log);
  let app: App;
  let prometheus: ReturnType<typeof createPrometheusMetrics>;
  try {
    // One metrics registry for the process: the parts record through its port, /metrics renders it.
    prometheus = createPrometheusMetrics({ redis, prefix: options.prefix });
    parts.push({ name: 'metrics', close: () => prometheus.close() });
    // The App closes its queues; the connection is closed last, as the first part.
    app = wireApp({ ...options, log, redis, metrics: prometheus.metrics });
    parts.push({ name: 'app', close: () => app.close() });
  } catch (error) {
    await stop();
    throw error;
  }
  try {
    await startParts(app, parts, prometheus);
  } catch (error) {
    await stop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return { app, close: () => (closing ??= stop()) };
}
