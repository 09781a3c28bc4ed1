/** Redis connections with a clear one-line failure when no server answers. */
import { Redis, type RedisOptions } from 'ioredis';
import { UserError } from './errors.ts';

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
export async function connectRedis(url = redisUrl(), options: RedisOptions = {}): Promise<Redis> {
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
  return redis;
}
