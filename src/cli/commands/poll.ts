import type { Command } from 'commander';
import type { FeedConfig } from '../../config/index.ts';
import { UsageError } from '../../shared/errors.ts';
import { kindsText } from '../../feeds/poll-report.ts';
import { pollOnce, type PollSummary } from '../../worker/poll-once.ts';
import { loadApp, withApp } from '../context.ts';

interface PollOptions {
  once?: boolean;
  config?: string;
  feed: string[];
  lang: string;
  json?: boolean;
}

export function formatSummary(s: PollSummary): string {
  const lines = [
    `feeds: ${s.feeds.ok} ok, ${s.feeds.notModified} not modified, ${s.feeds.failed} failed`,
    `items: ${s.items.new} new, ${s.items.duplicate} duplicate, ${s.items.relevant} relevant` +
      (s.items.failed ? `, ${s.items.failed} failed` : ''),
    `events: ${s.events.new} new, ${s.events.updated} updated`,
    ...(s.leftover.jobs ? [`${s.leftover.items} items left by an earlier run processed`] : []),
    // Each failure is logged once, with its feed, as it happens; the summary counts them by kind.
    ...(s.failures.length
      ? [
          `failing: ${s.failures.length} of ${s.feeds.ok + s.feeds.notModified + s.feeds.failed} feeds: ${kindsText(s.failures.map((f) => f.error))}`,
        ]
      : []),
    `took ${(s.ms / 1000).toFixed(1)} s`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The configured feeds, or those given with --feed (a URL not in config is named by its own title, else its host). */
function selectFeeds(configured: FeedConfig[], urls: string[], lang: string): FeedConfig[] {
  if (!urls.length) return configured;
  if (lang !== 'en' && lang !== 'ja') throw new UsageError(`--lang must be en or ja, not "${lang}"`);
  return urls.map((url) => {
    const known = configured.find((f) => f.url === url);
    if (known) return known;
    try {
      new URL(url);
    } catch {
      throw new UsageError(`--feed expects a URL, not "${url}"`);
    }
    // No name: pollFeed names it by the feed's own <title> (kept in feed health), else its host.
    return { url, name: '', lang };
  });
}

export function registerPoll(program: Command): void {
  program
    .command('poll')
    .description('poll feeds once, process every new item through the queue, print a summary; REDIS_URL')
    .option(
      '--once',
      'poll once and exit when the item queue is drained (the only mode; `start` polls on schedule)',
    )
    .option('--config <dir>', 'config directory')
    .option('--feed <url>', 'poll only this feed (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--lang <lang>', 'language of --feed URLs that are not in config', 'en')
    .option('--json', 'print the summary as one JSON object')
    .action(async (options: PollOptions) => {
      if (!options.once) throw new UsageError('poll needs --once (use `aiwatch start` to poll on schedule)');
      const { config, core } = loadApp(options.config);
      const feeds = selectFeeds(config.feeds.feeds, options.feed, options.lang);
      if (!feeds.length) throw new UsageError(`no feeds to poll: ${config.dir}/feeds.yaml lists none`);
      const summary = await withApp({ app: { config, core }, migrate: true }, (app) => pollOnce(app, feeds));
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    });
}
