/** The one line `aiwatch start` logs once running: what it watches and where it reports. Pure. */
import type { Channel } from '../channels/registry.ts';
import type { AppConfig } from '../config/index.ts';
import { intervalMs } from '../queue/schedule.ts';

/** How each platform posts, from the same variables the posters read (see chat/posters.ts). */
export function platformModes(env: NodeJS.ProcessEnv): { slack: string; discord: string } {
  const webhooks = Object.keys(env).filter((name) => /^DISCORD_WEBHOOK_\d+$/.test(name) && env[name]).length;
  const discord = [
    ...(env.DISCORD_BOT_TOKEN?.trim() ? ['bot token'] : []),
    ...(webhooks ? [`${webhooks} webhook${webhooks === 1 ? '' : 's'}`] : []),
  ];
  return {
    slack: env.SLACK_BOT_TOKEN?.trim() ? 'bot token' : 'console (no SLACK_BOT_TOKEN)',
    discord: discord.length ? discord.join(' + ') : 'console (no DISCORD_BOT_TOKEN)',
  };
}

export function startSummary(
  config: Pick<AppConfig, 'feeds'>,
  channels: Pick<Channel, 'id' | 'platform'>[],
  env: NodeJS.ProcessEnv,
): { text: string; fields: Record<string, unknown> } {
  const feeds = config.feeds.feeds;
  const minutes = [...new Set(feeds.map((feed) => intervalMs(feed, config.feeds) / 60_000))].sort(
    (a, b) => a - b,
  );
  const every = minutes.length ? ` (every ${minutes.join('/')} min)` : '';
  const modes = platformModes(env);
  const count = (platform: string) => channels.filter((c) => c.platform === platform).length;
  const text =
    `running: ${feeds.length} feed${feeds.length === 1 ? '' : 's'}${every}; ` +
    `${channels.length} channel${channels.length === 1 ? '' : 's'} (${count('slack')} Slack, ${count('discord')} Discord); ` +
    `Slack via ${modes.slack}, Discord via ${modes.discord}`;
  return {
    text,
    fields: { feeds: feeds.length, channels: channels.map((c) => c.id), platforms: modes },
  };
}
