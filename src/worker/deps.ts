/** What the poller and the item worker take from the App: the pipeline's and the poller's dependencies. */
import type { App } from '../app/app.ts';
import { createArticleReader } from '../feeds/article.ts';
import { fetchOptions } from '../feeds/fetch.ts';
import type { PollDeps } from '../feeds/poll.ts';
import type { PipelineDeps } from '../pipeline/process-item.ts';
import { enqueueRound, jobStates, type Queues } from '../queue/queues.ts';

const DAY_MS = 86_400_000;

function irrelevantTtl(days: number | null): { irrelevantTtlMs?: number } {
  return days === null ? {} : { irrelevantTtlMs: Math.round(days * DAY_MS) };
}

export function pipelineDeps(app: App): PipelineDeps {
  return {
    analyser: app.core.analyser,
    classify: app.core.classify,
    dedupe: app.core.dedupe,
    ...irrelevantTtl(app.config.settings.retention.irrelevantItemsDays),
    // The App's store keeps the search index in step: every stored event is searchable at once.
    store: app.store,
  };
}

export function pollDeps(app: App, queues: Queues): PollDeps {
  const worker = app.config.settings.worker;
  const fetch = fetchOptions(worker);
  return {
    store: app.store,
    health: app.health,
    // Each poll of a feed is a round: its relevant items are decided in published order.
    enqueue: async (items, { backlog }) => [(await enqueueRound(queues, [{ items, backlog }])).round],
    jobStates: (ids) => jobStates(queues, ids),
    fetch,
    // Only feeds with fetchArticle use it: the same caps as a feed, paced per host.
    articles: createArticleReader({
      fetch,
      delayMs: worker.articleDelayMs,
      redis: app.redis,
      prefix: app.prefix,
      log: app.log,
    }),
    maxItemsPerPoll: worker.maxItemsPerPoll,
    alertAfterMs: worker.feedFailureAlertHours * 3_600_000,
    onFeedDown: app.notices.feedDown,
    log: app.log,
  };
}
