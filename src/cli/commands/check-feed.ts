import type { Command } from 'commander';
import { UsageError } from '../../shared/errors.ts';
import { checkFeed, type CheckResult } from '../../feeds/check.ts';
import { closeFetchAgents } from '../../feeds/fetch.ts';
import { loadApp } from '../context.ts';
import { fetchOptions } from '../../feeds/fetch.ts';

interface CheckFeedOptions {
  json?: boolean;
  config?: string;
  lang?: string;
}

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** The readable form: one block per feed, one line per item (date, verdict, title, why). */
export function formatCheck(result: CheckResult): string {
  if (!result.ok) return `${result.url}\n  FAILED ${result.error.kind}: ${result.error.message}\n`;
  const relevant = result.items.filter((item) => item.relevant).length;
  const lines = [
    result.url,
    `  "${result.title || '(no title)'}" — ${result.format}, ${result.charset}, ${result.items.length} items, ${relevant} relevant`,
    ...result.items.map((item) => {
      const date = item.published ? item.published.slice(0, 16).replace('T', ' ') : 'no date         ';
      const verdict = item.relevant ? 'RELEVANT  ' : 'irrelevant';
      const why = item.relevant && item.reasons.length ? `  (${cut(item.reasons.join('; '), 80)})` : '';
      return `  ${date}  ${verdict}  ${cut(item.title, 90)}${why}\n  ${' '.repeat(30)}${item.url}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerCheckFeed(program: Command): void {
  program
    .command('check-feed')
    .description(
      'read feeds exactly as the worker would and show each item and how it would be judged; stores nothing ' +
        '(try a feed before adding it to config/feeds.yaml). Exit 1 when any feed could not be read',
    )
    .argument('<url...>', 'feed URLs')
    .option('--json', 'one JSON object per URL and line, in the order given')
    .option('--config <dir>', 'config directory (limits, and the language of configured feeds)')
    .option('--lang <lang>', "language of URLs not in config (default: the feed's declared one, else en)")
    .action(async (urls: string[], options: CheckFeedOptions) => {
      const lang = options.lang;
      if (lang !== undefined && lang !== 'en' && lang !== 'ja')
        throw new UsageError(`--lang must be en or ja, not "${lang}"`);
      const { config, core } = loadApp(options.config);
      const worker = config.settings.worker;
      let allRead = true;
      try {
        for (const url of urls) {
          const result = await checkFeed(url, {
            feeds: config.feeds.feeds,
            fetch: fetchOptions(worker),
            maxItems: worker.maxItemsPerPoll,
            core,
            ...(lang ? { lang } : {}),
          });
          if (!result.ok) allRead = false;
          process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatCheck(result));
        }
      } finally {
        await closeFetchAgents();
      }
      process.exitCode = allRead ? 0 : 1;
    });
}
