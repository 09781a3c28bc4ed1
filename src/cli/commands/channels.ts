import type { Command } from 'commander';
import {
  getChannelHealth,
  withConfigChannels,
  type Channel,
  type ChannelHealth,
} from '../../channels/registry.ts';
import { formatTime } from '../../core/digest.ts';
import { logger } from '../../log.ts';
import { connectRedis } from '../../redis.ts';
import { quitRedis } from '../../worker/close.ts';
import { DEFAULT_PREFIX, loadApp } from '../context.ts';

export interface ChannelView {
  channel: Channel;
  subscriptionNames: string[];
  health: ChannelHealth;
  lastDigest?: string;
  /** Next scheduled digest (ms), when the service has scheduled it. */
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
    : 'not scheduled (service not running?)';
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
      const { config, core } = loadApp(options.config);
      // The queue and chat clients load only when this command runs.
      const [{ Queue }, { readMark }, { createNotifyDeps, NOTIFY_QUEUE, schedulerId }, { bullPrefix }] =
        await Promise.all([
          import('bullmq'),
          import('../../notify/digest-run.ts'),
          import('../../notify/service.ts'),
          import('../../queue/queues.ts'),
        ]);
      const redis = await connectRedis();
      // Opening a queue writes its meta key: only a queue the service has already made is opened.
      const queueKey = `${bullPrefix(DEFAULT_PREFIX)}:${NOTIFY_QUEUE}`;
      const queue = (await redis.exists(`${queueKey}:meta`))
        ? new Queue(NOTIFY_QUEUE, { connection: redis, prefix: bullPrefix(DEFAULT_PREFIX) })
        : undefined;
      try {
        const deps = createNotifyDeps({ redis, prefix: DEFAULT_PREFIX, config, core, log: logger });
        // Read-only: config/channels.yaml shown as `start` will write it, nothing written now.
        const channels = withConfigChannels(
          await deps.registry.list(),
          config.channels.channels,
          (name) => core.registry.resolve(name)?.id,
        );
        if (!channels.length) {
          process.stderr.write(
            'aiwatch: no channels: add them to config/channels.yaml or with /aiwatch subscribe\n',
          );
          return;
        }
        for (const channel of channels) {
          const [health, mark, scheduler] = await Promise.all([
            getChannelHealth(redis, DEFAULT_PREFIX, channel.id),
            readMark(redis, DEFAULT_PREFIX, channel.id),
            queue?.getJobScheduler(schedulerId(channel.id)),
          ]);
          const view: ChannelView = {
            channel,
            subscriptionNames: channel.subscriptions.map((id) => core.registry.nameOf(id)),
            health,
            ...(mark.at ? { lastDigest: mark.at } : {}),
            ...(scheduler?.next ? { next: scheduler.next } : {}),
          };
          process.stdout.write(options.json ? `${JSON.stringify(view)}\n` : `${channelText(view)}\n\n`);
        }
      } finally {
        await queue?.close();
        await quitRedis(redis);
      }
    });
}
