/**
 * Which poster each platform uses, from the environment: SLACK_BOT_TOKEN and
 * SLACK_API_URL, DISCORD_BOT_TOKEN and DISCORD_API_URL, and for a Discord
 * channel posted to through a webhook, DISCORD_WEBHOOK_<channel id>=<webhook URL>.
 * A platform with no credentials prints to the console instead.
 */
import type { Platform } from '../channels/registry.ts';
import { createDiscordPoster, parseWebhookUrl, type DiscordWebhook } from './discord/post.ts';
import { createSlackPoster } from './slack/post.ts';
import { UserError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { createConsolePoster } from './console.ts';
import type { Metrics } from '../metrics/port.ts';
import { DeliveryError, type ChatPoster } from './poster.ts';

export type Posters = Record<Platform, ChatPoster>;

export interface PosterTuning {
  slackRetry?: { retries: number; minTimeout: number; maxTimeout: number };
  discordRetry?: { retries: number; baseMs: number };
  maxRateLimitWaitMs?: number;
  write?: (text: string) => void;
  logger?: Logger;
  /** Posts, their latency and 429s are counted here (the service's /metrics). */
  metrics?: Metrics;
}

/** The poster with each post timed and counted by outcome. */
export function withPostMetrics<M>(poster: ChatPoster<M>, platform: string, metrics: Metrics): ChatPoster<M> {
  return {
    ...poster,
    async post(channelId, message, nonce) {
      const started = performance.now();
      try {
        await poster.post(channelId, message, nonce);
        metrics.posted(platform, 'ok', (performance.now() - started) / 1000);
      } catch (error) {
        const permanent = error instanceof DeliveryError && error.permanent;
        metrics.posted(platform, permanent ? 'failed-permanent' : 'failed-temporary', 0);
        throw error;
      }
    },
  };
}

export function discordWebhooksFromEnv(env: NodeJS.ProcessEnv): Record<string, DiscordWebhook> {
  const webhooks: Record<string, DiscordWebhook> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^DISCORD_WEBHOOK_(\d+)$/.exec(name);
    if (!match || !value) continue;
    const webhook = parseWebhookUrl(value);
    if (!webhook)
      throw new UserError(
        `${name}: expected a webhook URL like https://discord.com/api/webhooks/<id>/<token>`,
      );
    webhooks[match[1]!] = webhook;
  }
  return webhooks;
}

export function postersFromEnv(env: NodeJS.ProcessEnv = process.env, tuning: PosterTuning = {}): Posters {
  const posters = createPosters(env, tuning);
  const { metrics } = tuning;
  if (!metrics) return posters;
  return {
    slack: withPostMetrics(posters.slack, 'slack', metrics),
    discord: withPostMetrics(posters.discord, 'discord', metrics),
  };
}

function createPosters(env: NodeJS.ProcessEnv, tuning: PosterTuning): Posters {
  const consolePoster = createConsolePoster(tuning.write);
  const slackToken = env.SLACK_BOT_TOKEN?.trim();
  const discordToken = env.DISCORD_BOT_TOKEN?.trim();
  const webhooks = discordWebhooksFromEnv(env);
  return {
    slack: slackToken
      ? createSlackPoster({
          token: slackToken,
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
          ...(tuning.slackRetry ? { retry: tuning.slackRetry } : {}),
          ...(tuning.logger ? { logger: tuning.logger } : {}),
          ...(tuning.metrics ? { onRateLimited: () => tuning.metrics?.rateLimited('slack') } : {}),
        })
      : consolePoster,
    discord:
      discordToken || Object.keys(webhooks).length
        ? createDiscordPoster({
            ...(discordToken ? { token: discordToken } : {}),
            ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
            webhooks,
            ...(tuning.discordRetry ? { retry: tuning.discordRetry } : {}),
            ...(tuning.maxRateLimitWaitMs ? { maxRateLimitWaitMs: tuning.maxRateLimitWaitMs } : {}),
            ...(tuning.logger ? { logger: tuning.logger } : {}),
            ...(tuning.metrics ? { onRateLimited: () => tuning.metrics?.rateLimited('discord') } : {}),
          })
        : consolePoster,
  };
}
