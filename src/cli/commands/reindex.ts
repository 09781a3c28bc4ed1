import type { Command } from 'commander';
import { connectRedis } from '../../redis.ts';
import { createSearchIndex } from '../../search/index.ts';
import { createRedisEventStore } from '../../store/redis-store.ts';
import { DEFAULT_PREFIX } from '../context.ts';

const BATCH = 500;

export function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description(
      '(re)build the search index of every stored event with its articles; safe to repeat (REDIS_URL)',
    )
    .action(async () => {
      const redis = await connectRedis();
      try {
        const store = createRedisEventStore(redis, DEFAULT_PREFIX);
        const index = createSearchIndex(redis, DEFAULT_PREFIX);
        const events = await store.listEvents();
        for (let start = 0; start < events.length; start += BATCH) {
          const batch = events.slice(start, start + BATCH);
          const items = new Map(
            (await store.getItems(batch.flatMap((e) => e.itemIds))).map((item) => [item.id, item]),
          );
          await index.indexEvents(
            batch.map((event) => ({
              event,
              items: event.itemIds.flatMap((id) => (items.has(id) ? [items.get(id)!] : [])),
            })),
          );
        }
        process.stdout.write(`indexed ${events.length} events\n`);
      } finally {
        await redis.quit().catch(() => redis.disconnect());
      }
    });
}
