/** Redis connections with a clear one-line failure when no server answers. */
import { Redis, type RedisOptions } from 'ioredis';
import { UserError } from './errors.ts';
import type { Logger } from './log.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export class RedisUnavailableError extends UserError {
  override readonly name = 'RedisUnavailableError';
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
}

function safeUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

/**
 * Connects and pings once, failing fast with a how-to-fix message; afterwards
 * ioredis reconnects by itself, which is what a long-running worker needs.
 */
export async function connectRedis(
  url = redisUrl(),
  options: RedisOptions = {},
  log?: Logger,
): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, ...options });
  redis.on('error', () => {
    // Reported through the failing command or the start-up check below; ioredis retries on its own.
  });
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 3000).unref()),
    ]);
  } catch {
    redis.disconnect();
    throw new RedisUnavailableError(
      `no Redis answers at ${safeUrl(url)}: start one with "docker compose up -d redis" or "redis-server --daemonize yes", or set REDIS_URL`,
    );
  }
  if (log) reportOutages(redis, log);
  return redis;
}

/** Outages seen on a connection: while one lasts, and for a while after, queue errors are its echo. */
interface OutageState {
  downSince?: number;
  endedAt?: number;
}
const outages = new WeakMap<Redis, OutageState>();

/**
 * An outage is two lines: a warning when the connection is lost and a line when it is back,
 * with how long it lasted; not one per retry. ioredis retries by itself and commands wait.
 */
export function reportOutages(redis: Redis, log: Logger): void {
  const state: OutageState = {};
  outages.set(redis, state);
  let reason = 'connection closed';
  redis.on('error', (error: Error) => (reason = error.message));
  // 'reconnecting' comes only after a connection was lost, never after quit().
  redis.on('reconnecting', () => {
    if (state.downSince !== undefined) return;
    state.downSince = Date.now();
    log.warn({ reason }, `Redis connection lost (${reason}): retrying; work waits until it is back`);
  });
  redis.on('ready', () => {
    if (state.downSince === undefined) return;
    const ms = Date.now() - state.downSince;
    state.downSince = undefined;
    state.endedAt = Date.now();
    log.info({ ms }, `Redis connection back after ${(ms / 1000).toFixed(1)} s`);
  });
}

/**
 * Whether a queue error belongs to an outage already reported: a lost or refused connection, or
 * (during an outage and for `afterMs` after it) a job lock that could not be renewed or was
 * found missing — those jobs are taken over and run again, which is logged on its own.
 */
export function isOutageEcho(error: Error, redis?: Redis, afterMs = 60_000): boolean {
  if (
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed|Stream isn't writeable/i.test(
      error.message,
    )
  )
    return true;
  const state = redis && outages.get(redis);
  const recent =
    state !== undefined &&
    (state.downSince !== undefined || (state.endedAt !== undefined && Date.now() - state.endedAt < afterMs));
  return recent && /could not renew lock|Missing lock for job/i.test(error.message);
}
