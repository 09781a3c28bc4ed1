/**
 * The BullMQ queues, under the same key prefix family as the store
 * (`<AIWATCH_PREFIX>{bull}:<queue>:…`, hash-tagged for a Redis Cluster: see
 * redis/queue-prefix.ts), so one prefix isolates a deployment, a
 * demo or a test completely: `poll` holds one job scheduler per feed, `items`
 * one job per batch of new articles, `decide` one job per poll round, the parent
 * of that round's item jobs (a BullMQ flow).
 */
import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue, type FlowChildJob } from 'bullmq';
import type { RedisClient } from '../redis/client.ts';
import { bullPrefix } from '../redis/queue-prefix.ts';
import type { FeedItem } from '../core/types.ts';
import { NOTIFY_JOB_OPTIONS, NOTIFY_QUEUE } from './notify.ts';
import {
  batchJobId,
  DECIDE_JOB_OPTIONS,
  DECIDE_QUEUE,
  isRoundId,
  ITEM_BATCH_SIZE,
  ITEM_JOB_OPTIONS,
  ITEMS_QUEUE,
  itemJobId,
  type JobState,
  POLL_JOB_OPTIONS,
  POLL_QUEUE,
  type DecideJob,
  type ItemJob,
  type PollJob,
} from './jobs.ts';

export interface Queues {
  bullPrefix: string;
  poll: Queue<PollJob>;
  items: Queue<ItemJob>;
  decide: Queue<DecideJob>;
  flows: FlowProducer;
  close(): Promise<void>;
}

export { bullPrefix };

/** The notify queue (alerts, digests, operations reports): its payloads and job ids are in notify.ts. */
export function createNotifyQueue(redis: RedisClient, prefix: string): Queue {
  return new Queue(NOTIFY_QUEUE, {
    connection: redis,
    prefix: bullPrefix(prefix),
    defaultJobOptions: NOTIFY_JOB_OPTIONS,
  });
}

export function createQueues(redis: RedisClient, prefix: string): Queues {
  const opts = { connection: redis, prefix: bullPrefix(prefix) };
  const poll = new Queue<PollJob>(POLL_QUEUE, { ...opts, defaultJobOptions: POLL_JOB_OPTIONS });
  const items = new Queue<ItemJob>(ITEMS_QUEUE, { ...opts, defaultJobOptions: ITEM_JOB_OPTIONS });
  const decide = new Queue<DecideJob>(DECIDE_QUEUE, { ...opts, defaultJobOptions: DECIDE_JOB_OPTIONS });
  const flows = new FlowProducer(opts);
  return {
    bullPrefix: opts.prefix,
    poll,
    items,
    decide,
    flows,
    async close() {
      await Promise.allSettled([poll.close(), items.close(), decide.close(), flows.close()]);
    },
  };
}

/** Rounds are decided one at a time across every worker process: the same events whatever the concurrency. */
export async function decideOneRoundAtATime(queues: Queues): Promise<void> {
  await queues.decide.setGlobalConcurrency(1);
}

/** New items of a round, each group with its own backlog flag (a feed's first poll). */
export interface RoundGroup {
  items: FeedItem[];
  backlog: boolean;
}

export const newRoundId = () => `round-${randomUUID()}`;

/**
 * Queues a round: its items in batches of ITEM_BATCH_SIZE (classified and, when irrelevant,
 * stored in parallel), under one decide job that runs when they are all done. A batch that
 * fails for good fails the round, which the feeds' health sees as lost: their next poll reads
 * them whole again. Returns the round's id and its batches' ids.
 */
export async function enqueueRound(
  queues: Queues,
  groups: readonly RoundGroup[],
  round = newRoundId(),
): Promise<{ round: string; batches: string[] }> {
  const children: FlowChildJob[] = [];
  for (const { items, backlog } of groups) {
    const unique = [...new Map(items.map((item) => [itemJobId(item), item])).values()];
    for (let i = 0; i < unique.length; i += ITEM_BATCH_SIZE) {
      const batch = unique.slice(i, i + ITEM_BATCH_SIZE);
      children.push({
        name: 'items',
        queueName: ITEMS_QUEUE,
        data: { items: batch, decideLater: true, ...(backlog ? { backlog: true } : {}) },
        // Unique to the round: the same articles in another round are another job (stored once all the same).
        opts: {
          ...ITEM_JOB_OPTIONS,
          jobId: `${batchJobId(batch.map(itemJobId))}-${round.slice(6, 14)}`,
          failParentOnFailure: true,
        },
      });
    }
  }
  if (!children.length) return { round, batches: [] };
  await queues.flows.add({
    name: 'decide',
    queueName: DECIDE_QUEUE,
    data: { round },
    opts: { ...DECIDE_JOB_OPTIONS, jobId: round },
    children,
  });
  return { round, batches: children.map((child) => child.opts!.jobId!) };
}

/**
 * Where each job stands: `done` once completed, `pending` while it may still run (waiting,
 * delayed, active — a crashed worker's active job goes back to waiting), `lost` when it
 * failed for good or is gone (completed jobs are kept an hour: older ones read as lost,
 * which costs one unconditional fetch).
 */
export async function jobStates(
  queues: Pick<Queues, 'items' | 'decide'>,
  ids: string[],
): Promise<JobState[]> {
  const states = await Promise.all(
    ids.map((id) => (isRoundId(id) ? queues.decide.getJobState(id) : queues.items.getJobState(id))),
  );
  return states.map((state) =>
    state === 'completed' ? 'done' : state === 'failed' || state === 'unknown' ? 'lost' : 'pending',
  );
}
