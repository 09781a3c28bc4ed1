/**
 * Where the event store keeps its data in Redis: every key under `<prefix>{store}:`. The braces
 * are a Redis Cluster hash tag: every key of the store lands in one slot, so a commit touching
 * an item, its event, the indexes and the merged events' aliases runs on one node.
 *
 *   item:<id>          JSON of a stored item       url:<key>, guid:<key> → item id
 *                      (an irrelevant item and its markers expire after retention.irrelevantItemsDays)
 *   event:<id>         JSON of an event, without its profile
 *   prof:<id>          JSON {lastSeen, profile}: all that scoring a candidate needs
 *   idx:<key>          zset event id → lastSeen ms (the candidate index; only recent events)
 *   iv:<key>           version of an index key (bumped when a new event appears under it)
 *   ver                hash of event versions (e:<event id>)
 *   events:updated     zset event id → updatedAt ms
 *   company:<id>       zset event id → updatedAt ms
 *   alias:<id>         → the event a merged event was folded into
 *   retention:lock     held by the process sweeping old events
 */
export const STORE_TAG = '{store}';

export interface StoreKeys {
  item(id: string): string;
  url(urlKey: string): string;
  guid(guidKey: string): string;
  event(id: string): string;
  profile(id: string): string;
  index(key: string): string;
  indexVersion(key: string): string;
  /** Hash of event versions. */
  versions: string;
  /** Every event by updatedAt. */
  updated: string;
  company(id: string): string;
  alias(id: string): string;
  retentionLock: string;
  /** A SCAN pattern of every stored item. */
  itemPattern: string;
}

export function storeKeys(prefix: string): StoreKeys {
  const base = `${prefix}${STORE_TAG}:`;
  return {
    item: (id) => `${base}item:${id}`,
    url: (urlKey) => `${base}url:${urlKey}`,
    guid: (guidKey) => `${base}guid:${guidKey}`,
    event: (id) => `${base}event:${id}`,
    profile: (id) => `${base}prof:${id}`,
    index: (key) => `${base}idx:${key}`,
    indexVersion: (key) => `${base}iv:${key}`,
    versions: `${base}ver`,
    updated: `${base}events:updated`,
    company: (id) => `${base}company:${id}`,
    alias: (id) => `${base}alias:${id}`,
    retentionLock: `${base}retention:lock`,
    itemPattern: `${base}item:*`,
  };
}
