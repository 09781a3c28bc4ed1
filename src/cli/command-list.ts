/**
 * The list of `aiwatch` commands, each with its summary and how to load its module:
 * main.ts imports only the module of the command being run.
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

/** Every command: the summary shown by `aiwatch --help`, and how to load its module. */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Register> }> = {
  start: {
    summary: 'run the service: feed worker, digests and alerts, slash-command server',
    load: async () => (await import('./commands/start.ts')).registerStart,
  },
  poll: {
    summary: 'poll the feeds once through the queue and print a summary',
    load: async () => (await import('./commands/poll.ts')).registerPoll,
  },
  events: {
    summary: 'print the stored events with their items',
    load: async () => (await import('./commands/events.ts')).registerEvents,
  },
  feeds: {
    summary: 'show the configured feeds and their health',
    load: async () => (await import('./commands/feeds.ts')).registerFeeds,
  },
  'check-feed': {
    summary: 'read feeds as the worker would and show how each item would be judged; stores nothing',
    load: async () => (await import('./commands/check-feed.ts')).registerCheckFeed,
  },
  channels: {
    summary: 'list the chat channels: schedule, next digest, subscriptions, health',
    load: async () => (await import('./commands/channels.ts')).registerChannels,
  },
  digest: {
    summary: "post a channel's digest now (or --dry-run print it)",
    load: async () => (await import('./commands/digest.ts')).registerDigest,
  },
  serve: {
    summary: 'run only the slash-command server',
    load: async () => (await import('./commands/serve.ts')).registerServe,
  },
  'register-commands': {
    summary: 'register /aiwatch with Discord',
    load: async () => (await import('./commands/register-commands.ts')).registerRegisterCommands,
  },
  migrate: {
    summary:
      "move the previous version's Redis keys to the hash-tagged layout (or --dry-run print what would move)",
    load: async () => (await import('./commands/migrate.ts')).registerMigrate,
  },
  reindex: {
    summary: 'rebuild the search index of the stored events',
    load: async () => (await import('./commands/reindex.ts')).registerReindex,
  },
  replay: {
    summary: 'process a JSONL file of items and print one decision per item',
    load: async () => (await import('./commands/replay.ts')).registerReplay,
  },
  explain: {
    summary: 'show how one headline is judged, check by check',
    load: async () => (await import('./commands/explain.ts')).registerExplain,
  },
  eval: {
    summary: 'score relevance and events on the labelled sets',
    load: async () => (await import('./commands/eval.ts')).registerEval,
  },
  demo: {
    summary: 'poll the seed articles as local feeds and print the digest',
    load: async () => (await import('./commands/demo.ts')).registerDemo,
  },
};

/** The command named on the command line (`aiwatch help poll` names poll too), if it is one of ours. */
export function commandNamed(args: string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}
