import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { FeedItem } from '../../core/types.ts';
import { serveItemsAsFeeds, type LocalFeeds } from '../../feeds/local.ts';
import { logger } from '../../shared/log.ts';
import { FIXTURES } from '../../shared/paths.ts';
import { createConsolePoster } from '../../chat/console.ts';
import { readItemsFile } from '../../replay/items-file.ts';
import { pollOnce } from '../../worker/poll-once.ts';
import { DEFAULT_PREFIX, deleteByPrefix, loadApp } from '../context.ts';
import { loadEventViews } from './events.ts';
import { formatSummary } from './poll.ts';

/** The chat clients load only when this command runs, not for every other command. */
const notify = async () => ({
  ...(await import('../../notify/digest-run.ts')),
  ...(await import('../../notify/service.ts')),
});

const DEMO_CHANNEL = 'slack:DEMO';
const HOUR_MS = 3_600_000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The local feeds in the order their articles were published, as a live stream would bring them. */
function inArrivalOrder(local: LocalFeeds, items: FeedItem[]): LocalFeeds['feeds'] {
  const first = new Map<string, string>();
  for (const item of items) {
    const seen = first.get(item.source);
    if (seen === undefined || item.published < seen) first.set(item.source, item.published);
  }
  return [...local.feeds].sort((a, b) => (first.get(a.name) ?? '').localeCompare(first.get(b.name) ?? ''));
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
      const [{ createNotifyDeps, runDigest }, { openApp }] = await Promise.all([
        notify(),
        import('../../app/app.ts'),
      ]);
      const local = await serveItemsAsFeeds(seeds);
      const feeds = { ...config.feeds, feeds: inArrivalOrder(local, seeds) };
      // A throwaway deployment under its own prefix, printing to the console whatever tokens are set.
      const consolePoster = createConsolePoster();
      const app = await openApp({
        config: { ...config, feeds },
        core,
        prefix: `${DEFAULT_PREFIX}demo:${randomUUID().slice(0, 8)}:`,
        log: logger.child({}, { level: process.env.LOG_LEVEL ?? 'warn' }),
        posters: { slack: consolePoster, discord: consolePoster },
      });
      try {
        process.stdout.write(
          `Serving ${seeds.length} seed articles as ${local.feeds.length} feeds at ${local.base}; ` +
            'polling them in the order the articles were published\n',
        );
        const summary = await pollOnce(app, feeds.feeds, { inOrder: true });
        process.stdout.write(`${formatSummary(summary)}\n`);
        const events = await loadEventViews(app.store);
        const sizes = events.map((e) => e.items.length).sort((a, b) => b - a);
        const relevant = sizes.reduce((n, size) => n + size, 0);
        process.stdout.write(
          `Result: ${plural(events.length, 'event')} from ${plural(relevant, 'relevant article')}` +
            `${events.length > 1 ? ` (${sizes.join(' + ')})` : ''}` +
            `, ${plural(summary.items.new - relevant, 'article')} judged irrelevant.\n\n`,
        );

        // The digest a channel with the default settings would get, printed and never posted:
        // console posters whatever tokens the environment holds. The clock is set just after
        // the newest seed article, since digests cover the last settings.digest.maxAgeDays.
        const newest = Math.max(...seeds.map((item) => Date.parse(item.published)));
        const now = new Date(newest + HOUR_MS);
        const deps = await createNotifyDeps(app);
        deps.now = () => now;
        const channel = await deps.registry.ensure(DEMO_CHANNEL);
        process.stdout.write(
          `The digest ${channel.id} would get at ${now.toISOString()}, an hour after the newest article:\n\n`,
        );
        const outcome = await runDigest(channel, deps);
        if (outcome.status === 'nothing-new')
          process.stdout.write('(nothing new: no digest would be posted)\n');
        else if (outcome.status === 'failed') throw outcome.error;
      } finally {
        await local.close();
        await deleteByPrefix(app.redis, app.prefix);
        await app.close();
      }
    });
}
