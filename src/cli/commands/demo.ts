import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Core } from '../../core/index.ts';
import { serveItemsAsFeeds } from '../../feeds/local.ts';
import { logger } from '../../log.ts';
import { connectRedis } from '../../redis.ts';
import { readItemsFile } from '../../replay/items-file.ts';
import { createRedisEventStore } from '../../store/redis-store.ts';
import { quitRedis } from '../../worker/close.ts';
import { pollOnce } from '../../worker/poll-once.ts';
import { DEFAULT_PREFIX, deleteByPrefix, loadApp } from '../context.ts';
import { FIXTURES } from './eval.ts';
import { loadEventViews, type EventView } from './events.ts';
import { formatSummary } from './poll.ts';

/**
 * The digest as plain text. This is the one function to swap for the real
 * digest formatter (src/core/digest.ts) once it exists.
 */
export function renderDigest(events: EventView[], core: Core): string {
  const lines = [`Japan AI Watch: ${events.length} event${events.length === 1 ? '' : 's'}`, ''];
  events.forEach((event, i) => {
    const companies = event.companies.map((id) => core.registry.get(id)?.name ?? id);
    lines.push(`${i + 1}. ${event.title}`);
    lines.push(
      `   ${event.sources.length} source${event.sources.length === 1 ? '' : 's'} (${event.langs.join(', ')})` +
        (companies.length ? ` · ${companies.join(', ')}` : ''),
    );
    const first = [...event.items].sort((a, b) => (a.published < b.published ? -1 : 1))[0];
    if (first) lines.push(`   ${first.source}: ${first.url}`);
    lines.push('');
  });
  return lines.join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'serve the seed articles as local feeds, poll them once through the real queue, print the digest',
    )
    .option('--config <dir>', 'config directory')
    .action(async (options: { config?: string }) => {
      const { config, core } = loadApp(options.config);
      const seeds = readItemsFile(join(FIXTURES, 'seeds.jsonl'));
      const redis = await connectRedis();
      const prefix = `${DEFAULT_PREFIX}demo:${randomUUID().slice(0, 8)}:`;
      const local = await serveItemsAsFeeds(seeds);
      const log = logger.child({}, { level: process.env.LOG_LEVEL ?? 'warn' });
      try {
        process.stdout.write(
          `Serving ${seeds.length} seed articles as ${local.feeds.length} feeds at ${local.base}\n`,
        );
        const feeds = { ...config.feeds, feeds: local.feeds };
        const summary = await pollOnce(
          { config: { ...config, feeds }, core, redis, prefix, log },
          feeds.feeds,
        );
        process.stdout.write(`${formatSummary(summary)}\n`);
        const events = await loadEventViews(createRedisEventStore(redis, prefix));
        process.stdout.write(`The digest that would be posted:\n\n${renderDigest(events, core)}`);
      } finally {
        await local.close();
        await deleteByPrefix(redis, prefix);
        await quitRedis(redis);
      }
    });
}
