/**
 * Feed health kept in Redis, one hash per feed (keys.ts):
 * last success, last error, consecutive failures, items seen, the HTTP
 * validators for the next conditional GET, and when a failing feed may be tried
 * again (exponential backoff in poll intervals, capped). A failure streak longer
 * than the alert threshold is due for a report until markAlerted flags it (once,
 * and only after the report was queued, so a report that could not be queued is
 * tried again at the next failure).
 */
import { createHash } from 'node:crypto';
import type { Result } from 'ioredis';
import { scanKeys, type RedisClient } from '../redis/client.ts';
import { execChecked } from '../redis/exec.ts';
import { defineScripts } from '../redis/scripts.ts';
import { feedKeys } from './keys.ts';
import type { Validators } from './fetch.ts';

export interface FeedHealth {
  url: string;
  name?: string;
  lastAttempt?: string;
  lastSuccess?: string;
  lastError?: string;
  lastErrorAt?: string;
  consecutiveFailures: number;
  /** Start of the current failure streak. */
  failingSince?: string;
  /** When the current streak was reported to operations. */
  alertedAt?: string;
  /** New items found in this feed, all time. */
  itemsSeen: number;
  /** Entries in the last document fetched. */
  lastEntries?: number;
  /** Epoch ms before which polls are skipped (backoff). */
  retryAt?: number;
  validators: Validators;
  /**
   * Item jobs queued by earlier polls and not yet seen completed. The validators count as
   * done only once these are: while one is lost (failed, or gone), the feed is fetched whole.
   */
  pendingJobs: string[];
}

export interface FailureOutcome {
  health: FeedHealth;
  /** The streak has lasted longer than the alert threshold and has not been reported yet. */
  due: boolean;
}

export interface FeedHealthStore {
  get(url: string): Promise<FeedHealth>;
  getMany(urls: string[]): Promise<FeedHealth[]>;
  /** The URLs of every feed with health recorded, configured or polled by URL alone (`poll --feed`). */
  urls(): Promise<string[]>;
  recordSuccess(
    url: string,
    name: string,
    result: {
      validators?: Validators;
      newItems: number;
      entries?: number;
      at: Date;
      /** The item jobs still to be confirmed (replaces the list). */
      pendingJobs?: string[];
    },
  ): Promise<void>;
  recordFailure(
    url: string,
    name: string,
    error: string,
    options: { at: Date; intervalMs: number; alertAfterMs: number },
  ): Promise<FailureOutcome>;
  /**
   * Flags the failure streak that started at `failingSince` as reported: true for the
   * caller that flagged it, false when it was flagged already or the streak has ended.
   */
  markAlerted(url: string, failingSince: string, at: Date): Promise<boolean>;
}

const SCRIPTS = [
  { command: 'aiwatchMarkAlerted', url: new URL('./lua/mark-alerted-1.lua', import.meta.url) },
];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** lua/mark-alerted-1.lua: HSETNX alertedAt while the reported streak is still the current one. */
    aiwatchMarkAlerted(key: string, failingSince: string, at: string): Result<number, Context>;
  }
}

export const MAX_BACKOFF_MS = 6 * 3_600_000;

/** The stable id of a feed in keys and scheduler names. */
export function feedId(url: string): string {
  return `feed-${createHash('sha1').update(url).digest('hex').slice(0, 12)}`;
}

/**
 * Wait after the n-th consecutive failure: the next 0, 1, 3, 7… scheduled polls are skipped
 * (half an interval more, so that the poll due right at the end is skipped too and the one after runs).
 */
export function backoffMs(failures: number, intervalMs: number): number {
  if (failures <= 1) return 0;
  return Math.min(intervalMs * (2 ** (failures - 1) - 0.5), MAX_BACKOFF_MS);
}

function fromHash(url: string, h: Record<string, string>): FeedHealth {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const health: FeedHealth = {
    url,
    consecutiveFailures: num(h.consecutiveFailures) ?? 0,
    itemsSeen: num(h.itemsSeen) ?? 0,
    validators: {
      ...(h.etag ? { etag: h.etag } : {}),
      ...(h.lastModified ? { lastModified: h.lastModified } : {}),
    },
    pendingJobs: h.pendingJobs ? h.pendingJobs.split(',') : [],
  };
  for (const field of ['name', 'lastAttempt', 'lastSuccess', 'lastError', 'lastErrorAt'] as const)
    if (h[field] !== undefined) health[field] = h[field];
  if (h.failingSince) health.failingSince = h.failingSince;
  if (h.alertedAt) health.alertedAt = h.alertedAt;
  if (h.lastEntries !== undefined) health.lastEntries = Number(h.lastEntries);
  if (h.retryAt !== undefined) health.retryAt = Number(h.retryAt);
  return health;
}

export function createFeedHealthStore(redis: RedisClient, prefix: string): FeedHealthStore {
  defineScripts(redis, SCRIPTS);
  const keys = feedKeys(prefix);
  const key = (url: string) => keys.health(feedId(url));

  async function get(url: string): Promise<FeedHealth> {
    return fromHash(url, await redis.hgetall(key(url)));
  }

  return {
    get,

    async urls() {
      const found: string[] = [];
      // Every master of a cluster; each page read back from the node that holds it, in one pipeline.
      for await (const page of scanKeys(redis, keys.healthPattern, 500)) {
        const pipeline = page.node.pipeline();
        for (const k of page.keys) pipeline.hget(k, 'url');
        for (const url of await execChecked(pipeline)) if (typeof url === 'string') found.push(url);
      }
      return [...new Set(found)].sort();
    },

    async getMany(urls) {
      // One command per feed (the client pipelines them).
      const hashes = await Promise.all(urls.map((url) => redis.hgetall(key(url))));
      return urls.map((url, i) => fromHash(url, hashes[i] ?? {}));
    },

    async recordSuccess(url, name, result) {
      const at = result.at.toISOString();
      const fields: Record<string, string | number> = {
        url,
        name,
        lastAttempt: at,
        lastSuccess: at,
        consecutiveFailures: 0,
      };
      if (result.entries !== undefined) fields.lastEntries = result.entries;
      const multi = redis.multi().hset(key(url), fields);
      multi.hdel(key(url), 'failingSince', 'alertedAt', 'retryAt');
      if (result.validators) {
        // A 200 replaces both validators; one the server no longer sends is dropped.
        multi.hdel(key(url), 'etag', 'lastModified');
        if (result.validators.etag) multi.hset(key(url), 'etag', result.validators.etag);
        if (result.validators.lastModified)
          multi.hset(key(url), 'lastModified', result.validators.lastModified);
      }
      if (result.pendingJobs?.length) multi.hset(key(url), 'pendingJobs', result.pendingJobs.join(','));
      else if (result.pendingJobs) multi.hdel(key(url), 'pendingJobs');
      if (result.newItems) multi.hincrby(key(url), 'itemsSeen', result.newItems);
      await execChecked(multi);
    },

    async recordFailure(url, name, error, options) {
      const at = options.at.toISOString();
      const k = key(url);
      const results = await execChecked(
        redis
          .multi()
          .hset(k, { url, name, lastAttempt: at, lastError: error.slice(0, 500), lastErrorAt: at })
          .hsetnx(k, 'failingSince', at)
          .hincrby(k, 'consecutiveFailures', 1),
      );
      const failures = Number(results[2] ?? 1);
      const retryAt = options.at.getTime() + backoffMs(failures, options.intervalMs);
      await redis.hset(k, 'retryAt', retryAt);
      const health = await get(url);
      const since = Date.parse(health.failingSince ?? at);
      const due = !health.alertedAt && options.at.getTime() - since >= options.alertAfterMs;
      return { health, due };
    },

    async markAlerted(url, failingSince, at) {
      return (await redis.aiwatchMarkAlerted(key(url), failingSince, at.toISOString())) === 1;
    },
  };
}
