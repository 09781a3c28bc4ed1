/** The chat-posting port: each platform renders the digest model and posts one message at a time. */
import type { Alert, Digest } from '../core/digest.ts';

export interface ChatPoster<M = unknown> {
  /** "slack", "discord" or "console". */
  readonly kind: string;
  renderDigest(digest: Digest): M[];
  renderAlert(alert: Alert): M[];
  /** A one-line plain-text notice (an operations report), escaped for the platform. */
  renderNotice(text: string): M[];
  /**
   * Posts one message to the platform's channel id; throws DeliveryError when it cannot.
   * `nonce` is stable per message of a delivery, for platforms that de-duplicate by it.
   */
  post(channelId: string, message: M, nonce?: string): Promise<void>;
  /** True when re-sending a message with the same nonce cannot post it twice (Discord's bot API). */
  idempotentResend(channelId: string): boolean;
  /** Checks the credentials (Slack auth.test, Discord users/@me); a one-line description of the identity. */
  verify(): Promise<string>;
}

/**
 * A post that failed after the client's own retries. `permanent` means retrying
 * cannot help (unknown channel, bad token, no access): the channel is marked
 * unhealthy and the job is not retried. Otherwise the job retries later.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly platform: string,
    readonly permanent: boolean,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
