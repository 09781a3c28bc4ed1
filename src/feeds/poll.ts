/**
 * Polls one feed: backoff check → conditional GET → decode → parse → skip items
 * already stored → enqueue the new ones → record health. A feed problem is a
 * result (logged, kept in health, reported once when it lasts), never an
 * exception; only an infrastructure failure (Redis) throws, so the job retries
 * and the validators are not saved before the items are safely queued.
 */
import type { FeedConfig } from '../config/index.ts';
import type { FeedItem } from '../core/types.ts';
import type { Logger } from '../shared/log.ts';
import type { EventStore } from '../store/types.ts';
import { itemKeys } from '../core/item-identity.ts';
import type { ArticleReader } from './article.ts';
import { FeedError } from './errors.ts';
import type { FetchOptions } from './fetch.ts';
import type { FeedHealth, FeedHealthStore } from './health.ts';
import { readFeed } from './read.ts';

/**
 * Called when a failure streak has outlasted the alert threshold, until it succeeds once for
 * that streak (then the streak is flagged reported); it must throw when the report was not queued.
 */
export type OnFeedDown = (feed: FeedConfig, health: FeedHealth) => Promise<void> | void;

/** Where a queued item job stands, as a poll sees it: completed, still to run, or failed/gone. */
export type JobState = 'done' | 'pending' | 'lost';

export interface PollDeps {
  store: EventStore;
  health: FeedHealthStore;
  /**
   * Queues new items for processing; returns the ids of the jobs (batches). `backlog` is true on a
   * feed's first successful poll: its items are stored but alert nobody.
   */
  enqueue: (items: FeedItem[], options: { backlog: boolean }) => Promise<string[]>;
  /** Where queued item jobs stand: done (completed), pending (still to run) or lost (failed, gone). */
  jobStates: (jobIds: string[]) => Promise<JobState[]>;
  fetch: FetchOptions;
  /** Reads the linked article of a headline-only item (feeds with fetchArticle). */
  articles?: ArticleReader;
  maxItemsPerPoll: number;
  alertAfterMs: number;
  onFeedDown: OnFeedDown;
  log: Logger;
  now?: () => Date;
}

export type PollResult =
  | { feed: string; status: 'skipped'; retryAt: string }
  | { feed: string; status: 'not-modified' }
  | { feed: string; status: 'failed'; code: string; error: string }
  | {
      feed: string;
      status: 'ok';
      entries: number;
      known: number;
      queued: number;
      dropped: number;
      jobIds: string[];
    };

async function unknownItems(store: EventStore, items: FeedItem[]): Promise<FeedItem[]> {
  const found = await Promise.all(
    items.map((item) => {
      const { urlKey, guidKey } = itemKeys(item);
      return store.findDuplicate(urlKey, guidKey);
    }),
  );
  return items.filter((_, i) => !found[i]);
}

/** The earlier polls' jobs still to run, and how many were lost. */
async function pendingJobs(ids: string[], deps: PollDeps): Promise<{ still: string[]; lost: number }> {
  if (!ids.length) return { still: [], lost: 0 };
  const states = await deps.jobStates(ids);
  return {
    still: ids.filter((_, i) => states[i] === 'pending'),
    lost: states.filter((state) => state === 'lost').length,
  };
}

/**
 * A headline-only feed's new items, each with its linked article's lead where the feed asks for it
 * (`fetchArticle`) and the item has no summary: one article at a time, as the reader paces them.
 */
async function withLeads(feed: FeedConfig, items: FeedItem[], deps: PollDeps): Promise<FeedItem[]> {
  const reader = deps.articles;
  if (!feed.fetchArticle || !reader) return items;
  const read: FeedItem[] = [];
  for (const item of items) {
    const lead = item.summary ? null : await reader.lead(item.url);
    read.push(lead ? { ...item, lead } : item);
  }
  return read;
}

export async function pollFeed(
  feed: FeedConfig,
  intervalMs: number,
  deps: PollDeps,
  options: { force?: boolean } = {},
): Promise<PollResult> {
  const now = deps.now?.() ?? new Date();
  const health = await deps.health.get(feed.url);
  // A feed polled by its URL alone (--feed, not in config) has no name: its own title names it
  // once read (kept in health for the polls after), its host until then.
  let name = feed.name || health.name || new URL(feed.url).host;
  const log = deps.log.child({ feed: name, url: feed.url });
  if (!options.force && health.retryAt !== undefined && health.retryAt > now.getTime()) {
    const retryAt = new Date(health.retryAt).toISOString();
    log.info({ retryAt, failures: health.consecutiveFailures }, 'feed skipped: backing off after failures');
    return { feed: feed.url, status: 'skipped', retryAt };
  }

  // The validators say "nothing new since the last poll", which holds only once that poll's
  // items are stored: while one of its jobs is lost (a crash past its retries, a job removed),
  // the whole feed is fetched again and its unstored items queued anew.
  const pending = await pendingJobs(health.pendingJobs, deps);
  if (pending.lost)
    log.warn(
      { jobs: pending.lost },
      `${pending.lost} item job(s) of an earlier poll failed or are gone: reading the whole feed again`,
    );
  const started = performance.now();
  try {
    const fetched = await readFeed(feed, pending.lost ? {} : health.validators, {
      fetch: deps.fetch,
      now,
      maxItems: deps.maxItemsPerPoll,
    });
    if (fetched.status === 'not-modified') {
      await deps.health.recordSuccess(feed.url, name, {
        newItems: 0,
        at: now,
        pendingJobs: pending.still,
      });
      log.info({ ms: Math.round(performance.now() - started) }, 'feed not modified');
      return { feed: feed.url, status: 'not-modified' };
    }
    const { charset, feed: parsed } = fetched;
    if (!feed.name && parsed.title) name = parsed.title;
    if (parsed.dropped)
      log.warn(
        { entries: parsed.total, kept: parsed.items.length, dropped: parsed.dropped },
        `feed has ${parsed.total} entries: kept the newest ${parsed.items.length}, dropped ${parsed.dropped}`,
      );
    if (parsed.withoutLink) log.warn({ skipped: parsed.withoutLink }, 'feed entries without a link skipped');
    const fresh = await withLeads(feed, await unknownItems(deps.store, parsed.items), deps);
    // Oldest first, as a live stream would have brought them. A feed never polled
    // successfully brings its backlog: stored (and in digests), not alerted.
    const backlog = health.lastSuccess === undefined;
    const jobIds = fresh.length ? await deps.enqueue([...fresh].reverse(), { backlog }) : [];
    // An article listed twice in the document is one item.
    const queued = new Set(fresh.map((item) => itemKeys(item).urlKey)).size;
    await deps.health.recordSuccess(feed.url, name, {
      validators: fetched.validators,
      newItems: queued,
      entries: parsed.total,
      at: now,
      pendingJobs: [...new Set([...pending.still, ...jobIds])],
    });
    const result = {
      feed: feed.url,
      status: 'ok' as const,
      entries: parsed.total,
      known: parsed.items.length - fresh.length,
      queued,
      dropped: parsed.dropped,
      jobIds,
    };
    log.info(
      {
        entries: result.entries,
        known: result.known,
        queued: result.queued,
        charset,
        bytes: fetched.bytes,
        ms: Math.round(performance.now() - started),
      },
      'feed polled',
    );
    return result;
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    const outcome = await deps.health.recordFailure(feed.url, name, error.message, {
      at: now,
      intervalMs,
      alertAfterMs: deps.alertAfterMs,
    });
    log.warn(
      { code: error.code, status: error.status, failures: outcome.health.consecutiveFailures },
      `feed failed: ${error.message}`,
    );
    if (outcome.due && outcome.health.failingSince) {
      // Flagged as reported only once the report is queued: a failure to queue it is tried again.
      try {
        await deps.onFeedDown({ ...feed, name }, outcome.health);
        await deps.health.markAlerted(feed.url, outcome.health.failingSince, now);
      } catch (hookError) {
        log.error(
          { err: { message: (hookError as Error).message } },
          'reporting the feed failure to operations failed: tried again at the next poll',
        );
      }
    }
    return { feed: feed.url, status: 'failed', code: error.code, error: error.message };
  }
}
