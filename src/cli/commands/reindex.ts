import type { Command } from 'commander';
import { connectRedis } from '../../redis.ts';
import { createSearchIndex } from '../../search/index.ts';
import { reindexAll } from '../../search/reindex.ts';
import { createRedisEventStore } from '../../store/redis-store.ts';
import { quitRedis } from '../../lifecycle.ts';
import { DEFAULT_PREFIX } from '../context.ts';

export function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description(
      '(re)build the search index of every stored event with its articles; safe to repeat (REDIS_URL)',
    )
    .action(async () => {
      const redis = await connectRedis();
      try {
        const count = await reindexAll(
          createRedisEventStore(redis, DEFAULT_PREFIX),
          createSearchIndex(redis, DEFAULT_PREFIX),
        );
        process.stdout.write(`indexed ${count} events\n`);
      } finally {
        await quitRedis(redis);
      }
    });
}
