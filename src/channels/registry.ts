/**
 * The channel registry: every chat channel the bot posts to, with its digest
 * schedule, language and company subscriptions. config/channels.yaml gives the
 * starting set; slash commands add channels and subscriptions at run time.
 * Both are read and written here, in Redis, so there is one source of truth.
 */
import type { RedisClient } from '../redis/client.ts';
import { execChecked } from '../redis/exec.ts';
import { ConfigError, type ChannelConfig } from '../config/index.ts';
import { CHANNEL_ID } from '../config/schemas.ts';
import { channelKeys } from './keys.ts';

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
  /** Forgets the channel: settings and subscriptions (its digest schedule goes at the next sync). */
  remove(id: string): Promise<void>;
}

/**
 * Redis layout under the prefix: keys.ts (channel:<id> hash of settings, with `origin`:
 * `config` for a channel first written from config/channels.yaml, `command` for one a command
 * added; the channels and channels:config sets; subs:<id> and subscribers:<entity> sets).
 */
export function createRedisChannelRegistry(redis: RedisClient, prefix: string): ChannelRegistry {
  const k = channelKeys(prefix);

  async function read(id: string): Promise<Channel | null> {
    const [fields, subscriptions] = await Promise.all([
      redis.hgetall(k.channel(id)),
      redis.smembers(k.subscriptions(id)),
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
      const ids = (await redis.smembers(k.all)).sort();
      const channels = await Promise.all(ids.map(read));
      return channels.filter((c): c is Channel => c !== null);
    },
    get: read,
    async ensure(id, workspace) {
      const parsed = parseChannelId(id);
      if (!parsed) throw new Error(`not a channel id: "${id}" (expected slack:<id> or discord:<id>)`);
      const key = k.channel(id);
      // HSETNX keeps settings a concurrent caller or the config already wrote.
      const multi = redis.multi();
      for (const [field, value] of Object.entries(CHANNEL_DEFAULTS)) multi.hsetnx(key, field, String(value));
      multi.hsetnx(key, 'origin', 'command');
      if (workspace) multi.hsetnx(key, 'workspace', workspace);
      multi.sadd(k.all, id);
      await execChecked(multi);
      return (await read(id))!;
    },
    async subscribe(id, entityId) {
      const [added] = await execChecked(
        redis.multi().sadd(k.subscriptions(id), entityId).sadd(k.subscribers(entityId), id),
      );
      return added === 1;
    },
    async unsubscribe(id, entityId) {
      const [removed] = await execChecked(
        redis.multi().srem(k.subscriptions(id), entityId).srem(k.subscribers(entityId), id),
      );
      return removed === 1;
    },
    async subscribers(entityId) {
      return (await redis.smembers(k.subscribers(entityId))).sort();
    },
    async remove(id) {
      const entities = await redis.smembers(k.subscriptions(id));
      const multi = redis.multi().srem(k.all, id).del(k.channel(id), k.subscriptions(id));
      for (const entity of entities) multi.srem(k.subscribers(entity), id);
      await execChecked(multi);
    },
  };
}

/** A channel as config/channels.yaml describes it; `resolveEntity` maps a company name to its id. */
export function channelFromConfig(
  channel: ChannelConfig,
  resolveEntity: (name: string) => string | undefined,
): Channel {
  const parsed = parseChannelId(channel.id);
  if (!parsed) throw new ConfigError(`config/channels.yaml: not a channel id: "${channel.id}"`);
  const subscriptions = channel.subscriptions.map((name) => {
    const entityId = resolveEntity(name);
    if (!entityId)
      throw new ConfigError(`config/channels.yaml: ${channel.id}: subscriptions: unknown company "${name}"`);
    return entityId;
  });
  return {
    id: channel.id,
    ...parsed,
    workspace: channel.workspace,
    schedule: channel.schedule,
    timezone: channel.timezone,
    language: channel.language,
    subscriptions: [...new Set(subscriptions)].sort(),
    nothingNewMessage: channel.nothingNewMessage,
    operations: channel.operations,
  };
}

/**
 * The registry's channels as they will be once config/channels.yaml is seeded, without
 * writing anything (for read-only commands): config settings win, subscriptions are merged.
 * Channels that left config are still listed: only a seed removes them.
 */
export function withConfigChannels(
  registered: readonly Channel[],
  configured: readonly ChannelConfig[],
  resolveEntity: (name: string) => string | undefined,
): Channel[] {
  const byId = new Map(registered.map((c) => [c.id, c]));
  for (const config of configured) {
    const fromConfig = channelFromConfig(config, resolveEntity);
    const current = byId.get(config.id);
    byId.set(config.id, {
      ...(current ?? {}),
      ...fromConfig,
      subscriptions: [...new Set([...(current?.subscriptions ?? []), ...fromConfig.subscriptions])].sort(),
    });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The registry as slash commands see it: a channel config/channels.yaml lists belongs to the
 * workspace config names, whatever Redis holds (it may not be seeded yet, or predate the field),
 * so the first team to use it cannot claim it.
 */
export function withConfigWorkspaces(
  registry: ChannelRegistry,
  configured: readonly Pick<ChannelConfig, 'id' | 'workspace'>[],
): ChannelRegistry {
  const owners = new Map(configured.map((c) => [c.id, c.workspace]));
  const bound = (channel: Channel): Channel => {
    const owner = owners.get(channel.id);
    return owner ? { ...channel, workspace: owner } : channel;
  };
  return {
    ...registry,
    list: async () => (await registry.list()).map(bound),
    get: async (id) => {
      const channel = await registry.get(id);
      return channel && bound(channel);
    },
    ensure: async (id, workspace) => bound(await registry.ensure(id, owners.get(id) ?? workspace)),
  };
}

/**
 * Writes config/channels.yaml into the registry (at start-up, and before `digest` posts): config
 * settings win for the fields it sets, subscriptions are added (those made by slash commands
 * stay). A channel config listed before and no longer lists is removed with its schedule,
 * unless a command added it first (then it stays, as a command-made channel).
 * `resolveEntity` maps a configured name or alias to an entity id.
 */
export async function seedChannelsFromConfig(
  redis: RedisClient,
  prefix: string,
  registry: ChannelRegistry,
  channels: readonly ChannelConfig[],
  resolveEntity: (name: string) => string | undefined,
): Promise<{ removed: string[] }> {
  // Every name is checked before anything is written.
  const wanted = channels.map((channel) => channelFromConfig(channel, resolveEntity));
  const configSet = channelKeys(prefix).config;
  for (const channel of wanted) {
    const key = channelKeys(prefix).channel(channel.id);
    await redis.hsetnx(key, 'origin', 'config');
    await registry.ensure(channel.id);
    await execChecked(
      redis
        .multi()
        .hset(key, {
          ...(channel.workspace ? { workspace: channel.workspace } : {}),
          schedule: channel.schedule,
          timezone: channel.timezone,
          language: channel.language,
          nothingNewMessage: String(channel.nothingNewMessage),
          operations: String(channel.operations),
        })
        .sadd(configSet, channel.id),
    );
    for (const entityId of channel.subscriptions) await registry.subscribe(channel.id, entityId);
  }
  const listed = new Set(wanted.map((c) => c.id));
  const removed: string[] = [];
  for (const id of await redis.smembers(configSet)) {
    if (listed.has(id)) continue;
    if ((await redis.hget(channelKeys(prefix).channel(id), 'origin')) !== 'command') {
      await registry.remove(id);
      removed.push(id);
    }
    await redis.srem(configSet, id);
  }
  return { removed };
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

/** Stored under <prefix>{channels}:channel-health:<id>, next to the channel's settings. */
export async function setChannelHealth(
  redis: RedisClient,
  prefix: string,
  id: string,
  health: { ok: true; at: string } | { ok: false; at: string; error: string },
): Promise<void> {
  const key = channelKeys(prefix).health(id);
  if (health.ok) {
    await execChecked(
      redis.multi().hset(key, { status: 'ok', at: health.at, lastPostAt: health.at }).hdel(key, 'error'),
    );
  } else {
    await redis.hset(key, { status: 'unhealthy', at: health.at, error: health.error });
  }
}

export async function getChannelHealth(
  redis: RedisClient,
  prefix: string,
  id: string,
): Promise<ChannelHealth> {
  const fields = await redis.hgetall(channelKeys(prefix).health(id));
  const status = fields.status === 'ok' || fields.status === 'unhealthy' ? fields.status : 'unknown';
  return {
    status,
    ...(fields.error ? { error: fields.error } : {}),
    ...(fields.at ? { at: fields.at } : {}),
    ...(fields.lastPostAt ? { lastPostAt: fields.lastPostAt } : {}),
  };
}
