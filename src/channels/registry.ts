/**
 * The channel registry: every chat channel the bot posts to, with its digest
 * schedule, language and company subscriptions. config/channels.yaml gives the
 * starting set; slash commands add channels and subscriptions at run time.
 * Both are read and written here, in Redis, so there is one source of truth.
 */
import type { Redis } from 'ioredis';
import { ConfigError, type ChannelConfig } from '../config/index.ts';
import { CHANNEL_ID } from '../config/schemas.ts';

export type Platform = 'slack' | 'discord';

export interface Channel {
  /** "slack:C0123" or "discord:123456789". */
  id: string;
  platform: Platform;
  /** The platform's own channel id. */
  channelId: string;
  /** Slack team id or Discord guild id, when known: queries never cross it. */
  workspace?: string;
  schedule: string;
  timezone: string;
  language: 'en' | 'ja';
  /** Entity ids from config/entities.yaml. */
  subscriptions: string[];
  nothingNewMessage: boolean;
  operations: boolean;
}

export const CHANNEL_DEFAULTS = {
  schedule: '0 9 * * *',
  timezone: 'Asia/Tokyo',
  language: 'en',
  nothingNewMessage: false,
  operations: false,
} as const satisfies Partial<Channel>;

export function parseChannelId(id: string): { platform: Platform; channelId: string } | null {
  const match = CHANNEL_ID.exec(id);
  return match ? { platform: match[1] as Platform, channelId: match[2]! } : null;
}

export interface ChannelRegistry {
  list(): Promise<Channel[]>;
  get(id: string): Promise<Channel | null>;
  /** The channel, added with default settings if it was not registered. */
  ensure(id: string, workspace?: string): Promise<Channel>;
  /** false when it was already subscribed. */
  subscribe(id: string, entityId: string): Promise<boolean>;
  /** false when it was not subscribed. */
  unsubscribe(id: string, entityId: string): Promise<boolean>;
  /** Channel ids subscribed to an entity. */
  subscribers(entityId: string): Promise<string[]>;
}

/**
 * Redis layout under the prefix: channel:<id> hash of settings, channels set of ids,
 * subs:<id> set of entity ids, subscribers:<entity> set of channel ids.
 */
export function createRedisChannelRegistry(redis: Redis, prefix: string): ChannelRegistry {
  const k = (key: string) => `${prefix}${key}`;

  async function read(id: string): Promise<Channel | null> {
    const [fields, subscriptions] = await Promise.all([
      redis.hgetall(k(`channel:${id}`)),
      redis.smembers(k(`subs:${id}`)),
    ]);
    const parsed = parseChannelId(id);
    if (!parsed || !fields.schedule) return null;
    return {
      id,
      ...parsed,
      ...(fields.workspace ? { workspace: fields.workspace } : {}),
      schedule: fields.schedule,
      timezone: fields.timezone ?? CHANNEL_DEFAULTS.timezone,
      language: fields.language === 'ja' ? 'ja' : 'en',
      subscriptions: subscriptions.sort(),
      nothingNewMessage: fields.nothingNewMessage === 'true',
      operations: fields.operations === 'true',
    };
  }

  return {
    async list() {
      const ids = (await redis.smembers(k('channels'))).sort();
      const channels = await Promise.all(ids.map(read));
      return channels.filter((c): c is Channel => c !== null);
    },
    get: read,
    async ensure(id, workspace) {
      const parsed = parseChannelId(id);
      if (!parsed) throw new Error(`not a channel id: "${id}" (expected slack:<id> or discord:<id>)`);
      const key = k(`channel:${id}`);
      // HSETNX keeps settings a concurrent caller or the config already wrote.
      const multi = redis.multi();
      for (const [field, value] of Object.entries(CHANNEL_DEFAULTS)) multi.hsetnx(key, field, String(value));
      if (workspace) multi.hsetnx(key, 'workspace', workspace);
      multi.sadd(k('channels'), id);
      await multi.exec();
      return (await read(id))!;
    },
    async subscribe(id, entityId) {
      const [[, added]] = (await redis
        .multi()
        .sadd(k(`subs:${id}`), entityId)
        .sadd(k(`subscribers:${entityId}`), id)
        .exec()) as [[Error | null, number]];
      return added === 1;
    },
    async unsubscribe(id, entityId) {
      const [[, removed]] = (await redis
        .multi()
        .srem(k(`subs:${id}`), entityId)
        .srem(k(`subscribers:${entityId}`), id)
        .exec()) as [[Error | null, number]];
      return removed === 1;
    },
    async subscribers(entityId) {
      return (await redis.smembers(k(`subscribers:${entityId}`))).sort();
    },
  };
}

/**
 * Writes config/channels.yaml into the registry at start-up: config settings win
 * for the fields it sets, subscriptions are added (those made by slash commands stay).
 * `resolveEntity` maps a configured name or alias to an entity id.
 */
export async function seedChannelsFromConfig(
  redis: Redis,
  prefix: string,
  registry: ChannelRegistry,
  channels: readonly ChannelConfig[],
  resolveEntity: (name: string) => string | undefined,
): Promise<void> {
  for (const channel of channels) {
    await registry.ensure(channel.id);
    await redis.hset(`${prefix}channel:${channel.id}`, {
      schedule: channel.schedule,
      timezone: channel.timezone,
      language: channel.language,
      nothingNewMessage: String(channel.nothingNewMessage),
      operations: String(channel.operations),
    });
    for (const name of channel.subscriptions) {
      const entityId = resolveEntity(name);
      if (!entityId)
        throw new ConfigError(
          `config/channels.yaml: ${channel.id}: subscriptions: unknown company "${name}"`,
        );
      await registry.subscribe(channel.id, entityId);
    }
  }
}

/** Delivery health of a channel: a permanent posting error marks it unhealthy until a post succeeds. */
export interface ChannelHealth {
  status: 'ok' | 'unhealthy' | 'unknown';
  /** The last permanent error, e.g. "Slack refused the message: channel_not_found". */
  error?: string;
  /** ISO time of the last status change or post. */
  at?: string;
  /** ISO time of the last successful post. */
  lastPostAt?: string;
}

/** Stored under <prefix>channel-health:<id>, next to the channel's settings. */
export async function setChannelHealth(
  redis: Redis,
  prefix: string,
  id: string,
  health: { ok: true; at: string } | { ok: false; at: string; error: string },
): Promise<void> {
  const key = `${prefix}channel-health:${id}`;
  if (health.ok) {
    await redis
      .multi()
      .hset(key, { status: 'ok', at: health.at, lastPostAt: health.at })
      .hdel(key, 'error')
      .exec();
  } else {
    await redis.hset(key, { status: 'unhealthy', at: health.at, error: health.error });
  }
}

export async function getChannelHealth(redis: Redis, prefix: string, id: string): Promise<ChannelHealth> {
  const fields = await redis.hgetall(`${prefix}channel-health:${id}`);
  const status = fields.status === 'ok' || fields.status === 'unhealthy' ? fields.status : 'unknown';
  return {
    status,
    ...(fields.error ? { error: fields.error } : {}),
    ...(fields.at ? { at: fields.at } : {}),
    ...(fields.lastPostAt ? { lastPostAt: fields.lastPostAt } : {}),
  };
}
