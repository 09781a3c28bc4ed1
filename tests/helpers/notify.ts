/** A notification set-up for tests: real Redis (own prefix), local Slack/Discord servers, an editable event store. */
import type { Redis } from 'ioredis';
import { createRedisChannelRegistry } from '../../src/channels/registry.ts';
import type { EventRecord, StoredItem } from '../../src/core/types.ts';
import { logger } from '../../src/shared/log.ts';
import type { NotifyDeps } from '../../src/notify/digest-run.ts';
import { postersFromEnv } from '../../src/chat/posters.ts';
import { replay } from '../../src/replay/replay.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import type { EventStore } from '../../src/store/types.ts';
import type { ChatServer } from './chat-servers.ts';
import { core, seeds } from './fixtures.ts';

/** Events and items held in maps, so a test can add or grow an event. */
export interface EditableStore extends EventStore {
  events: Map<string, EventRecord>;
  items: Map<string, StoredItem>;
}

export function editableStore(events: EventRecord[], items: StoredItem[]): EditableStore {
  const byId = new Map(events.map((e) => [e.id, e]));
  const itemsById = new Map(items.map((i) => [i.id, i]));
  const unsupported = () => Promise.reject(new Error('not used by notifications'));
  return {
    events: byId,
    items: itemsById,
    findDuplicate: unsupported,
    findCandidates: unsupported,
    commit: unsupported,
    countEvents: async () => byId.size,
    getEvent: async (id) => byId.get(id) ?? null,
    getItems: async (ids) => ids.map((id) => itemsById.get(id)).filter((i): i is StoredItem => !!i),
    listEvents: async (options = {}) =>
      [...byId.values()]
        .filter((e) => !options.since || e.updatedAt >= options.since)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
  };
}

/** The seeds replayed through the real pipeline: two events, one with four outlets. */
export async function seedStore(): Promise<EditableStore> {
  const memory = createMemoryStore();
  await replay(seeds(), core(), memory);
  const events = await memory.listEvents();
  return editableStore(events, await memory.getItems(events.flatMap((e) => e.itemIds)));
}

export const SEEDS_NOW = new Date('2026-04-15T06:00:00.000Z');

export function testDeps(
  redis: Redis,
  prefix: string,
  store: EventStore,
  servers: { slack: ChatServer & { apiUrl: string }; discord: ChatServer & { apiUrl: string } },
  over: Partial<NotifyDeps> = {},
): NotifyDeps {
  const c = core();
  const silent = logger.child({});
  silent.level = 'silent';
  return {
    redis,
    prefix,
    store,
    registry: createRedisChannelRegistry(redis, prefix),
    nameOf: (id) => c.registry.nameOf(id),
    settings: { maxAgeDays: 3, maxEvents: 20 },
    posters: postersFromEnv(
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: servers.slack.apiUrl,
        DISCORD_BOT_TOKEN: 'discord-test',
        DISCORD_API_URL: servers.discord.apiUrl,
        DISCORD_WEBHOOK_555: `https://discord.com/api/webhooks/77/webhook-token`,
      },
      {
        slackRetry: { retries: 2, minTimeout: 10, maxTimeout: 20 },
        discordRetry: { retries: 2, baseMs: 10 },
        logger: silent,
      },
    ),
    log: silent,
    now: () => SEEDS_NOW,
    ...over,
  };
}
