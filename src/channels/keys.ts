/**
 * Where the channel registry keeps its data in Redis: every key under `<prefix>{channels}:`.
 * The braces are a Redis Cluster hash tag: the whole registry lands in one slot, so adding a
 * channel, a subscription (both directions) or removing a channel is one MULTI on one node.
 *
 *   channel:<id>           hash of settings (`origin`: config or command)
 *   channels               set of channel ids
 *   channels:config        set of the ids config/channels.yaml lists
 *   subs:<id>              set of the entity ids a channel follows
 *   subscribers:<entity>   set of the channel ids following an entity
 *   channel-health:<id>    hash {status, at, error, lastPostAt}
 */
export const CHANNELS_TAG = '{channels}';

export interface ChannelKeys {
  channel(id: string): string;
  all: string;
  config: string;
  subscriptions(id: string): string;
  subscribers(entityId: string): string;
  health(id: string): string;
}

export function channelKeys(prefix: string): ChannelKeys {
  const base = `${prefix}${CHANNELS_TAG}:`;
  return {
    channel: (id) => `${base}channel:${id}`,
    all: `${base}channels`,
    config: `${base}channels:config`,
    subscriptions: (id) => `${base}subs:${id}`,
    subscribers: (entityId) => `${base}subscribers:${entityId}`,
    health: (id) => `${base}channel-health:${id}`,
  };
}
