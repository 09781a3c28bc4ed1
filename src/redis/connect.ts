/**
 * Redis connections with a clear one-line failure when no server answers: one Redis at
 * REDIS_URL, or a Redis Cluster when REDIS_CLUSTER_NODES lists its nodes.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { UserError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { RedisClient } from './client.ts';

export type { RedisClient } from './client.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export class RedisUnavailableError extends UserError {
  override readonly name = 'RedisUnavailableError';
}

export class RedisConfigError extends UserError {
  override readonly name = 'RedisConfigError';
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
}

function safeUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

export interface ClusterNode {
  host: string;
  port: number;
}

/**
 * The startup nodes of REDIS_CLUSTER_NODES ("host:port,host:port,…"; an IPv6 host in brackets),
 * or undefined when it is not set. A few nodes are enough: the client learns the others.
 */
export function clusterNodes(value = process.env.REDIS_CLUSTER_NODES): ClusterNode[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+):(\d{1,5})$/.exec(entry);
      const port = Number(match?.[2]);
      if (!match || port < 1 || port > 65_535)
        throw new RedisConfigError(
          `REDIS_CLUSTER_NODES: "${entry.includes('@') ? '***' : entry}" is not host:port (expected e.g. "10.0.0.1:6379,10.0.0.2:6379"; a password goes in REDIS_PASSWORD, TLS is REDIS_TLS=1)`,
        );
      return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
    });
}

function flag(name: string): boolean {
  const value = (process.env[name] ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(value)) return false;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  throw new RedisConfigError(`${name}: "${value}" is not 1 or 0`);
}

/**
 * The Cluster client's options: node connections as BullMQ needs them (commands wait through an
 * outage), REDIS_USERNAME/REDIS_PASSWORD for every node, and with REDIS_TLS=1 TLS to every node,
 * keeping the node names as given so that a managed service's certificate matches them
 * (ioredis' advice for ElastiCache with TLS).
 */
export function clusterOptions(redisOptions: RedisOptions = {}): ClusterOptions {
  const tls = flag('REDIS_TLS');
  const { REDIS_USERNAME: username, REDIS_PASSWORD: password } = process.env;
  return {
    lazyConnect: true,
    ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    redisOptions: {
      maxRetriesPerRequest: null,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(tls ? { tls: {} } : {}),
      ...redisOptions,
    },
  };
}

/**
 * Connects and pings once, failing fast with a how-to-fix message; afterwards
 * ioredis reconnects by itself, which is what a long-running worker needs. Without
 * an explicit `url`, REDIS_CLUSTER_NODES (when set) makes it a Cluster client.
 */
export async function connectRedis(
  url?: string,
  options: RedisOptions = {},
  log?: Logger,
): Promise<RedisClient> {
  const nodes = url === undefined ? clusterNodes() : undefined;
  const target = url ?? redisUrl();
  const redis: RedisClient = nodes
    ? new Cluster(nodes, clusterOptions(options))
    : new Redis(target, { lazyConnect: true, maxRetriesPerRequest: null, ...options });
  let reason = '';
  redis.on('error', (error: Error) => {
    // Reported through the failing command or the start-up check below; ioredis retries on its own.
    reason = error.message;
  });
  redis.on('node error', (error: Error) => (reason = error.message));
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 3000).unref()),
    ]);
  } catch (error) {
    redis.disconnect();
    if (!nodes)
      throw new RedisUnavailableError(
        `no Redis answers at ${safeUrl(target)}: start one with "docker compose up -d redis" or "redis-server --daemonize yes", or set REDIS_URL`,
      );
    let why = reason || (error instanceof Error ? error.message : String(error));
    // A plain Redis answers CLUSTER SLOTS with an error, which ioredis reports as this.
    if (/refresh slots cache|cluster support disabled/i.test(why))
      why += ' (is it a Redis Cluster? A single Redis goes in REDIS_URL)';
    throw new RedisUnavailableError(
      `no Redis Cluster answers at ${process.env.REDIS_CLUSTER_NODES?.trim()} (REDIS_CLUSTER_NODES): ${why}; check the nodes, REDIS_PASSWORD and REDIS_TLS`,
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
const outages = new WeakMap<RedisClient, OutageState>();

/**
 * An outage is two lines: a warning when the connection is lost and a line when it is back,
 * with how long it lasted; not one per retry. ioredis retries by itself and commands wait.
 */
export function reportOutages(redis: RedisClient, log: Logger): void {
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
export function isOutageEcho(error: Error, redis?: RedisClient, afterMs = 60_000): boolean {
  if (
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed|Stream isn't writeable|None of startup nodes|Failed to refresh slots cache|CLUSTERDOWN/i.test(
      error.message,
    )
  )
    return true;
  const state = redis && outages.get(redis);
  const recent =
    state !== undefined &&
    (state.downSince !== undefined || (state.endedAt !== undefined && Date.now() - state.endedAt < afterMs));
  return recent && /could not renew lock|Missing lock for job|Lock mismatch for job/i.test(error.message);
}
