/**
 * The notification part of the service: one BullMQ queue, `notify`, with
 *   - one job scheduler per channel (`digest-<platform>-<id>`, the channel's cron
 *     pattern in its time zone) whose jobs post the channel's digest, and
 *   - one `alert` job per item that created or joined an event, added by the item
 *     worker through `alert()`, so a failed post is retried with backoff, and
 *   - one `feed-down` job per failure streak of a feed, added by the poller through
 *     `feedDown()`: the one-line report to the operations channels (operations.ts).
 * Schedules follow the channel registry: re-synced at start and every minute, so a
 * channel added or changed by a slash command gets its schedule without a restart.
 */
import { Worker, type Job, type Queue } from 'bullmq';
import type { App } from '../app/app.ts';
import { seedChannelsFromConfig, type Channel } from '../channels/registry.ts';
import type { AppConfig } from '../config/index.ts';
import type { Core } from '../core/index.ts';
import type { Logger } from '../shared/log.ts';
import { parseJob } from '../queue/jobs.ts';
import { bullPrefix } from '../queue/queues.ts';
import { needsRetry, notifyEvent, type AlertTrigger } from './alerts.ts';
import { runDigest, type NotifyDeps } from './digest-run.ts';
import { isOutageEcho } from '../redis/connect.ts';
import { reportFeedDown } from './operations.ts';
import {
  alertJobSchema,
  digestJobSchema,
  feedDownJobSchema,
  NOTIFY_JOB_OPTIONS,
  NOTIFY_QUEUE,
  queueAlert,
} from '../queue/notify.ts';

export { NOTIFY_QUEUE } from '../queue/notify.ts';

export function schedulerId(channelId: string): string {
  return `digest-${channelId.replace(':', '-')}`;
}

/** Makes the queue's digest schedulers match the registry: one per channel, none for removed channels. */
export async function syncDigestSchedules(
  queue: Queue,
  channels: readonly Channel[],
  log: Logger,
): Promise<void> {
  const existing = new Map(
    (await queue.getJobSchedulers(0, -1))
      .map((s) => [s.key, s] as const)
      .filter(([k]) => k.startsWith('digest-')),
  );
  for (const channel of channels) {
    const id = schedulerId(channel.id);
    const current = existing.get(id);
    existing.delete(id);
    if (current?.pattern === channel.schedule && current.tz === channel.timezone) continue;
    try {
      await queue.upsertJobScheduler(
        id,
        { pattern: channel.schedule, tz: channel.timezone },
        { name: 'digest', data: { channel: channel.id }, opts: NOTIFY_JOB_OPTIONS },
      );
      log.info({ channel: channel.id, schedule: channel.schedule, tz: channel.timezone }, 'digest scheduled');
    } catch (error) {
      log.error(
        {
          channel: channel.id,
          schedule: channel.schedule,
          tz: channel.timezone,
          err: { message: (error as Error).message },
        },
        'digest schedule rejected: fix the channel schedule',
      );
    }
  }
  for (const id of existing.keys()) await queue.removeJobScheduler(id);
}

export interface NotifyJobResult {
  status: string;
  detail?: string;
}

/**
 * Runs one notify job; throws (so BullMQ retries with backoff) only when a retry can help.
 * A payload that can never be valid fails at once (UnrecoverableError), without retries.
 */
export async function processNotifyJob(job: Job, deps: NotifyDeps): Promise<NotifyJobResult> {
  if (job.name === 'feed-down') {
    const report = parseJob(feedDownJobSchema, job.data, 'feed-down');
    const outcomes = await reportFeedDown(report, deps);
    if (needsRetry(outcomes)) throw new Error(`feed-down ${report.url}: some channels not posted yet`);
    return { status: 'done', detail: outcomes.map((o) => `${o.channel}:${o.status}`).join(' ') };
  }
  if (job.name === 'alert') {
    const trigger: AlertTrigger = parseJob(alertJobSchema, job.data, 'alert');
    const outcomes = await notifyEvent(trigger, deps);
    if (needsRetry(outcomes)) throw new Error(`alert ${trigger.eventId}: some channels not posted yet`);
    return { status: 'done', detail: outcomes.map((o) => `${o.channel}:${o.status}`).join(' ') };
  }
  const { channel: id } = parseJob(digestJobSchema, job.data, 'digest');
  const channel = await deps.registry.get(id);
  if (!channel) return { status: 'no-channel' };
  // The scheduler's fire time identifies the window across retries and workers.
  const slot = typeof job.opts.prevMillis === 'number' ? job.opts.prevMillis : job.timestamp;
  const outcome = await runDigest(channel, deps, slot);
  if (outcome.status === 'in-progress') throw new Error(`digest ${id}: another worker is posting it`);
  if (outcome.status === 'failed' && !outcome.error.permanent) throw outcome.error;
  return {
    status: outcome.status,
    ...(outcome.status === 'failed' ? { detail: outcome.error.message } : {}),
  };
}

export interface NotificationsOptions {
  /** How often schedules are re-read from the registry. */
  resyncMs?: number;
  concurrency?: number;
}

export interface Notifications {
  name: string;
  queue: Queue;
  deps: NotifyDeps;
  /** Queues the alerts of an item that created or joined an event (idempotent per item). */
  alert(trigger: AlertTrigger): Promise<void>;
  close(): Promise<void>;
}

/**
 * The notification dependencies, taken from the App. Nothing is written: read-only
 * commands (`channels`, `digest --dry-run`) use them too; seedChannels writes the config.
 * (With a model configured, the texts it writes are cached, a dry run's too, for the real post.)
 */
export async function createNotifyDeps(app: App): Promise<NotifyDeps> {
  const summariser = app.summariser();
  return {
    redis: app.redis,
    prefix: app.prefix,
    store: app.store,
    registry: app.channels,
    nameOf: (id, lang) => app.core.registry.nameIn(id, lang ?? 'en'),
    settings: app.config.settings.digest,
    posters: await app.posters(),
    log: app.log.child({ part: 'notify' }),
    ...(summariser ? { summariser } : {}),
  };
}

/** Writes config/channels.yaml into the registry (channels gone from config are removed). */
export async function seedChannels(
  deps: Pick<NotifyDeps, 'redis' | 'prefix' | 'registry' | 'log'>,
  config: AppConfig,
  core: Core,
): Promise<void> {
  const { removed } = await seedChannelsFromConfig(
    deps.redis,
    deps.prefix,
    deps.registry,
    config.channels.channels,
    (name) => core.registry.resolve(name)?.id,
  );
  if (removed.length)
    deps.log.info({ removed }, `channels no longer in config/channels.yaml removed: ${removed.join(', ')}`);
}

export async function startNotifications(
  app: App,
  options: NotificationsOptions = {},
): Promise<Notifications> {
  const deps = await createNotifyDeps(app);
  await seedChannels(deps, app.config, app.core);
  const registry = deps.registry;
  const connection = { connection: app.redis, prefix: bullPrefix(app.prefix) };
  const queue = await app.notifyQueue();
  const sync = async () => syncDigestSchedules(queue, await registry.list(), deps.log);
  await sync();
  const timer = setInterval(
    () =>
      void sync().catch((error: Error) =>
        deps.log.warn({ err: { message: error.message } }, 'schedule sync failed'),
      ),
    options.resyncMs ?? 60_000,
  );
  timer.unref();
  const worker = new Worker(NOTIFY_QUEUE, (job) => processNotifyJob(job, deps), {
    ...connection,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('error', (error) =>
    isOutageEcho(error, deps.redis)
      ? deps.log.debug({ err: { message: error.message } }, 'notify queue connection retrying')
      : deps.log.warn({ err: { message: error.message } }, 'notify queue problem'),
  );
  // Ready before returning: a service closed right after start (a failed start, a test)
  // would otherwise close the worker's blocking connection under a command in flight.
  await worker.waitUntilReady().catch(async (error: unknown) => {
    // The caller never gets this part to close: its blocking connection would keep the process alive.
    clearInterval(timer);
    await worker.close().catch(() => {});
    throw error;
  });
  worker.on('failed', (job, error) =>
    deps.log.warn(
      { jobId: job?.id, attempts: job?.attemptsMade, err: { message: error.message } },
      'notify job failed',
    ),
  );
  return {
    name: 'notifications',
    queue,
    deps,
    alert: (trigger: AlertTrigger) => queueAlert(queue, trigger),
    async close() {
      clearInterval(timer);
      // The queue is the App's, closed with it.
      await worker.close();
    },
  };
}
