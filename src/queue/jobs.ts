/**
 * Job payloads, validated with zod at the queue edge, and the deterministic job
 * ids that make enqueueing idempotent. An item job carries a batch of up to
 * ITEM_BATCH_SIZE new items of one feed (one BullMQ round trip for many items);
 * its id is derived from the batch's item keys (normalised URLs, the same hash
 * processItem uses for its item ids), so the same batch found twice, by two
 * workers, is one job. An article in two batches (two feeds) is stored once all
 * the same: processItem's commit is atomic and recognises it as a duplicate.
 */
import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { feedSchema } from '../config/schemas.ts';

export const POLL_QUEUE = 'poll';
export const ITEMS_QUEUE = 'items';
/**
 * One job per poll round (one feed's poll in the service, every feed of a `poll --once`): the
 * parent of the round's item jobs, run once they are all done, it decides the round's relevant
 * articles one after another in published order, one round at a time across every worker.
 */
export const DECIDE_QUEUE = 'decide';

export const pollJobSchema = z.object({ feed: feedSchema }).strict();
export type PollJob = z.infer<typeof pollJobSchema>;

const iso = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO date');

export const feedItemSchema = z
  .object({
    id: z.string().min(1),
    source: z.string().min(1),
    url: z.string().min(1),
    guid: z.string().optional(),
    lang: z.enum(['en', 'ja']),
    published: iso,
    title: z.string(),
    summary: z.string(),
    content: z.string(),
    feedUrl: z.string().optional(),
    lead: z.string().optional(),
  })
  .strict();

/** Items per item job: few enough to retry cheaply, enough to make queue overhead small. */
export const ITEM_BATCH_SIZE = 25;

/**
 * `backlog`: the items came from the first successful poll of their feed (stored, never
 * alerted). A one-item job of an earlier version (`item`) is read as a batch of one.
 */
const itemBatchSchema = z
  .object({
    items: z.array(feedItemSchema).min(1).max(ITEM_BATCH_SIZE),
    backlog: z.boolean().optional(),
    /** Part of a round: relevant items are handed to the round's decide job, not matched here. */
    decideLater: z.boolean().optional(),
  })
  .strict();
export type ItemJob = z.infer<typeof itemBatchSchema>;

export const itemJobSchema = z.preprocess((data) => {
  if (!data || typeof data !== 'object' || !('item' in data)) return data;
  const { item, ...rest } = data as { item: unknown };
  return { ...rest, items: [item] };
}, itemBatchSchema);

/** What happened to one item, compact enough to keep in Redis with the completed job. */
export const itemResultSchema = z.object({
  status: z.enum(['duplicate', 'irrelevant', 'new-event', 'joined-event']),
  itemId: z.string(),
  eventId: z.string().optional(),
});
export type ItemResult = z.infer<typeof itemResultSchema>;

/** A relevant item an item job leaves to its round's decide job. */
export const pendingItemSchema = z.object({ item: feedItemSchema, backlog: z.boolean().optional() });
export type PendingItem = z.infer<typeof pendingItemSchema>;

/**
 * What an item job returns: one result per item it settled, in the job's order (a single result
 * from an earlier version), and the relevant items it left to the round's decide job.
 */
export const itemJobResultSchema = z.preprocess(
  (value) => (value && typeof value === 'object' && 'status' in value ? { results: [value] } : value),
  z.object({ results: z.array(itemResultSchema), pending: z.array(pendingItemSchema).optional() }),
);
export type ItemJobResult = z.output<typeof itemJobResultSchema>;

export type { JobState } from '../feeds/poll.ts';

/** Parses a job payload; a payload that can never be valid is not retried. */
export function parseJob<S extends z.ZodTypeAny>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UnrecoverableError(
      `invalid ${what} job: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'bad payload'}`,
    );
  }
  return result.data as z.output<S>;
}

/** Item jobs are named after the stored item, so queueing one article twice is one job. */
export { itemKeys } from '../core/item-identity.ts';
export { itemIdOf as itemJobId } from '../core/item-identity.ts';

/** A batch's job id, from its items' ids in order. */
export function batchJobId(itemIds: readonly string[]): string {
  return `b-${createHash('sha1').update(itemIds.join(',')).digest('hex').slice(0, 20)}`;
}

/** Completed and failed item jobs stay an hour: long enough for `poll --once` to read results. */
export const ITEM_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 200_000 },
  removeOnFail: { age: 3600 },
} as const;

export const decideJobSchema = z.object({ round: z.string().min(1) }).strict();
export type DecideJob = z.infer<typeof decideJobSchema>;

/** A round is retried, and kept for `poll --once` to read, like its item jobs. */
export const DECIDE_JOB_OPTIONS = ITEM_JOB_OPTIONS;

/** A round's id: its decide job's, also what a feed's health remembers until the round is done. */
export const isRoundId = (id: string) => id.startsWith('round-');

export const POLL_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 86_400, count: 1000 },
  removeOnFail: { age: 7 * 86_400, count: 1000 },
} as const;
