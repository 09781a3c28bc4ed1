/** The ReplayGuard on Redis: shared by every server process of a deployment. */
import type { Redis } from 'ioredis';
import type { ReplayGuard } from '../chat/slack/verify.ts';

export function createRedisReplayGuard(redis: Redis, prefix: string): ReplayGuard {
  return {
    async firstUse(key, ttlSeconds) {
      return (await redis.set(`${prefix}seen-request:${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
  };
}
