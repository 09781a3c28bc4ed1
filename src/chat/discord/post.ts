/**
 * Posts digests and alerts to Discord through discord.js's REST client:
 * "create message" with the bot token, or a channel's webhook when one is
 * configured. The client waits out 429 answers (Retry-After); 5xx and network
 * failures are retried here with exponential backoff, since the client would
 * retry them at once. What still fails becomes a DeliveryError.
 */
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from 'discord.js';
import {
  discordAlertMessage,
  discordDigestMessages,
  DISCORD_LIMITS,
  escapeDiscord,
  type DiscordMessage,
} from '../../core/digest-discord.ts';
import { logger as rootLogger, type Logger } from '../../shared/log.ts';
import { DeliveryError, type ChatPoster } from '../poster.ts';
import { discordApiUrl } from '../api-url.ts';

export { DISCORD_DEFAULT_API_URL } from '../api-url.ts';

export interface DiscordWebhook {
  id: string;
  token: string;
}

export interface DiscordPosterOptions {
  token?: string;
  apiUrl?: string;
  /** Platform channel id → webhook used instead of the bot token. */
  webhooks?: Readonly<Record<string, DiscordWebhook>>;
  /** Retries of 5xx and network failures, with delays baseMs, 2·baseMs, 4·baseMs… */
  retry?: { retries: number; baseMs: number };
  /** Longer rate-limit waits fail the post (the job retries later) instead of blocking a worker. */
  maxRateLimitWaitMs?: number;
  timeoutMs?: number;
  logger?: Logger;
  /** Called each time a rate limit is hit (for the metrics). */
  onRateLimited?: () => void;
}

const DEFAULTS = {
  retry: { retries: 4, baseMs: 1000 },
  maxRateLimitWaitMs: 60_000,
  timeoutMs: 20_000,
} as const satisfies Partial<DiscordPosterOptions>;

/** "https://discord.com/api/webhooks/<id>/<token>" → its id and token. */
export function parseWebhookUrl(url: string): DiscordWebhook | null {
  const match = /\/webhooks\/(\d+)\/([\w-]+)\/?$/.exec(url.trim());
  return match ? { id: match[1]!, token: match[2]! } : null;
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DiscordAPIError) {
    // 4xx: unknown channel (404), bad token (401), no access (403), a payload Discord rejects (400).
    const code = `${error.status}${error.code ? `/${error.code}` : ''}`;
    return new DeliveryError(
      `Discord refused the message: ${error.status} ${error.message}`,
      'discord',
      true,
      code,
      error.status,
    );
  }
  if (error instanceof RateLimitError)
    return new DeliveryError(
      `Discord rate limit: retry after ${error.retryAfter} ms`,
      'discord',
      false,
      'ratelimited',
      429,
    );
  if (error instanceof HTTPError)
    return new DeliveryError(
      `Discord answered HTTP ${error.status}`,
      'discord',
      false,
      `http_${error.status}`,
      error.status,
    );
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(`Discord request failed: ${message}`, 'discord', false, 'request_error');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createDiscordPoster(options: DiscordPosterOptions): ChatPoster<DiscordMessage> {
  const log = (options.logger ?? rootLogger).child({ platform: 'discord' });
  const retry = options.retry ?? DEFAULTS.retry;
  const maxWait = options.maxRateLimitWaitMs ?? DEFAULTS.maxRateLimitWaitMs;
  const rest = new REST({
    api: discordApiUrl(options.apiUrl),
    retries: 0,
    timeout: options.timeoutMs ?? DEFAULTS.timeoutMs,
    rejectOnRateLimit: (data) => data.retryAfter > maxWait,
  });
  if (options.token) rest.setToken(options.token);
  rest.on('rateLimited', (data) => {
    options.onRateLimited?.();
    log.warn({ retryAfter: data.retryAfter, route: data.route }, 'Discord rate limit: waiting as told');
  });

  async function withBackoff<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const failure = toDeliveryError(error);
        if (failure.permanent || failure.code === 'ratelimited' || attempt >= retry.retries) throw failure;
        const delay = retry.baseMs * 2 ** attempt * (0.75 + Math.random() / 2);
        log.warn(
          { attempt: attempt + 1, delay: Math.round(delay), error: failure.message },
          'Discord post retried',
        );
        await sleep(delay);
      }
    }
  }

  return {
    kind: 'discord',
    // With enforce_nonce Discord returns the earlier message instead of creating another;
    // webhooks take no nonce.
    idempotentResend: (channelId) => !options.webhooks?.[channelId],
    renderDigest: discordDigestMessages,
    renderAlert: (alert) => [discordAlertMessage(alert)],
    renderNotice: (text) => [
      {
        content: escapeDiscord(text).slice(0, DISCORD_LIMITS.content),
        embeds: [],
        allowed_mentions: { parse: [] },
      },
    ],
    async post(channelId, message, nonce) {
      const webhook = options.webhooks?.[channelId];
      if (webhook) {
        await withBackoff(() =>
          rest.post(Routes.webhook(webhook.id, webhook.token), {
            body: message,
            auth: false,
            query: new URLSearchParams({ wait: 'true' }),
          }),
        );
        return;
      }
      if (!options.token)
        throw new DeliveryError(
          `no DISCORD_BOT_TOKEN and no webhook for channel ${channelId}`,
          'discord',
          true,
          'no_credentials',
        );
      const body = nonce ? { ...message, nonce, enforce_nonce: true } : message;
      await withBackoff(() => rest.post(Routes.channelMessages(channelId), { body }));
    },
    async verify() {
      if (!options.token) return 'Discord webhooks only';
      const user = (await withBackoff(() => rest.get(Routes.user('@me')))) as {
        username?: string;
        id?: string;
      };
      return `Discord as ${user.username ?? user.id ?? '?'}`;
    },
  };
}
