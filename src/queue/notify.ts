/**
 * The `notify` queue's edge: its name, job payloads (validated with zod), job
 * options and the deterministic job ids that keep an alert or an operations
 * report one job however many processes queue it. Light on purpose (no chat
 * clients, and BullMQ only as types): `poll --once` queues here too, and a running
 * `start` posts the jobs. The queue itself is made by queues.ts (createNotifyQueue).
 */
import type { Queue } from 'bullmq';
import { z } from 'zod';
import type { FeedConfig } from '../config/index.ts';
import { feedId, type FeedHealth } from '../feeds/health.ts';
import type { Logger } from '../shared/log.ts';

export const NOTIFY_QUEUE = 'notify';

export const digestJobSchema = z.object({ channel: z.string().min(1) }).strict();
export const alertJobSchema = z
  .object({ eventId: z.string().min(1), itemId: z.string().optional(), backlog: z.boolean().optional() })
  .strict();
export const feedDownJobSchema = z
  .object({
    name: z.string(),
    url: z.string().min(1),
    failingSince: z.string().min(1),
    lastError: z.string(),
  })
  .strict();
export type FeedDownJob = z.infer<typeof feedDownJobSchema>;

export const NOTIFY_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 7 * 86_400, count: 10_000 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/** One alert job per item that created or joined an event. */
export function alertJobId(trigger: { eventId: string; itemId?: string }): string {
  return `alert-${trigger.eventId}-${trigger.itemId ?? 'event'}`;
}

/** One operations report per failure streak of a feed. */
export function feedDownJobId(report: Pick<FeedDownJob, 'url' | 'failingSince'>): string {
  return `feed-down-${feedId(report.url)}-${Date.parse(report.failingSince)}`;
}

export async function queueAlert(queue: Queue, trigger: z.input<typeof alertJobSchema>): Promise<void> {
  await queue.add('alert', alertJobSchema.parse(trigger), { jobId: alertJobId(trigger) });
}

/**
 * For the item worker, after processItem: queues the alerts of an item that created or
 * joined an event, unless it came from a feed's first poll (`backlog`).
 */
export function queueAlertsAfterItem(queue: Queue) {
  return async (result: { status: string; itemId: string; eventId?: string }, backlog?: boolean) => {
    if ((result.status === 'new-event' || result.status === 'joined-event') && result.eventId && !backlog)
      await queueAlert(queue, { eventId: result.eventId, itemId: result.itemId });
  };
}

export function feedDownReport(feed: FeedConfig, health: FeedHealth): FeedDownJob {
  return {
    name: feed.name,
    url: feed.url,
    failingSince: health.failingSince ?? health.lastErrorAt ?? new Date().toISOString(),
    lastError: health.lastError ?? 'unknown error',
  };
}

/**
 * For the poller: queues the operations report of a feed's failure streak and logs it.
 * Throws when it could not be queued, so the streak is not marked reported.
 */
export function queueFeedDown(queue: Queue, log: Logger) {
  return async (feed: FeedConfig, health: FeedHealth): Promise<void> => {
    const report = feedDownReport(feed, health);
    await queue.add('feed-down', feedDownJobSchema.parse(report), { jobId: feedDownJobId(report) });
    log.error(
      { feed: feed.name, url: feed.url, failingSince: report.failingSince, lastError: report.lastError },
      `Feed ${report.name} (${report.url}) has been failing since ${report.failingSince}: ${report.lastError}: report queued for the operations channels`,
    );
  };
}
