/**
 * The long-running feed worker as one service part: schedulers synced with
 * config, a poll worker and an item worker. close() stops taking jobs, finishes
 * the jobs in hand, then closes the HTTP connection pools, each step attempted
 * even if an earlier one failed (the queues are the App's, closed with it).
 */
import { closeFetchAgents } from '../feeds/fetch.ts';
import { failureKind } from '../feeds/poll-report.ts';
import { decideOneRoundAtATime } from '../queue/queues.ts';
import { intervalMs, syncFeedSchedulers } from '../queue/schedule.ts';
import { closeInOrder, type ServicePart } from '../shared/lifecycle.ts';
import { createRoundReporter } from './poll-rounds.ts';
import type { App } from '../app/app.ts';
import { pipelineDeps, pollDeps } from './deps.ts';
import { createDecideWorker, createItemWorker, createPollWorker } from './workers.ts';

export async function startFeedWorker(app: App): Promise<ServicePart> {
  const { config, log, metrics } = app;
  const queues = await app.queues();
  const intervals = new Map(config.feeds.feeds.map((f) => [f.url, intervalMs(f, config.feeds)]));
  const options = { redis: app.redis, prefix: app.prefix, settings: config.settings.worker, log };
  const pipeline = pipelineDeps(app);
  const itemWorker = createItemWorker(options, pipeline, app.notices);
  const decideWorker = createDecideWorker(options, pipeline, app.notices);
  const pollWorker = createPollWorker(options, pollDeps(app, queues), {
    intervalOf: (url) => intervals.get(url),
  });
  const rounds = createRoundReporter({
    log,
    // The soonest next run among the feeds' schedulers.
    nextPollAt: async () => {
      const due = (await queues.poll.getJobSchedulers(0, -1, true))
        .map((scheduler) => scheduler.next)
        .filter((next): next is number => typeof next === 'number');
      return due.length ? Math.min(...due) : undefined;
    },
  });
  pollWorker.on('completed', (_job, result) => {
    if (result.status === 'unconfigured') return;
    rounds.record(result);
    metrics.feedPolled(result.status, result.status === 'failed' ? failureKind(result.error) : undefined);
  });
  // Counted when a batch completes: a retried batch reports each of its items once.
  itemWorker.on('completed', (_job, { results }) => {
    for (const result of results) metrics.itemProcessed(result.status);
  });
  decideWorker.on('completed', (_job, { results }) => {
    for (const result of results) metrics.itemProcessed(result.status);
  });
  const steps: ServicePart[] = [
    { name: 'poll worker', close: () => pollWorker.close() },
    { name: 'poll round report', close: async () => rounds.close() },
    { name: 'item worker', close: () => itemWorker.close() },
    { name: 'decide worker', close: () => decideWorker.close() },
    { name: 'HTTP pools', close: () => closeFetchAgents() },
  ];
  try {
    await decideOneRoundAtATime(queues);
    const sync = await syncFeedSchedulers(queues.poll, config.feeds);
    log.info(
      { feeds: sync.scheduled, removed: sync.removed, concurrency: config.settings.worker.concurrency },
      `feed worker started: ${sync.scheduled} feeds scheduled, ${sync.removed.length} old schedules removed`,
    );
  } catch (error) {
    await closeInOrder(steps, log);
    throw error;
  }
  return { name: 'feed worker', close: () => closeInOrder(steps, log) };
}
