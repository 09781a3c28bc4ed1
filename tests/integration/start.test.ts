/** `aiwatch start` (`npm start`) as a user runs it: the worker with its HTTP server, or one line without Redis. */
import { appendFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRss2 } from '../../src/feeds/local.ts';
import {
  aiwatch,
  configDir,
  env,
  jsonLines,
  spawnAiwatch,
  syntheticItems,
  waitFor,
} from '../helpers/aiwatch.ts';
import { send, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { cleanup, openTestRedis, testPrefix, storedItemCount } from '../helpers/redis.ts';

let redis: Redis;
let feeds: FeedServer;
const prefixes: string[] = [];
const newPrefix = (name: string) => {
  const prefix = testPrefix(name);
  prefixes.push(prefix);
  return prefix;
};
/** No chat secrets from the environment running the tests. */
const noChat = {
  SLACK_SIGNING_SECRET: '',
  DISCORD_PUBLIC_KEY: '',
  SLACK_BOT_TOKEN: '',
  DISCORD_BOT_TOKEN: '',
};

beforeAll(async () => {
  [redis, feeds] = await Promise.all([openTestRedis(), startFeedServer()]);
});
afterAll(async () => {
  await feeds.close();
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function feedDir(path: string, count: number) {
  const host = `${path.slice(1, -4)}.example`;
  feeds.route(path, send(toRss2(host, syntheticItems(count, host, host))));
  return configDir([{ name: host, url: feeds.url(path), lang: 'en' }]);
}

describe('aiwatch start', () => {
  it('serves /healthz on settings.server.port next to the worker, with no PORT and no chat secret set', async () => {
    const prefix = newPrefix('start-http');
    const port = await freePort();
    const dir = feedDir('/served.xml', 10);
    appendFileSync(join(dir, 'settings.yaml'), `server:\n  port: ${port}\n`);
    const child = spawnAiwatch(['start', '--config', dir], env(prefix, { PORT: '', ...noChat }));
    try {
      await waitFor(
        () => jsonLines(child.stderr()).some((l) => l.msg === 'command server listening' && l.port === port),
        15_000,
        'the server to listen',
      );
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', slack: 'off', discord: 'off' });
      await waitFor(async () => (await storedItemCount(redis, prefix)) === 10, 15_000, 'items stored');
    } finally {
      child.process.kill('SIGTERM');
    }
    expect(await child.exited).toBe(0);
  });

  it('keeps the worker running without the server when the port is taken, with one warning', async () => {
    const prefix = newPrefix('start-busy');
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const { port } = taken.address() as AddressInfo;
    const child = spawnAiwatch(
      ['start', '--config', feedDir('/busy.xml', 20)],
      env(prefix, { PORT: String(port), ...noChat }),
    );
    try {
      await waitFor(async () => (await storedItemCount(redis, prefix)) === 20, 15_000, 'items stored');
      const warnings = jsonLines(child.stderr()).filter((l) => /already in use/.test(String(l.msg)));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, port });
      expect(child.stderr()).not.toMatch(/command server listening/);
    } finally {
      child.process.kill('SIGTERM');
      await new Promise((resolve) => taken.close(resolve));
    }
    expect(await child.exited).toBe(0);
  });

  it('says in exactly one line that no Redis answers, and exits non-zero', async () => {
    const { code, stdout, stderr } = await aiwatch(
      ['start', '--config', feedDir('/nored.xml', 1)],
      env(newPrefix('start-no-redis'), { REDIS_URL: 'redis://127.0.0.1:1', PORT: '0', ...noChat }),
    );
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^aiwatch: no Redis answers at redis:\/\/127\.0\.0\.1:1: /);
  });
});
