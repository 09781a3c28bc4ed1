/**
 * One BullMQ job scheduler per configured feed, at its own interval. Run at
 * start-up: upserts a scheduler for every feed in config (a changed interval or
 * name takes effect) and removes every scheduler whose feed is no longer
 * configured, with its pending job, so no orphan repeatable job is left behind.
 */
import type { Queue } from 'bullmq';
import type { FeedConfig, FeedsConfig } from '../config/index.ts';
import { feedId } from '../feeds/health.ts';
import type { PollJob } from './jobs.ts';

export function intervalMs(feed: FeedConfig, feeds: Pick<FeedsConfig, 'defaults'>): number {
  return (feed.intervalMinutes ?? feeds.defaults.intervalMinutes) * 60_000;
}

export interface ScheduleSync {
  scheduled: number;
  removed: string[];
}

export async function syncFeedSchedulers(queue: Queue<PollJob>, feeds: FeedsConfig): Promise<ScheduleSync> {
  const wanted = new Map(feeds.feeds.map((feed) => [feedId(feed.url), feed]));
  for (const [id, feed] of wanted)
    await queue.upsertJobScheduler(id, { every: intervalMs(feed, feeds) }, { name: 'poll', data: { feed } });
  const removed: string[] = [];
  const existing = await queue.getJobSchedulers(0, -1, true);
  for (const scheduler of existing) {
    if (wanted.has(scheduler.key)) continue;
    await queue.removeJobScheduler(scheduler.key);
    removed.push(scheduler.key);
  }
  // A scheduler's current job may already be waiting: a removed feed must not be polled by it either.
  for (const job of await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused'])) {
    const url = (job.data as Partial<PollJob> | undefined)?.feed?.url;
    if (url === undefined || !wanted.has(feedId(url))) await job.remove().catch(() => undefined);
  }
  return { scheduled: wanted.size, removed };
}
