import type { Command } from 'commander';
import { type FeedHealth } from '../../feeds/health.ts';
import { intervalMs } from '../../queue/schedule.ts';
import { withApp } from '../context.ts';

function ago(iso: string | undefined, now: number): string {
  if (!iso) return 'never';
  const minutes = Math.round((now - Date.parse(iso)) / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

export function feedStatus(health: FeedHealth, now: number): string {
  if (!health.lastAttempt) return 'not polled yet';
  if (!health.consecutiveFailures) return 'ok';
  const wait = health.retryAt && health.retryAt > now ? Math.ceil((health.retryAt - now) / 60_000) : 0;
  const backoff = wait ? `, backing off: next try in ${wait} min` : '';
  return `FAILING ×${health.consecutiveFailures} since ${ago(health.failingSince, now)}${backoff}`;
}

function row(head: string, health: FeedHealth, now: number): string {
  return [
    head,
    `    ${feedStatus(health, now)}; last success ${ago(health.lastSuccess, now)}; items seen ${health.itemsSeen}` +
      (health.lastEntries !== undefined ? `; ${health.lastEntries} entries in the last document` : ''),
    ...(health.lastError ? [`    last error ${ago(health.lastErrorAt, now)}: ${health.lastError}`] : []),
  ].join('\n');
}

export function registerFeeds(program: Command): void {
  program
    .command('feeds')
    .description(
      'show the configured feeds and their health (last success, last error, failures, items seen)',
    )
    .option('--config <dir>', 'config directory')
    .option('--json', 'one JSON object per feed and line')
    .action(async (options: { config?: string; json?: boolean }) => {
      await withApp({ config: options.config }, async ({ config, health: store }) => {
        const feeds = config.feeds.feeds;
        const healths = await store.getMany(feeds.map((f) => f.url));
        const now = Date.now();
        feeds.forEach((feed, i) => {
          const health = healths[i] as FeedHealth;
          const every = intervalMs(feed, config.feeds);
          if (options.json) {
            const { validators: _validators, ...rest } = health;
            process.stdout.write(
              `${JSON.stringify({ ...rest, name: feed.name, lang: feed.lang, intervalMinutes: every / 60_000, status: feedStatus(health, now) })}\n`,
            );
          } else
            process.stdout.write(
              `${row(`${feed.name} [${feed.lang}, every ${every / 60_000} min]  ${feed.url}`, health, now)}\n`,
            );
        });
        // Feeds polled by URL alone (`poll --once --feed URL`): named by their own title, never scheduled.
        const configured = new Set(feeds.map((f) => f.url));
        const others = await store.getMany((await store.urls()).filter((url) => !configured.has(url)));
        for (const health of others) {
          const name = health.name ?? new URL(health.url).host;
          if (options.json) {
            const { validators: _validators, ...rest } = health;
            process.stdout.write(
              `${JSON.stringify({ ...rest, name, lang: null, intervalMinutes: null, configured: false, status: feedStatus(health, now) })}\n`,
            );
          } else
            process.stdout.write(
              `${row(`${name} [not in config, polled with --feed]  ${health.url}`, health, now)}\n`,
            );
        }
        if (!feeds.length && !others.length)
          process.stdout.write(`no feeds configured in ${config.dir}/feeds.yaml\n`);
      });
    });
}
