/** The notifications part on its own, in-process, against the real Redis and BullMQ. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { logger } from '../../src/log.ts';
import { createConsolePoster } from '../../src/notify/console.ts';
import { startNotifications } from '../../src/notify/service.ts';
import { waitFor } from '../helpers/aiwatch.ts';
import { core } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

let redis: Redis;
const prefixes: string[] = [];
const silent = logger.child({}, { level: 'silent' });
const quiet = createConsolePoster(() => {});

beforeAll(async () => {
  redis = await openTestRedis();
});
afterAll(async () => {
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

describe('notify jobs', () => {
  it('fails a job whose payload can never be valid at once, without retries', async () => {
    const prefix = testPrefix('notify-bad-job');
    prefixes.push(prefix);
    const notifications = await startNotifications({
      redis,
      prefix,
      config: loadConfig(),
      core: core(),
      log: silent,
      posters: { slack: quiet, discord: quiet },
    });
    try {
      const jobs = await Promise.all([
        notifications.queue.add('alert', { event: 'no id' }),
        notifications.queue.add('feed-down', { url: '' }),
        notifications.queue.add('digest', {}),
      ]);
      await waitFor(
        async () => (await notifications.queue.getFailedCount()) === 3,
        10_000,
        'three failed jobs',
      );
      for (const added of jobs) {
        const job = (await notifications.queue.getJob(added.id!))!;
        expect(job.attemptsMade).toBe(1);
        expect(job.failedReason).toMatch(/^invalid (alert|feed-down|digest) job: /);
        expect(await job.getState()).toBe('failed');
      }
    } finally {
      await notifications.close();
    }
  });
});
