/**
 * Exactly-once delivery of a digest window or an alert to one channel.
 *
 * One record per delivery in Redis, <prefix>{notify}:delivery:<channel>:<key> (keys.ts), claimed
 * atomically (a Lua script: the SET-if-absent and the checks below in one step)
 * BEFORE anything is posted, and moved through pending → sent | failed:
 *
 * - The claim stores the rendered messages and the effects of success (for a
 *   digest: the channel's new last-digest mark), so a run that resumes it posts
 *   exactly the content the first run started, and the effects are applied in
 *   the same script that marks it sent.
 * - Each message is marked `sending` before it is posted and counted in `posted`
 *   after; the pending lease is renewed at each step.
 * - A second run finding it `sent` posts nothing; `pending` with a live lease
 *   means another worker is posting it now (the caller retries later); a
 *   `failed` one (the post errored) is resumed from the first message not posted.
 * - A `pending` one whose lease expired belonged to a worker that died. It is
 *   resumed after the messages known posted. The message that was being sent
 *   when the worker died is treated as posted (Slack has no idempotency key:
 *   re-sending it could post it twice) and logged as uncertain; Discord's
 *   poster re-sends it with the same nonce, which Discord itself de-duplicates.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Result } from 'ioredis';
import type { RedisClient } from '../redis/client.ts';
import { setChannelHealth } from '../channels/registry.ts';
import { logger as rootLogger, type Logger } from '../shared/log.ts';
import { defineScripts } from '../redis/scripts.ts';
import { notifyKeys } from './keys.ts';
import { DeliveryError, type ChatPoster } from '../chat/poster.ts';

const SCRIPTS = [
  { command: 'aiwatchDeliveryClaim', url: new URL('./lua/delivery-claim-1.lua', import.meta.url) },
  { command: 'aiwatchDeliveryProgress', url: new URL('./lua/delivery-progress-1.lua', import.meta.url) },
  { command: 'aiwatchDeliveryFinish', url: new URL('./lua/delivery-finish.lua', import.meta.url) },
];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    aiwatchDeliveryClaim(
      key: string,
      owner: string,
      now: number,
      leaseMs: number,
      ttl: number,
      fresh: string,
    ): Result<[string, string], Context>;
    aiwatchDeliveryProgress(
      key: string,
      owner: string,
      sending: number,
      posted: number,
      now: number,
    ): Result<number, Context>;
    /** The number of keys, the record's key and the keys its effects write, then the arguments. */
    aiwatchDeliveryFinish(...args: (string | number)[]): Result<number, Context>;
  }
}

/**
 * Redis writes applied atomically when the delivery is marked sent: [key, field, value]. The keys
 * are notify keys (keys.ts), in the delivery record's hash tag: the finishing script is given them.
 */
export interface Effects {
  hset?: [string, string, string][];
}

export interface DeliveryContext {
  redis: RedisClient;
  prefix: string;
  log?: Logger;
  now?: () => number;
  /** How long a pending claim stays another worker's before it is taken over. */
  leaseMs?: number;
  /** How long the record is kept (an alert key must outlive the event's alert window). */
  ttlSeconds?: number;
}

export interface Delivery<M> {
  /** Registry id, "slack:C0123". */
  channel: string;
  /** The platform's channel id, "C0123". */
  platformChannel: string;
  /** "digest:<window start>" or "alert:<event id>". */
  key: string;
  messages: M[];
  effects?: Effects;
}

export type DeliveryOutcome =
  | { status: 'sent'; posted: number; resumed: boolean }
  | { status: 'already-sent' }
  | { status: 'in-progress' }
  | { status: 'failed'; error: DeliveryError; posted: number };

interface DeliveryRecord {
  state: 'pending' | 'sent' | 'failed';
  owner: string;
  at: number;
  posted: number;
  sending: number;
  crashed?: number;
  /** JSON strings, opaque to the scripts: cjson would turn an empty array into an object. */
  messages: string;
  effects: string;
  error?: string;
}

export const DELIVERY_DEFAULTS = {
  leaseMs: 10 * 60_000,
  ttlSeconds: 30 * 86_400,
} as const satisfies Partial<DeliveryContext>;

export function deliveryKey(prefix: string, channel: string, key: string): string {
  return notifyKeys(prefix).delivery(channel, key);
}

/** lua/delivery-finish.lua's arguments: the record's key, then every key its effects write. */
function finishArgs(
  key: string,
  effects: string | undefined,
  args: (string | number)[],
): (string | number)[] {
  const written = new Set(((JSON.parse(effects ?? '{}') as Effects).hset ?? []).map(([target]) => target));
  return [1 + written.size, key, ...written, ...args];
}

/** A short stable id of one message of one delivery (Discord's nonce: at most 25 characters). */
export function messageNonce(recordKey: string, index: number): string {
  return createHash('sha1').update(`${recordKey}#${index}`).digest('hex').slice(0, 25);
}

/** The delivery record, for tests and diagnostics. */
export async function readDelivery(
  redis: RedisClient,
  prefix: string,
  channel: string,
  key: string,
): Promise<DeliveryRecord | null> {
  const raw = await redis.get(deliveryKey(prefix, channel, key));
  return raw ? (JSON.parse(raw) as DeliveryRecord) : null;
}

export async function deliverOnce<M>(
  ctx: DeliveryContext,
  delivery: Delivery<M>,
  poster: ChatPoster<M>,
): Promise<DeliveryOutcome> {
  defineScripts(ctx.redis, SCRIPTS);
  const log = (ctx.log ?? rootLogger).child({ channel: delivery.channel, delivery: delivery.key });
  const now = ctx.now ?? Date.now;
  const owner = randomUUID();
  const key = deliveryKey(ctx.prefix, delivery.channel, delivery.key);
  const fresh = JSON.stringify({
    messages: JSON.stringify(delivery.messages),
    effects: JSON.stringify(delivery.effects ?? {}),
  });
  const [state, raw] = await ctx.redis.aiwatchDeliveryClaim(
    key,
    owner,
    now(),
    ctx.leaseMs ?? DELIVERY_DEFAULTS.leaseMs,
    ctx.ttlSeconds ?? DELIVERY_DEFAULTS.ttlSeconds,
    fresh,
  );
  if (state === 'sent') return { status: 'already-sent' };
  if (state === 'busy') return { status: 'in-progress' };

  const record = JSON.parse(raw) as DeliveryRecord;
  const messages = JSON.parse(record.messages) as M[];
  let posted = record.posted;
  const resumed = posted > 0 || record.sending >= 0;
  if (record.sending >= 0 && record.sending === posted && record.crashed) {
    // A worker died while posting this message: it may or may not have arrived.
    if (poster.idempotentResend(delivery.platformChannel)) {
      log.warn({ message: posted }, 'a worker died while posting: re-sending with the same nonce');
    } else {
      log.warn(
        { message: posted, of: messages.length },
        'a worker died while posting this message: not re-sent, as it may have arrived (Slack has no idempotency key)',
      );
      posted += 1;
    }
  }

  for (let i = posted; i < messages.length; i++) {
    if (!(await ctx.redis.aiwatchDeliveryProgress(key, owner, i, i, now()))) {
      log.warn('another worker took this delivery over: stopping');
      return { status: 'in-progress' };
    }
    try {
      await poster.post(delivery.platformChannel, messages[i]!, messageNonce(key, i));
    } catch (error) {
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(String(error), poster.kind, false, 'unexpected');
      await ctx.redis.aiwatchDeliveryProgress(key, owner, -1, i, now());
      await ctx.redis.aiwatchDeliveryFinish(
        ...finishArgs(key, undefined, [owner, 'failed', now(), failure.message]),
      );
      if (failure.permanent) {
        await setChannelHealth(ctx.redis, ctx.prefix, delivery.channel, {
          ok: false,
          at: new Date(now()).toISOString(),
          error: failure.message,
        });
        log.error({ code: failure.code, posted: i }, `channel marked unhealthy: ${failure.message}`);
      } else {
        log.warn({ code: failure.code, posted: i }, `post failed, will be retried: ${failure.message}`);
      }
      return { status: 'failed', error: failure, posted: i };
    }
    await ctx.redis.aiwatchDeliveryProgress(key, owner, -1, i + 1, now());
  }
  if (
    !(await ctx.redis.aiwatchDeliveryFinish(...finishArgs(key, record.effects, [owner, 'sent', now(), ''])))
  ) {
    log.warn('another worker took this delivery over before it was marked sent');
    return { status: 'in-progress' };
  }
  await setChannelHealth(ctx.redis, ctx.prefix, delivery.channel, {
    ok: true,
    at: new Date(now()).toISOString(),
  });
  return { status: 'sent', posted: messages.length, resumed };
}
