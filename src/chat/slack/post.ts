/**
 * Posts digests and alerts to Slack through @slack/bolt's Web API client
 * (chat.postMessage), pointed at SLACK_API_URL. The client itself waits out
 * 429 answers (Retry-After) and retries 5xx and network failures with backoff;
 * what still fails becomes a DeliveryError, permanent or not.
 */
import { webApi } from '@slack/bolt';
import {
  escapeMrkdwn,
  SLACK_LIMITS,
  slackAlertMessage,
  slackDigestMessages,
  type SlackMessage,
} from '../../core/digest-slack.ts';
import { logger as rootLogger, type Logger } from '../../shared/log.ts';
import { DeliveryError, type ChatPoster } from '../poster.ts';
import { slackApiUrl } from '../api-url.ts';

export { SLACK_DEFAULT_API_URL } from '../api-url.ts';

export interface SlackPosterOptions {
  token: string;
  apiUrl?: string;
  /** p-retry options for 429, 5xx and network failures. */
  retry?: { retries: number; minTimeout: number; maxTimeout: number; factor?: number };
  timeoutMs?: number;
  logger?: Logger;
  /** Called at each 429 (for the metrics). */
  onRateLimited?: () => void;
}

const DEFAULTS = {
  retry: { retries: 5, minTimeout: 1000, maxTimeout: 30_000, factor: 2 },
  timeoutMs: 20_000,
} as const satisfies Partial<SlackPosterOptions>;

/** Platform errors worth retrying later; every other platform error needs a person to fix something. */
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** The Web API client logs through our structured logger (stderr), never to stdout. */
function clientLogger(log: Logger): webApi.Logger {
  let level = webApi.LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug({ slack: msg.join(' ') }),
    info: (...msg: unknown[]) => log.info({ slack: msg.join(' ') }),
    warn: (...msg: unknown[]) => log.warn({ slack: msg.join(' ') }),
    error: (...msg: unknown[]) => log.error({ slack: msg.join(' ') }),
    setLevel: (l: webApi.LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return new DeliveryError(
      `Slack refused the message: ${code}`,
      'slack',
      !TRANSIENT_ERRORS.has(code),
      code,
    );
  }
  if (e.code === webApi.ErrorCode.HTTPError) {
    const status = e.statusCode ?? 0;
    const permanent = status >= 400 && status < 500 && status !== 429;
    return new DeliveryError(`Slack answered HTTP ${status}`, 'slack', permanent, `http_${status}`, status);
  }
  if (e.code === webApi.ErrorCode.RateLimitedError)
    return new DeliveryError('Slack rate limit', 'slack', false, 'ratelimited', 429);
  const message = e.message ?? String(error);
  return new DeliveryError(`Slack request failed: ${message}`, 'slack', false, 'request_error');
}

export function createSlackPoster(options: SlackPosterOptions): ChatPoster<SlackMessage> {
  const log = (options.logger ?? rootLogger).child({ platform: 'slack' });
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: slackApiUrl(options.apiUrl),
    retryConfig: { randomize: true, ...(options.retry ?? DEFAULTS.retry) },
    // Wait out 429s (Retry-After) inside the client rather than failing the post.
    rejectRateLimitedCalls: false,
    timeout: options.timeoutMs ?? DEFAULTS.timeoutMs,
    logger: clientLogger(log),
  });
  client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfter: number) => {
    options.onRateLimited?.();
    log.warn({ retryAfter }, 'Slack rate limit: waiting as told by Retry-After');
  });
  return {
    kind: 'slack',
    idempotentResend: () => false,
    renderDigest: slackDigestMessages,
    renderAlert: (alert) => [slackAlertMessage(alert)],
    renderNotice: (text) => {
      const escaped = escapeMrkdwn(text).slice(0, SLACK_LIMITS.textPerBlock);
      return [{ text: escaped, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escaped } }] }];
    },
    async post(channelId, message) {
      try {
        await client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async verify() {
      try {
        const result = await client.auth.test();
        return `Slack ${result.team ?? result.team_id ?? '?'} as ${result.user ?? result.user_id ?? '?'}`;
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}
