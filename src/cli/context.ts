/** What commands share: config, core and store construction, from flags and environment. */
import { randomUUID } from 'node:crypto';
import type { App } from '../app/app.ts';
import { loadConfig, type AppConfig } from '../config/index.ts';
import { createCore, type Core } from '../core/index.ts';
import { deleteByPrefix, type RedisClient } from '../redis/client.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import type { EventStore } from '../store/types.ts';
import type { Logger } from '../shared/log.ts';

export const DEFAULT_PREFIX = process.env.AIWATCH_PREFIX ?? 'aiwatch:';

export function loadApp(configDir?: string): { config: AppConfig; core: Core } {
  const config = loadConfig(configDir);
  return { config, core: createCore(config) };
}

/**
 * Runs a command on the App (src/app): config and core loaded, Redis connected (REDIS_URL or
 * REDIS_CLUSTER_NODES), every store wired once; closed afterwards whatever happens. Loaded on
 * use, so commands that need no Redis start without the client.
 */
export async function withApp<T>(
  options: {
    config?: string;
    log?: Logger;
    app?: ReturnType<typeof loadApp>;
    /** Move the previous version's keys first (migrate-layout.ts), as `start` does; otherwise only warn of them. */
    migrate?: boolean;
  },
  run: (app: App) => Promise<T>,
): Promise<T> {
  const { config, core } = options.app ?? loadApp(options.config);
  const [{ openApp }, layout, { logger }] = await Promise.all([
    import('../app/app.ts'),
    import('./migrate-layout.ts'),
    // Loaded on use, like the client: a memory replay starts without the logger's transports.
    import('../shared/log.ts'),
  ]);
  const log = options.log ?? logger;
  const app = await openApp({ config, core, prefix: DEFAULT_PREFIX, log });
  try {
    if (options.migrate) await layout.migrateAtStart(app.redis, app.prefix, log);
    else if (await layout.oldLayoutPresent(app.redis, app.prefix))
      log.warn(
        "the previous version's Redis keys are not moved to the new layout yet: run `aiwatch migrate` (start, serve and poll --once do it)",
      );
    return await run(app);
  } finally {
    await app.close();
  }
}

/** A throwaway store for one replay: memory, or Redis under a fresh prefix removed afterwards. */
export async function openReplayStore(
  kind: string,
): Promise<{ store: EventStore; close: () => Promise<void> }> {
  if (kind === 'memory') return { store: createMemoryStore(), close: async () => {} };
  // Loaded only for a Redis replay: a memory replay starts without the Redis client.
  const [{ connectRedis }, { createRedisEventStore }] = await Promise.all([
    import('../redis/connect.ts'),
    import('../store/redis-store.ts'),
  ]);
  const redis: RedisClient = await connectRedis();
  const prefix = `${DEFAULT_PREFIX}replay:${randomUUID()}:`;
  return {
    store: createRedisEventStore(redis, prefix),
    close: async () => {
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/** Removes every key under a prefix, on one Redis or on every node of a cluster. */
export { deleteByPrefix };
