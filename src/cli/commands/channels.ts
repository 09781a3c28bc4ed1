import type { Command } from 'commander';
import {
  getChannelHealth,
  withConfigChannels,
  type Channel,
  type ChannelHealth,
} from '../../channels/registry.ts';
import { nextRun, scheduleProblem } from '../../config/cron.ts';
import { formatTime } from '../../core/digest.ts';
import { readMark } from '../../notify/digest-run.ts';
import { withApp } from '../context.ts';

export interface ChannelView {
  channel: Channel;
  subscriptionNames: string[];
  health: ChannelHealth;
  lastDigest?: string;
  /** When the next digest is due (ms), from the channel's schedule; absent when the schedule is not usable. */
  next?: number;
}

export function channelText(view: ChannelView): string {
  const { channel, health } = view;
  const tz = channel.timezone;
  const healthText =
    health.status === 'unhealthy'
      ? `UNHEALTHY since ${formatTime(health.at!, tz)}: ${health.error ?? 'unknown error'}`
      : health.status === 'ok'
        ? `healthy${health.lastPostAt ? `, last post ${formatTime(health.lastPostAt, tz)}` : ''}`
        : 'nothing posted yet';
  const next = view.next
    ? `next ${formatTime(new Date(view.next).toISOString(), tz)}`
    : `not scheduled: ${scheduleProblem(channel.schedule, tz) ?? 'no next time'}`;
  return [
    `${channel.id}  ${healthText}`,
    `  digest: "${channel.schedule}" in ${tz}, ${next}; last digest ${view.lastDigest ? formatTime(view.lastDigest, tz) : 'never'}`,
    `  language: ${channel.language}${channel.nothingNewMessage ? '; says "nothing new"' : ''}${channel.operations ? '; operations reports' : ''}`,
    `  subscriptions: ${view.subscriptionNames.length ? view.subscriptionNames.join(', ') : 'none'}`,
  ].join('\n');
}

export function registerChannels(program: Command): void {
  program
    .command('channels')
    .description(
      'list the chat channels with digest schedule, subscriptions and health; REDIS_URL, AIWATCH_PREFIX',
    )
    .option('--json', 'one JSON object per line')
    .option('--config <dir>', 'config directory')
    .action(async (options: { json?: boolean; config?: string }) => {
      // Neither the queue nor a chat client: the next digest follows from the schedule itself.
      await withApp(
        { config: options.config },
        async ({ config, core, redis, prefix, channels: registry }) => {
          // Read-only: config/channels.yaml shown as `start` will write it, nothing written now.
          const channels = withConfigChannels(
            await registry.list(),
            config.channels.channels,
            (name) => core.registry.resolve(name)?.id,
          );
          if (!channels.length) {
            process.stderr.write(
              'aiwatch: no channels: add them to config/channels.yaml or with /aiwatch subscribe\n',
            );
            return;
          }
          const now = new Date();
          for (const channel of channels) {
            const [health, mark] = await Promise.all([
              getChannelHealth(redis, prefix, channel.id),
              readMark(redis, prefix, channel.id),
            ]);
            const view: ChannelView = {
              channel,
              subscriptionNames: channel.subscriptions.map((id) => core.registry.nameOf(id)),
              health,
              ...(mark.at ? { lastDigest: mark.at } : {}),
              // A channel stored by an older version may hold a schedule config would now refuse.
              ...(scheduleProblem(channel.schedule, channel.timezone)
                ? {}
                : { next: nextRun(channel.schedule, channel.timezone, now).getTime() }),
            };
            process.stdout.write(options.json ? `${JSON.stringify(view)}\n` : `${channelText(view)}\n\n`);
          }
        },
      );
    });
}
