/**
 * The two BullMQ queues, under the same key prefix family as the store
 * (`<AIWATCH_PREFIX>bull:<queue>:…`), so one prefix isolates a deployment, a
 * demo or a test completely: `poll` holds one job scheduler per feed, `items`
 * one job per batch of new articles of a feed.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FeedItem } from '../core/types.ts';
import {
  batchJobId,
  ITEM_BATCH_SIZE,
  ITEM_JOB_OPTIONS,
  ITEMS_QUEUE,
  itemJobId,
  type JobState,
  POLL_JOB_OPTIONS,
  POLL_QUEUE,
  type ItemJob,
  type PollJob,
} from './jobs.ts';

export interface Queues {
  bullPrefix: string;
  poll: Queue<PollJob>;
  items: Queue<ItemJob>;
  close(): Promise<void>;
}

export function bullPrefix(prefix: string): string {
  return `${prefix}bull`;
}

export function createQueues(redis: Redis, prefix: string): Queues {
  const opts = { connection: redis, prefix: bullPrefix(prefix) };
  const poll = new Queue<PollJob>(POLL_QUEUE, { ...opts, defaultJobOptions: POLL_JOB_OPTIONS });
  const items = new Queue<ItemJob>(ITEMS_QUEUE, { ...opts, defaultJobOptions: ITEM_JOB_OPTIONS });
  return {
    bullPrefix: opts.prefix,
    poll,
    items,
    async close() {
      await Promise.allSettled([poll.close(), items.close()]);
    },
  };
}

/**
 * Where each job stands: `done` once completed, `pending` while it may still run (waiting,
 * delayed, active — a crashed worker's active job goes back to waiting), `lost` when it
 * failed for good or is gone (completed jobs are kept an hour: older ones read as lost,
 * which costs one unconditional fetch).
 */
export async function jobStates(queue: Queue<ItemJob>, ids: string[]): Promise<JobState[]> {
  const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
  return states.map((state) =>
    state === 'completed' ? 'done' : state === 'failed' || state === 'unknown' ? 'lost' : 'pending',
  );
}

/**
 * Adds the items in jobs of up to ITEM_BATCH_SIZE, in the order given (an item found
 * twice is queued once); a batch whose job already exists (any state) is not added
 * again. `backlog` marks the items of a feed's first poll: stored without alerting.
 * Returns the job ids.
 */
export async function enqueueItems(
  queue: Queue<ItemJob>,
  items: FeedItem[],
  options: { backlog?: boolean } = {},
): Promise<string[]> {
  const unique = [...new Map(items.map((item) => [itemJobId(item), item])).values()];
  const extra = options.backlog ? { backlog: true } : {};
  const jobs = [];
  for (let i = 0; i < unique.length; i += ITEM_BATCH_SIZE) {
    const batch = unique.slice(i, i + ITEM_BATCH_SIZE);
    jobs.push({
      name: 'items',
      data: { items: batch, ...extra },
      opts: { jobId: batchJobId(batch.map(itemJobId)) },
    });
  }
  // Bounded requests: a batch holds whole articles.
  for (let i = 0; i < jobs.length; i += 40) await queue.addBulk(jobs.slice(i, i + 40));
  return jobs.map((job) => job.opts.jobId);
}
