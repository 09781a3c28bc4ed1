/** `aiwatch digest` and `aiwatch channels` as a user runs them, against local Slack and the real Redis. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../src/replay/replay.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { BIN } from '../helpers/aiwatch.ts';
import { slackError, startSlackServer, type ChatServer } from '../helpers/chat-servers.ts';
import { core, seeds } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, REDIS_URL, testPrefix } from '../helpers/redis.ts';
import { channelKeys } from '../../src/channels/keys.ts';

const run = promisify(execFile);
const prefix = testPrefix('notify-cli');
let redis: Redis;
let slack: ChatServer & { apiUrl: string };

function aiwatch(args: string[], extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL,
    AIWATCH_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    ...extra,
  };
  for (const name of ['SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN', 'SLACK_API_URL', 'DISCORD_API_URL'])
    if (!(name in extra)) delete env[name];
  return run('node', [BIN, ...args], { env }).catch(
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const withSlack = () => ({ SLACK_BOT_TOKEN: 'xoxb-cli', SLACK_API_URL: slack.apiUrl });

beforeAll(async () => {
  [redis, slack] = await Promise.all([openTestRedis(), startSlackServer()]);
  // The seeds as if published in the last hours, through the real pipeline into Redis.
  const shift = Date.now() - 3600_000 - Date.parse('2026-04-15T02:00:00Z');
  const recent = seeds().map((item) => ({
    ...item,
    published: new Date(Date.parse(item.published) + shift).toISOString(),
  }));
  await replay(recent, core(), createRedisEventStore(redis, prefix));
});
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
  await slack.close();
});

describe('aiwatch digest and channels', () => {
  it('--dry-run prints what a new channel would get, and registers and posts nothing', async () => {
    const { stdout } = await aiwatch(['digest', '--channel', 'slack:CDRY', '--dry-run'], withSlack());
    expect(stdout).toMatch(/^Japan AI watch for slack:CDRY: 2 new \(in the last 3 days\)\n\n1\. \[NEW\] /);
    expect(stdout).toContain('https://seeds.example/');
    expect(slack.requests).toHaveLength(0);
    expect(await redis.sismember(channelKeys(prefix).all, 'slack:CDRY')).toBe(0);
  });

  it('posts a channel’s digest now, adding the channel with defaults, and says nothing new next time', async () => {
    const first = await aiwatch(['digest', '--channel', 'slack:C0123'], withSlack());
    expect(first.stderr).toContain('slack:C0123 was not registered: added with default settings');
    expect(first.stderr).toContain('aiwatch: digest of slack:C0123 posted to Slack: 2 events in 1 message');
    expect(slack.posts()).toHaveLength(1);
    expect(slack.posts()[0]!.body.channel).toBe('C0123');

    const second = await aiwatch(['digest', '--channel', 'slack:C0123'], withSlack());
    expect(second.stderr.trim()).toBe('aiwatch: nothing new for slack:C0123: nothing posted');
    expect(slack.posts()).toHaveLength(1);
  });

  it('reports a channel Slack does not know in one line, and `channels` shows it unhealthy', async () => {
    slack.script(slackError('channel_not_found'));
    const failed = await aiwatch(['digest', '--channel', 'slack:CGONE'], withSlack());
    expect((failed as { code?: number }).code).toBe(1);
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(
      'aiwatch: digest of slack:CGONE not posted: Slack refused the message: channel_not_found (channel marked unhealthy)',
    );

    const { stdout } = await aiwatch(['channels']);
    expect(stdout).toMatch(/^slack:C0123 {2}healthy, last post \d{4}-\d\d-\d\d \d\d:\d\d JST$/m);
    expect(stdout).toMatch(
      /^slack:CGONE {2}UNHEALTHY since .*: Slack refused the message: channel_not_found$/m,
    );
    // The next digest follows from the schedule, whether or not a service is running.
    expect(stdout).toMatch(/^ {2}digest: "0 9 \* \* \*" in Asia\/Tokyo, next \d{4}-\d\d-\d\d 09:00 JST; /m);
    expect(stdout).toContain('  subscriptions: none');
  });

  it('without a token prints the digest to the console', async () => {
    const { stdout, stderr } = await aiwatch(['digest', '--channel', 'discord:4242']);
    expect(stdout).toMatch(/^Japan AI watch for discord:4242: 2 new/);
    expect(stderr).toContain('posted to the console (no token): 2 events in 1 message');
  });
});
