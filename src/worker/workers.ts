/**
 * The BullMQ workers: `poll` jobs fetch a feed and queue its new items; `items`
 * jobs send a batch of them, one by one, through processItem (duplicate check →
 * classify → match → store). Several processes may run these on one Redis:
 * BullMQ hands each job to one of them, deterministic batch job ids keep a batch
 * found twice one job, and the store's atomic commit keeps a re-run job (after a
 * crash) or an article in two batches from being stored twice.
 */
import { Worker, type Job } from 'bullmq';
import type { RedisClient } from '../redis/client.ts';
import type { Settings } from '../config/index.ts';
import type { FeedItem } from '../core/types.ts';
import type { Logger } from '../shared/log.ts';
import {
  prepareItem,
  storePrepared,
  type PipelineDeps,
  type PreparedItem,
} from '../pipeline/process-item.ts';
import { pollFeed, type PollDeps, type PollResult } from '../feeds/poll.ts';
import {
  DECIDE_QUEUE,
  decideJobSchema,
  itemJobResultSchema,
  type DecideJob,
  type PendingItem,
  ITEMS_QUEUE,
  itemJobId,
  itemJobSchema,
  parseJob,
  POLL_QUEUE,
  pollJobSchema,
  type ItemJob,
  type ItemJobResult,
  type ItemResult,
  type PollJob,
} from '../queue/jobs.ts';
import { bullPrefix } from '../queue/queues.ts';
import { isOutageEcho } from '../redis/connect.ts';
import type { Notices } from '../app/notices.ts';

export interface WorkerOptions {
  redis: RedisClient;
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

/**
 * One line per stalled check that took jobs over from a worker that stopped answering (killed,
 * or frozen past its lock): BullMQ reports them one event per job, all in one tick.
 */
function logRecoveries(worker: Worker, log: Logger): void {
  let recovered: string[] = [];
  worker.on('stalled', (jobId: string) => {
    if (!recovered.length)
      setImmediate(() => {
        log.warn(
          { jobs: recovered.length, jobIds: recovered.slice(0, 10) },
          `took over ${recovered.length} job(s) from a worker that stopped (crashed or killed)`,
        );
        recovered = [];
      });
    recovered.push(jobId);
  });
}

function watch(worker: Worker, log: Logger, options: WorkerOptions): void {
  logRecoveries(worker, log);
  // A Redis outage is reported once by the main connection (reportOutages); each retry of each
  // queue connection would otherwise be a warning of its own.
  worker.on('error', (error) =>
    isOutageEcho(error, options.redis, 2 * options.settings.lockDurationMs)
      ? log.debug({ err: { message: error.message } }, 'queue connection retrying')
      : log.warn({ err: { message: error.message } }, 'queue connection problem'),
  );
  worker.on('failed', (job: Job | undefined, error: Error) =>
    log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: { message: error.message } }, 'job failed'),
  );
}

/**
 * The result a run of an item job reports for an item that is already stored under its
 * own id: stored by an earlier run of this job (a retry, or a worker that died after the
 * commit) or by another batch holding the same article. It reports what was stored, so
 * that counts stay right and the notices still hear of the event (no alert is lost).
 */
async function storedResult(itemId: string, pipeline: PipelineDeps): Promise<ItemResult> {
  const [stored] = await pipeline.store.getItems([itemId]);
  if (!stored) return { status: 'duplicate', itemId };
  if (!stored.event) return { status: 'irrelevant', itemId };
  const event = await pipeline.store.getEvent(stored.event);
  const created = event?.itemIds[0] === itemId;
  return { status: created ? 'new-event' : 'joined-event', itemId, eventId: stored.event };
}

export async function processJobItem(
  item: FeedItem,
  pipeline: PipelineDeps,
  prepared: PreparedItem = prepareItem(item, pipeline),
): Promise<ItemResult> {
  const result = await storePrepared(prepared, pipeline);
  if (result.status === 'duplicate')
    return result.itemId === itemJobId(item)
      ? storedResult(result.itemId, pipeline)
      : { status: 'duplicate', itemId: result.itemId };
  return {
    status: result.status,
    itemId: result.itemId,
    ...('eventId' in result ? { eventId: result.eventId } : {}),
  };
}

/**
 * Each job is a batch of one feed's new items, processed one after another in the
 * order found. `notices.itemDone` runs after each item's commit (the service queues its
 * alerts there); if anything throws, the job is retried and the items already
 * stored are recognised (storedResult), so none is stored or counted twice.
 */
export function createItemWorker(
  options: WorkerOptions,
  pipeline: PipelineDeps,
  notices?: Pick<Notices, 'itemDone'>,
): Worker<ItemJob, ItemJobResult> {
  const log = options.log.child({ queue: ITEMS_QUEUE });
  const worker = new Worker<ItemJob, ItemJobResult>(
    ITEMS_QUEUE,
    async (job) => {
      const { items, backlog, decideLater } = parseJob(itemJobSchema, job.data, 'item');
      const results: ItemResult[] = [];
      const pending: PendingItem[] = [];
      for (const item of items) {
        const prepared = prepareItem(item, pipeline);
        // In a round, what decides an event waits for the round's decide job, in published order.
        if (decideLater && prepared.match) {
          pending.push({ item, ...(backlog ? { backlog } : {}) });
          continue;
        }
        const result = await processJobItem(item, pipeline, prepared);
        if (notices) await notices.itemDone(result, backlog);
        log.debug({ jobId: job.id, url: item.url, source: item.source, ...result }, 'item processed');
        results.push(result);
      }
      return { results, ...(pending.length ? { pending } : {}) };
    },
    baseOptions(options),
  );
  watch(worker, log, options);
  return worker;
}

/** Stream order: publication time, then URL, so that every worker decides a round alike. */
function inStreamOrder(pending: PendingItem[]): PendingItem[] {
  const at = (p: PendingItem) => Date.parse(p.item.published) || 0;
  const unique = [...new Map(pending.map((p) => [itemJobId(p.item), p])).values()];
  return unique.sort(
    (a, b) => at(a) - at(b) || (a.item.url < b.item.url ? -1 : a.item.url > b.item.url ? 1 : 0),
  );
}

/**
 * Decides a round once its item jobs are done: the relevant articles they left, one after
 * another in published order, against the events stored so far. One round at a time across
 * every worker (the decide queue's global concurrency is 1), so the same items make the same
 * events whatever the concurrency and the number of processes. A retried round recognises
 * what it already stored (storedResult).
 */
export function createDecideWorker(
  options: WorkerOptions,
  pipeline: PipelineDeps,
  notices?: Pick<Notices, 'itemDone'>,
): Worker<DecideJob, ItemJobResult> {
  const log = options.log.child({ queue: DECIDE_QUEUE });
  const worker = new Worker<DecideJob, ItemJobResult>(
    DECIDE_QUEUE,
    async (job) => {
      const { round } = parseJob(decideJobSchema, job.data, 'decide');
      const values = Object.values(await job.getChildrenValues());
      const pending = values.flatMap((value) => {
        const parsed = itemJobResultSchema.safeParse(value);
        return parsed.success ? (parsed.data.pending ?? []) : [];
      });
      const results: ItemResult[] = [];
      for (const { item, backlog } of inStreamOrder(pending)) {
        const result = await processJobItem(item, pipeline);
        if (notices) await notices.itemDone(result, backlog);
        log.debug({ round, url: item.url, source: item.source, ...result }, 'item decided');
        results.push(result);
      }
      return { results };
    },
    { ...baseOptions(options), concurrency: 1 },
  );
  watch(worker, log, options);
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
  watch(worker, log, options);
  return worker;
}
