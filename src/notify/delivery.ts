/**
 * Exactly-once delivery of a digest window or an alert to one channel.
 *
 * One record per delivery in Redis, <prefix>delivery:<channel>:<key>, claimed
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
import { logger as rootLogger, type Logger } from '../log.ts';
import { DeliveryError, type ChatPoster } from '../chat/poster.ts';

const CLAIM = `
local raw = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[4])
local r
if raw then
  r = cjson.decode(raw)
  if r.state == 'sent' then return {'sent', raw} end
  if r.state == 'pending' and now - r.at < tonumber(ARGV[3]) then return {'busy', raw} end
  if r.state == 'pending' then r.crashed = (r.crashed or 0) + 1 end
  if r.state == 'failed' and r.posted == 0 then
    local fresh = cjson.decode(ARGV[5])
    r.messages = fresh.messages
    r.effects = fresh.effects
  end
  r.state = 'pending'
else
  r = cjson.decode(ARGV[5])
  r.state = 'pending'
  r.posted = 0
  r.sending = -1
end
r.owner = ARGV[1]
r.at = now
local encoded = cjson.encode(r)
redis.call('SET', KEYS[1], encoded, 'EX', ttl)
return {'claimed', encoded}
`;

const PROGRESS = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.owner ~= ARGV[1] or r.state ~= 'pending' then return 0 end
r.sending = tonumber(ARGV[2])
r.posted = tonumber(ARGV[3])
r.at = tonumber(ARGV[4])
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return 1
`;

const FINISH = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.owner ~= ARGV[1] or r.state ~= 'pending' then return 0 end
r.state = ARGV[2]
r.at = tonumber(ARGV[3])
r.sending = -1
if ARGV[2] == 'sent' then
  local effects = cjson.decode(r.effects or '{}')
  for _, op in ipairs(effects.hset or {}) do redis.call('HSET', op[1], op[2], op[3]) end
  r.messages = nil
  r.effects = nil
else
  r.error = ARGV[4]
end
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return 1
`;

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
    aiwatchDeliveryFinish(
      key: string,
      owner: string,
      state: string,
      now: number,
      error: string,
    ): Result<number, Context>;
  }
}

/** Redis writes applied atomically when the delivery is marked sent: [key, field, value]. */
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

function defineScripts(redis: RedisClient): void {
  if (Object.hasOwn(redis, 'aiwatchDeliveryClaim')) return;
  redis.defineCommand('aiwatchDeliveryClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('aiwatchDeliveryProgress', { numberOfKeys: 1, lua: PROGRESS });
  redis.defineCommand('aiwatchDeliveryFinish', { numberOfKeys: 1, lua: FINISH });
}

export function deliveryKey(prefix: string, channel: string, key: string): string {
  return `${prefix}delivery:${channel}:${key}`;
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
  defineScripts(ctx.redis);
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
      await ctx.redis.aiwatchDeliveryFinish(key, owner, 'failed', now(), failure.message);
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
  if (!(await ctx.redis.aiwatchDeliveryFinish(key, owner, 'sent', now(), ''))) {
    log.warn('another worker took this delivery over before it was marked sent');
    return { status: 'in-progress' };
  }
  await setChannelHealth(ctx.redis, ctx.prefix, delivery.channel, {
    ok: true,
    at: new Date(now()).toISOString(),
  });
  return { status: 'sent', posted: messages.length, resumed };
}
