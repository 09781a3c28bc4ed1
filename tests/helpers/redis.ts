/** Each suite gets the real Redis under its own key prefix, removed afterwards. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteByPrefix } from '../../src/cli/context.ts';
import { storeKeys } from '../../src/store/keys.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testPrefix(name: string): string {
  return `aiwatch-test:${name}:${randomUUID().slice(0, 8)}:`;
}

export async function openTestRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  await redis.ping();
  return redis;
}

export async function cleanup(redis: Redis, prefix: string): Promise<void> {
  await deleteByPrefix(redis, prefix);
}

/** How many items are stored under the prefix (what a user could look up), counted by their keys. */
export async function storedItemCount(redis: Redis, prefix: string): Promise<number> {
  let count = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', storeKeys(prefix).itemPattern, 'COUNT', 5000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}
