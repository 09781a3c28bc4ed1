/** The notifications part on its own, in-process, against the real Redis and BullMQ. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisChannelRegistry } from '../../src/channels/registry.ts';
import { loadConfig, type AppConfig } from '../../src/config/index.ts';
import { channelSchema } from '../../src/config/schemas.ts';
import { logger } from '../../src/shared/log.ts';
import { createConsolePoster } from '../../src/chat/console.ts';
import { wireApp } from '../../src/app/app.ts';
import { startNotifications } from '../../src/notify/service.ts';
import { aiwatch, configDir, env, waitFor } from '../helpers/aiwatch.ts';
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
    const app = wireApp({
      redis,
      prefix,
      config: loadConfig(),
      core: core(),
      log: silent,
      posters: { slack: quiet, discord: quiet },
    });
    const notifications = await startNotifications(app);
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
      await app.close();
    }
  });
});

function withChannels(channels: Record<string, unknown>[]): AppConfig {
  const config = loadConfig();
  return {
    ...config,
    channels: {
      ...config.channels,
      channels: channels.map((c) => channelSchema.parse({ workspace: 'T0TEST', ...c })),
    },
  };
}

describe('channels from config/channels.yaml', () => {
  it('`channels` and `digest --dry-run` show the config channels and write nothing to Redis', async () => {
    const prefix = testPrefix('notify-readonly');
    prefixes.push(prefix);
    const dir = configDir([]);
    writeFileSync(
      join(dir, 'channels.yaml'),
      stringify({
        channels: [
          { id: 'slack:CCONF', workspace: 'T0TEST', subscriptions: ['SoftBank'], schedule: '0 8 * * *' },
        ],
      }),
    );
    const quietEnv = env(prefix, { LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: '', DISCORD_BOT_TOKEN: '' });
    const listed = await aiwatch(['channels', '--config', dir], quietEnv);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^slack:CCONF {2}nothing posted yet$/m);
    expect(listed.stdout).toContain('  digest: "0 8 * * *" in Asia/Tokyo');
    expect(listed.stdout).toContain('  subscriptions: SoftBank');
    const dry = await aiwatch(['digest', '--channel', 'slack:CCONF', '--dry-run', '--config', dir], quietEnv);
    expect(dry.code).toBe(0);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('removes a channel dropped from config with its schedule, and keeps channels added by commands', async () => {
    const prefix = testPrefix('notify-removed');
    prefixes.push(prefix);
    const start = (config: AppConfig) =>
      startNotifications(
        wireApp({
          redis,
          prefix,
          config,
          core: core(),
          log: silent,
          posters: { slack: quiet, discord: quiet },
        }),
      );
    const registry = createRedisChannelRegistry(redis, prefix);
    const first = await start(
      withChannels([{ id: 'slack:CKEEP' }, { id: 'slack:CDROP', subscriptions: ['SoftBank'] }]),
    );
    await registry.ensure('slack:CSLASH', 'T1'); // /aiwatch subscribe in another channel
    await registry.subscribe('slack:CSLASH', (await registry.get('slack:CDROP'))!.subscriptions[0]!);
    await first.close();

    const second = await start(withChannels([{ id: 'slack:CKEEP' }]));
    try {
      expect((await registry.list()).map((c) => c.id)).toEqual(['slack:CKEEP', 'slack:CSLASH']);
      const schedulers = await second.queue.getJobSchedulers(0, -1);
      expect(schedulers.map((s) => s.key).sort()).toEqual(['digest-slack-CKEEP', 'digest-slack-CSLASH']);
      const softbank = (await registry.get('slack:CSLASH'))!.subscriptions[0]!;
      expect(await registry.subscribers(softbank)).toEqual(['slack:CSLASH']);
    } finally {
      await second.close();
    }
  });
});
