/**
 * The ReplayGuard on Redis: shared by every server process of a deployment. While Redis is
 * down (or slow) it falls back to this process's memory, so a command still gets its quick
 * "temporarily unavailable" answer instead of waiting on a queued Redis command.
 */
import type { RedisClient } from '../redis/client.ts';
import { createMemoryReplayGuard, type ReplayGuard } from '../chat/slack/verify.ts';
import { httpKeys } from './keys.ts';

const ANSWER_WITHIN_MS = 500;

export function createRedisReplayGuard(redis: RedisClient, prefix: string): ReplayGuard {
  const local = createMemoryReplayGuard();
  return {
    async firstUse(key, ttlSeconds) {
      // Remembered here too: a replay within this process is caught even when Redis is not.
      const firstHere = await local.firstUse(key, ttlSeconds);
      if (redis.status !== 'ready') return firstHere;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>(
        (resolve) => (timer = setTimeout(() => resolve('late'), ANSWER_WITHIN_MS)),
      );
      try {
        const reply = await Promise.race([
          redis
            .set(httpKeys(prefix).seenRequest(key), '1', 'EX', ttlSeconds, 'NX')
            .catch(() => 'late' as const),
          late,
        ]);
        return reply === 'late' ? firstHere : reply === 'OK' && firstHere;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
