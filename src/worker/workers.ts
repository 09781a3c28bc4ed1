/**
 * The BullMQ workers: `poll` jobs fetch a feed and queue its new items; `items`
 * jobs send one item through processItem (duplicate check → classify → match →
 * store). Several processes may run these on one Redis: BullMQ hands each job
 * to one of them, deterministic item job ids keep a twice-found article one job,
 * and the store's atomic commit keeps a re-run job (after a crash) from storing
 * anything twice.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/index.ts';
import type { Logger } from '../log.ts';
import { processItem, type PipelineDeps } from '../pipeline/process-item.ts';
import { pollFeed, type PollDeps, type PollResult } from '../feeds/poll.ts';
import {
  ITEMS_QUEUE,
  itemJobId,
  itemJobSchema,
  parseJob,
  POLL_QUEUE,
  pollJobSchema,
  type ItemJob,
  type ItemResult,
  type PollJob,
} from '../queue/jobs.ts';
import { bullPrefix } from '../queue/queues.ts';
import type { AfterItem } from './deps.ts';

export interface WorkerOptions {
  redis: Redis;
  prefix: string;
  settings: Settings['worker'];
  log: Logger;
}

function baseOptions(options: WorkerOptions) {
  return {
    connection: options.redis,
    prefix: bullPrefix(options.prefix),
    concurrency: options.settings.concurrency,
    lockDuration: options.settings.lockDurationMs,
    stalledInterval: options.settings.stalledIntervalMs,
    // A job survives a few worker crashes before it is given up (its feed would bring it back).
    maxStalledCount: 3,
  };
}

function watch(worker: Worker, log: Logger): void {
  worker.on('error', (error) => log.warn({ err: { message: error.message } }, 'queue connection problem'));
  worker.on('failed', (job: Job | undefined, error: Error) =>
    log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: { message: error.message } }, 'job failed'),
  );
}

/**
 * What afterItem hears of an item. A job re-run after its commit (afterItem threw,
 * or the worker died in between) finds its own item stored, a "duplicate" of itself:
 * afterItem then hears of the event it was stored under, so no alert is lost.
 */
async function afterItemResult(item: ItemJob['item'], out: ItemResult, pipeline: PipelineDeps) {
  if (out.status !== 'duplicate' || out.itemId !== itemJobId(item)) return out;
  const [stored] = await pipeline.store.getItems([out.itemId]);
  return stored?.event ? { status: 'joined-event' as const, itemId: out.itemId, eventId: stored.event } : out;
}

/**
 * `afterItem` runs after each item's commit (the service queues its alerts there);
 * if it throws, the job is retried and processItem finds the item already stored.
 */
export function createItemWorker(
  options: WorkerOptions,
  pipeline: PipelineDeps,
  afterItem?: AfterItem,
): Worker<ItemJob, ItemResult> {
  const log = options.log.child({ queue: ITEMS_QUEUE });
  const worker = new Worker<ItemJob, ItemResult>(
    ITEMS_QUEUE,
    async (job) => {
      const { item, backlog } = parseJob(itemJobSchema, job.data, 'item');
      const result = await processItem(item, pipeline);
      const out: ItemResult = {
        status: result.status,
        itemId: result.itemId,
        ...('eventId' in result ? { eventId: result.eventId } : {}),
      };
      if (afterItem) await afterItem(await afterItemResult(item, out, pipeline), backlog);
      log.debug({ jobId: job.id, url: item.url, source: item.source, ...out }, 'item processed');
      return out;
    },
    baseOptions(options),
  );
  watch(worker, log);
  return worker;
}

export function createPollWorker(
  options: WorkerOptions,
  deps: PollDeps,
  feeds: { intervalOf: (url: string) => number | undefined },
): Worker<PollJob, PollResult | { feed: string; status: 'unconfigured' }> {
  const log = options.log.child({ queue: POLL_QUEUE });
  const worker = new Worker<PollJob, PollResult | { feed: string; status: 'unconfigured' }>(
    POLL_QUEUE,
    async (job) => {
      const { feed } = parseJob(pollJobSchema, job.data, 'poll');
      const interval = feeds.intervalOf(feed.url);
      if (interval === undefined) {
        log.info({ url: feed.url }, 'poll of a feed no longer in config skipped');
        return { feed: feed.url, status: 'unconfigured' as const };
      }
      const result = await pollFeed(feed, interval, deps);
      // The job's return value stays in Redis: keep it small.
      return result.status === 'ok' ? { ...result, jobIds: [] } : result;
    },
    { ...baseOptions(options), concurrency: Math.min(options.settings.concurrency, 16) },
  );
  watch(worker, log);
  return worker;
}
