/**
 * `poll --once`: polls the given feeds now (ignoring backoff: it was asked for),
 * queues their new items on the real item queue, processes them with an
 * in-process item worker (other workers on the same Redis may take some; their
 * results count too, as they are read back from the jobs), waits until every
 * queued batch is finished and returns a summary, each item counted once.
 * Alerts of the items it stores and the operations report of a feed down too
 * long are queued on the notify queue, for a running `start` to post.
 */
import type { Queue } from 'bullmq';
import type { FeedConfig } from '../config/index.ts';
import { pollFeed, type PollDeps, type PollResult } from '../feeds/poll.ts';
import { itemJobResultSchema, itemJobSchema, type ItemResult } from '../queue/jobs.ts';
import type { App } from '../app/app.ts';
import { decideOneRoundAtATime, enqueueRound, newRoundId, type RoundGroup } from '../queue/queues.ts';
import { intervalMs } from '../queue/schedule.ts';
import { closeInOrder } from '../shared/lifecycle.ts';
import { pipelineDeps, pollDeps } from './deps.ts';
import { createDecideWorker, createItemWorker } from './workers.ts';

export interface PollSummary {
  feeds: { ok: number; notModified: number; failed: number };
  items: { new: number; duplicate: number; relevant: number; failed: number };
  /** Item jobs an earlier run queued and left unfinished (killed, or a stopped `start`), finished by this one. */
  leftover: { jobs: number; items: number };
  events: { new: number; updated: number };
  failures: { feed: string; error: string }[];
  ms: number;
}

/**
 * A finished job: the results of the items it settled (and how many relevant ones it left to its
 * round's decide job), or why it failed and how many items it held.
 */
type JobOutcome =
  | { status: 'done'; results: ItemResult[]; pending?: number }
  | { status: 'failed'; reason: string; items: number };

/** How often this short-lived run looks for jobs whose worker died (BullMQ's default is 30 s). */
const STALLED_CHECK_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for jobs to finish, through BullMQ's own API (the job hash layout is BullMQ's business):
 * their states in chunks, in queue order, each finished job read once for its result.
 */
async function waitForJobs(queue: Queue, ids: string[]): Promise<Map<string, JobOutcome>> {
  const outcomes = new Map<string, JobOutcome>();
  let pending = ids;
  while (pending.length) {
    const chunk = pending.slice(0, 500);
    const states = await Promise.all(chunk.map((id) => queue.getJobState(id)));
    const finished = chunk.filter((_, i) => FINAL.has(states[i] ?? 'unknown'));
    const unfinished = chunk.filter((_, i) => !FINAL.has(states[i] ?? 'unknown'));
    for (const [id, outcome] of await Promise.all(
      finished.map(async (id) => [id, await outcomeOf(queue, id)] as const),
    ))
      outcomes.set(id, outcome);
    pending = [...unfinished, ...pending.slice(chunk.length)];
    if (unfinished.length) await sleep(unfinished.length === chunk.length ? 50 : 5);
  }
  return outcomes;
}

/** A job's states after which it will not run again ('unknown': removed before it finished). */
const FINAL = new Set(['completed', 'failed', 'unknown']);

/** A finished job's results, or why it failed and how many items it held. */
async function outcomeOf(queue: Queue, id: string): Promise<JobOutcome> {
  const job = await queue.getJob(id);
  if (!job) return { status: 'failed', reason: 'job removed before it finished', items: 1 };
  const parsed = job.finishedOn && !job.failedReason ? itemJobResultSchema.safeParse(job.returnvalue) : null;
  if (parsed?.success)
    return { status: 'done', results: parsed.data.results, pending: parsed.data.pending?.length ?? 0 };
  const payload = itemJobSchema.safeParse(job.data);
  return {
    status: 'failed',
    reason: job.failedReason || 'unknown',
    items: payload.success ? payload.data.items.length : 1,
  };
}

async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

/** The jobs of a queue still to run when this run starts: an earlier run's (or a stopped service's) work. */
async function unfinishedJobs(queue: Queue): Promise<string[]> {
  const ids = await queue.getRanges(
    ['active', 'waiting', 'delayed', 'prioritized', 'paused', 'waiting-children'],
    0,
    -1,
    true,
  );
  return [...new Set(ids)];
}

export function summarise(
  polls: PollResult[],
  outcomes: Iterable<JobOutcome>,
  ms: number,
  leftover: Iterable<JobOutcome> = [],
  roundFailed = false,
): PollSummary {
  const summary: PollSummary = {
    feeds: { ok: 0, notModified: 0, failed: 0 },
    items: { new: 0, duplicate: 0, relevant: 0, failed: 0 },
    leftover: { jobs: 0, items: 0 },
    events: { new: 0, updated: 0 },
    failures: [],
    ms,
  };
  for (const poll of polls) {
    if (poll.status === 'ok') {
      summary.feeds.ok++;
      summary.items.duplicate += poll.known;
    } else if (poll.status === 'not-modified') summary.feeds.notModified++;
    else if (poll.status === 'failed') {
      summary.feeds.failed++;
      summary.failures.push({ feed: poll.feed, error: poll.error });
    }
  }
  const created = new Set<string>();
  const joined = new Set<string>();
  // An article in two batches (two feeds list it) is reported by both: counted once.
  const counted = new Set<string>();
  let undecided = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'failed') {
      summary.items.failed += outcome.items;
      continue;
    }
    undecided += outcome.pending ?? 0;
    for (const { status, itemId, eventId } of outcome.results) {
      if (status === 'duplicate') {
        summary.items.duplicate++;
        continue;
      }
      if (counted.has(itemId)) continue;
      counted.add(itemId);
      summary.items.new++;
      if (status === 'irrelevant' || !eventId) continue;
      summary.items.relevant++;
      (status === 'new-event' ? created : joined).add(eventId);
    }
  }
  // A round that failed leaves its relevant items undecided (the feeds read them again next time).
  if (roundFailed) summary.items.failed += undecided;
  summary.events.new = created.size;
  summary.events.updated = [...joined].filter((id) => !created.has(id)).length;
  for (const outcome of leftover) {
    summary.leftover.jobs++;
    summary.leftover.items += outcome.status === 'done' ? outcome.results.length : 0;
    if (outcome.status === 'failed') summary.items.failed += outcome.items;
  }
  return summary;
}

export interface PollOnceOptions {
  /**
   * Polls the feeds one after another in the order given and processes their items
   * one at a time, in the order found, as a live stream would bring them (the demo).
   * Other workers on the same Redis could still take some items.
   */
  inOrder?: boolean;
}

export async function pollOnce(
  app: App,
  feeds: FeedConfig[],
  options: PollOnceOptions = {},
): Promise<PollSummary> {
  const started = performance.now();
  const { config, log } = app;
  const queues = await app.queues();
  // Jobs a killed run left in a dead worker's hands are taken over once its lock expires
  // (worker.lockDurationMs); checking often means this short run sees that soon.
  const settings = {
    ...config.settings.worker,
    ...(options.inOrder ? { concurrency: 1 } : {}),
    stalledIntervalMs: Math.min(config.settings.worker.stalledIntervalMs, STALLED_CHECK_MS),
  };
  const leftover = {
    items: await unfinishedJobs(queues.items),
    decide: await unfinishedJobs(queues.decide),
  };
  const left = leftover.items.length + leftover.decide.length;
  if (left)
    log.info(
      { jobs: left },
      `finishing ${left} job(s) left by an earlier run (one held by a stopped worker is taken over within ${Math.round(config.settings.worker.lockDurationMs / 1000)} s)`,
    );
  const workerOptions = { redis: app.redis, prefix: app.prefix, settings, log };
  const pipeline = pipelineDeps(app);
  // Alerts and operations reports go to the notify queue (app.notices): a running `start` posts them.
  const worker = createItemWorker(workerOptions, pipeline, app.notices);
  const decider = createDecideWorker(workerOptions, pipeline, app.notices);
  try {
    await decideOneRoundAtATime(queues);
    // One round for every feed: their relevant items are decided together, in published order,
    // as `replay` decides them, whatever the concurrency and the number of workers.
    const round = newRoundId();
    const groups: RoundGroup[] = [];
    const deps: PollDeps = {
      ...pollDeps(app, queues),
      enqueue: async (items, { backlog }) => (groups.push({ items, backlog }), [round]),
    };
    const pollLimit = options.inOrder ? 1 : Math.max(config.settings.worker.concurrency, 8);
    const polls = await mapPool(feeds, pollLimit, (feed) =>
      pollFeed(feed, intervalMs(feed, config.feeds), deps, { force: true }),
    );
    const { batches } = await enqueueRound(queues, groups, round);
    const rounds = batches.length ? [round] : [];
    const [itemOutcomes, roundOutcomes] = await Promise.all([
      waitForJobs(queues.items, [...leftover.items, ...batches]),
      waitForJobs(queues.decide, [...leftover.decide, ...rounds]),
    ]);
    const outcomeOf = (id: string) => itemOutcomes.get(id) ?? roundOutcomes.get(id) ?? [];
    const ours = [...batches, ...rounds].flatMap(outcomeOf);
    const theirs = [...leftover.items, ...leftover.decide].flatMap(outcomeOf);
    const roundFailed = rounds.some((id) => roundOutcomes.get(id)?.status === 'failed');
    return summarise(polls, ours, Math.round(performance.now() - started), theirs, roundFailed);
  } finally {
    await closeInOrder(
      [
        { name: 'item worker', close: () => worker.close() },
        { name: 'decide worker', close: () => decider.close() },
      ],
      log,
    );
  }
}
