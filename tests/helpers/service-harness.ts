/**
 * What the in-process service tests share: the real Redis, a local feed server and a
 * local Slack Web API the service posts to (SLACK_API_URL), a silent logger, a service
 * closed after each test, and every key prefix removed at the end.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loadConfig, type AppConfig, type FeedConfig } from '../../src/config/index.ts';
import { channelSchema } from '../../src/config/schemas.ts';
import { logger } from '../../src/shared/log.ts';
import type { Service } from '../../src/service/service.ts';
import { wireApp, type App } from '../../src/app/app.ts';
import { startSlackServer, type ChatServer } from './chat-servers.ts';
import { startFeedServer, type FeedServer } from './feed-server.ts';
import { cleanup, openTestRedis, testPrefix } from './redis.ts';

export interface ServiceHarness {
  redis: Redis;
  feeds: FeedServer;
  slack: ChatServer & { apiUrl: string };
  /** Set by a test; closed after it. */
  service: Service | undefined;
  silent: typeof logger;
  /** A fresh key prefix, removed after the file. */
  prefix(name: string): string;
  /** The App wired on a test's connection (src/app), closed after the test. */
  app(options: Parameters<typeof wireApp>[0]): App;
}

export function useServiceHarness(): ServiceHarness {
  const prefixes: string[] = [];
  const savedEnv = { ...process.env };
  const harness = {
    service: undefined,
    silent: logger.child({}, { level: 'silent' }),
    prefix(name: string) {
      const prefix = testPrefix(name);
      prefixes.push(prefix);
      return prefix;
    },
    app(options: Parameters<typeof wireApp>[0]) {
      const app = wireApp(options);
      apps.push(app);
      return app;
    },
  } as ServiceHarness;
  const apps: App[] = [];
  beforeAll(async () => {
    [harness.redis, harness.feeds, harness.slack] = await Promise.all([
      openTestRedis(),
      startFeedServer(),
      startSlackServer(),
    ]);
    for (const name of Object.keys(process.env))
      if (/^(SLACK_|DISCORD_)/.test(name)) delete process.env[name];
    process.env.PORT = '0';
    process.env.SLACK_BOT_TOKEN = 'xoxb-test';
    process.env.SLACK_API_URL = harness.slack.apiUrl;
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await harness.service?.close();
    harness.service = undefined;
    harness.slack.reset();
  });
  afterAll(async () => {
    process.env = savedEnv;
    await Promise.all([harness.feeds.close(), harness.slack.close()]);
    for (const prefix of prefixes) await cleanup(harness.redis, prefix);
    harness.redis.disconnect();
  });
  return harness;
}

/** The real config with one feed, the given channels (in workspace T0TEST unless they say) and worker settings. */
export function testConfig(
  feed: FeedConfig,
  channels: Record<string, unknown>[],
  worker: Partial<AppConfig['settings']['worker']> = {},
): AppConfig {
  const config = loadConfig();
  return {
    ...config,
    feeds: { ...config.feeds, feeds: [feed] },
    channels: {
      ...config.channels,
      channels: channels.map((c) => channelSchema.parse({ workspace: 'T0TEST', ...c })),
    },
    settings: {
      ...config.settings,
      // Generous for local servers on a loaded machine; a test that wants a timeout sets its own.
      worker: { ...config.settings.worker, fetchTimeoutMs: 10_000, connectTimeoutMs: 5000, ...worker },
    },
  };
}

export const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
