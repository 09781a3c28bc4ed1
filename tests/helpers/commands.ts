/** A Redis store filled with the devset through the real pipeline, indexed for search, and the command deps over it. */
import type { Redis } from 'ioredis';
import { createRedisChannelRegistry } from '../../src/channels/registry.ts';
import type { CommandDeps, Invocation } from '../../src/slash/types.ts';
import { replay } from '../../src/replay/replay.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { withSearchIndex } from '../../src/search/indexed-store.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { core, devset, seeds } from './fixtures.ts';

export async function devsetDeps(redis: Redis, prefix: string, admins: CommandDeps['admins'] = 'anyone') {
  const c = core();
  const search = createSearchIndex(redis, prefix);
  const store = withSearchIndex(createRedisEventStore(redis, prefix), search);
  await replay([...devset(), ...seeds()], c, store);
  const deps: CommandDeps = {
    store,
    search,
    channels: createRedisChannelRegistry(redis, prefix),
    entities: c.registry,
    admins,
  };
  return { deps, core: c };
}

export const slackUser = (over: Partial<Invocation> = {}): Invocation => ({
  platform: 'slack',
  channelId: 'C0TEST1',
  workspace: 'T0TEAM1',
  userId: 'U0USER1',
  ...over,
});

/** The same deps with a store that takes `ms` longer to list events: a slow answer, deterministically. */
export function slowed(deps: CommandDeps, ms: number): CommandDeps {
  const store = Object.create(deps.store) as CommandDeps['store'];
  store.listEvents = async (options) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return deps.store.listEvents(options);
  };
  return { ...deps, store };
}
