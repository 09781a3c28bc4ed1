/** What commands share: config, core and store construction, from flags and environment. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadConfig, type AppConfig } from '../config/index.ts';
import { createCore, type Core } from '../core/index.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import type { EventStore } from '../store/types.ts';

export const DEFAULT_PREFIX = process.env.AIWATCH_PREFIX ?? 'aiwatch:';

export function loadApp(configDir?: string): { config: AppConfig; core: Core } {
  const config = loadConfig(configDir);
  return { config, core: createCore(config) };
}

/** A throwaway store for one replay: memory, or Redis under a fresh prefix removed afterwards. */
export async function openReplayStore(
  kind: string,
): Promise<{ store: EventStore; close: () => Promise<void> }> {
  if (kind === 'memory') return { store: createMemoryStore(), close: async () => {} };
  // Loaded only for a Redis replay: a memory replay starts without the Redis client.
  const [{ connectRedis }, { createRedisEventStore }] = await Promise.all([
    import('../redis.ts'),
    import('../store/redis-store.ts'),
  ]);
  const redis: Redis = await connectRedis();
  const prefix = `${DEFAULT_PREFIX}replay:${randomUUID()}:`;
  return {
    store: createRedisEventStore(redis, prefix),
    close: async () => {
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
