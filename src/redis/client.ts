/**
 * Key walks that work on one Redis and on a Redis Cluster alike. A Cluster client sends
 * SCAN to one node only, and a command over several keys must keep them in one slot, so
 * on a cluster every master is scanned and its keys are removed one command per key.
 * Types only from ioredis: loading this module does not load the client.
 */
import type { Cluster, Redis } from 'ioredis';
import { execChecked } from './exec.ts';

/** A connection: one Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

export function isCluster(redis: RedisClient): redis is Cluster {
  return (redis as { isCluster?: boolean }).isCluster === true;
}

/** The connections that hold keys: the one Redis, or every master of the cluster. */
export function keyNodes(redis: RedisClient): Redis[] {
  return isCluster(redis) ? redis.nodes('master') : [redis];
}

/**
 * The keys matching `pattern`, a page at a time, each page with the node that holds it
 * (commands on those keys may go to that node directly, in one pipeline).
 */
export async function* scanKeys(
  redis: RedisClient,
  pattern: string,
  count = 1000,
): AsyncGenerator<{ node: Redis; keys: string[] }> {
  for (const node of keyNodes(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length) yield { node, keys };
    } while (cursor !== '0');
  }
}

/** Removes every key under `prefix`. */
export async function deleteByPrefix(redis: RedisClient, prefix: string): Promise<void> {
  for await (const { node, keys } of scanKeys(redis, `${prefix}*`)) {
    if (!isCluster(redis)) {
      await node.unlink(...keys);
      continue;
    }
    const pipeline = node.pipeline();
    for (const key of keys) pipeline.unlink(key);
    await execChecked(pipeline);
  }
}
