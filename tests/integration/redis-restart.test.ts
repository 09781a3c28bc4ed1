import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRss2 } from '../../src/feeds/local.ts';
import { bullPrefix } from '../../src/redis/queue-prefix.ts';
import { configDir, env, spawnAiwatch, syntheticItems, waitFor } from '../helpers/aiwatch.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { testPrefix, storedItemCount } from '../helpers/redis.ts';
import { storeKeys } from '../../src/store/keys.ts';

/** A private Redis with AOF on a free port: restarting the shared one would break other suites. */
let port: number;
let dataDir: string;
let redisProcess: ChildProcess | undefined;
let server: FeedServer;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

async function startRedis(): Promise<void> {
  redisProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dataDir,
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => {});
  await waitFor(
    () =>
      probe.connect().then(
        () => probe.ping().then(() => true),
        () => false,
      ),
    5000,
    'Redis to start',
  );
  probe.disconnect();
}

async function stopRedis(): Promise<void> {
  const exited = new Promise((resolve) => redisProcess?.once('exit', resolve));
  redisProcess?.kill('SIGTERM'); // shutdown: the AOF is flushed
  await exited;
}

beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'aiwatch-redis-'));
  await startRedis();
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
  redisProcess?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Redis restarted under a running poll --once', () => {
  it('reconnects by itself, finishes, and stores every item exactly once', async () => {
    const fast = syntheticItems(800, 'Fast', 'fast.example');
    const slow = syntheticItems(200, 'Slow', 'slow.example');
    server.route('/fast.xml', (_req, res) => void res.writeHead(200).end(toRss2('Fast', fast)));
    // The slow feed answers only after the restart, so its items are queued against the new server.
    server.route(
      '/slow.xml',
      (_req, res) => void setTimeout(() => res.writeHead(200).end(toRss2('Slow', slow)), 2500),
    );
    const dir = configDir(
      [
        { name: 'Fast', url: server.url('/fast.xml'), lang: 'en' },
        { name: 'Slow', url: server.url('/slow.xml'), lang: 'en' },
      ],
      { maxItemsPerPoll: 1000, fetchTimeoutMs: 10_000, concurrency: 4 },
    );
    const prefix = testPrefix('redis-restart');
    const redisUrl = `redis://127.0.0.1:${port}`;
    const poll = spawnAiwatch(['poll', '--once', '--config', dir], env(prefix, { REDIS_URL: redisUrl }));
    let stdout = '';
    poll.process.stdout?.removeAllListeners('data');
    poll.process.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));

    const check = new Redis(redisUrl, { maxRetriesPerRequest: null });
    check.on('error', () => {});
    await waitFor(async () => (await storedItemCount(check, prefix)) >= 50, 15_000, 'the first items stored');
    await stopRedis();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await startRedis();

    expect(await poll.exited).toBe(0);
    expect(stdout).toMatch(/^feeds: 2 ok, 0 not modified, 0 failed$/m);
    expect(await storedItemCount(check, prefix)).toBe(1000);
    const failedJobs = await check.zcard(`${bullPrefix(prefix)}:items:failed`);
    expect(failedJobs).toBe(0);

    // Nothing is processed again: every item is already stored.
    const again = spawnAiwatch(['poll', '--once', '--config', dir], env(prefix, { REDIS_URL: redisUrl }));
    let secondOut = '';
    again.process.stdout?.removeAllListeners('data');
    again.process.stdout?.on('data', (chunk: Buffer) => (secondOut += chunk.toString()));
    expect(await again.exited).toBe(0);
    expect(secondOut).toMatch(/^items: 0 new, 1000 duplicate/m);
    check.disconnect();
  });
});

describe('Redis restarted under a running start worker', () => {
  it('reconnects by itself, keeps processing, and stores every item exactly once', async () => {
    const early = syntheticItems(600, 'Early', 'early.example');
    const late = syntheticItems(300, 'Late', 'late.example');
    server.route('/early.xml', (_req, res) => void res.writeHead(200).end(toRss2('Early', early)));
    // Answers only after the restart: its items are queued and processed against the new server.
    server.route(
      '/late.xml',
      (_req, res) => void setTimeout(() => res.writeHead(200).end(toRss2('Late', late)), 2500),
    );
    const dir = configDir(
      [
        { name: 'Early', url: server.url('/early.xml'), lang: 'en' },
        { name: 'Late', url: server.url('/late.xml'), lang: 'en' },
      ],
      { maxItemsPerPoll: 1000, fetchTimeoutMs: 10_000, concurrency: 4 },
    );
    const prefix = testPrefix('start-restart');
    const redisUrl = `redis://127.0.0.1:${port}`;
    const worker = spawnAiwatch(['start', '--config', dir], env(prefix, { REDIS_URL: redisUrl, PORT: '0' }));
    const check = new Redis(redisUrl, { maxRetriesPerRequest: null });
    check.on('error', () => {});
    try {
      await waitFor(
        async () => (await storedItemCount(check, prefix)) >= 50,
        15_000,
        'the first items stored',
      );
      await stopRedis();
      // Long enough for every connection to retry many times.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await startRedis();

      await waitFor(
        async () => (await storedItemCount(check, prefix)) === 900,
        30_000,
        'every item stored after the restart',
      );
      expect(await check.zcard(`${bullPrefix(prefix)}:items:failed`)).toBe(0);
      const ids = await check.zrange(storeKeys(prefix).updated, 0, -1);
      const events = await Promise.all(ids.map((id) => check.get(storeKeys(prefix).event(id))));
      const inEvents = events.flatMap((json) => (JSON.parse(json ?? '{}') as { itemIds: string[] }).itemIds);
      expect(new Set(inEvents).size).toBe(inEvents.length);
      expect(inEvents).toHaveLength(900 / 5); // every fifth synthetic item is relevant
    } finally {
      worker.process.kill('SIGTERM');
      check.disconnect();
    }
    expect(await worker.exited).toBe(0);
    // The outage is one warning and one line when it is over, with its length; no line per retry.
    const lines = worker.stderr().split('\n');
    expect(lines.filter((l) => /Redis connection lost/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /Redis connection back after \d+\.\d s/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /connection problem|queue problem/.test(l))).toHaveLength(0);
  });
});

describe('aiwatch serve with Redis not answering', () => {
  it('still exits on SIGTERM', async () => {
    const prefix = testPrefix('serve-down');
    const child = spawnAiwatch(['serve'], env(prefix, { REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' }));
    await waitFor(() => /"port":\d+/.test(child.stderr()), 10_000, 'the server to listen');
    // A frozen server (or a network partition): the connection stays open, nothing answers.
    redisProcess?.kill('SIGSTOP');
    try {
      const stoppedAt = Date.now();
      child.process.kill('SIGTERM');
      const code = await Promise.race([
        child.exited,
        new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 10_000)),
      ]);
      if (code === 'still running') child.process.kill('SIGKILL');
      expect(code).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    } finally {
      redisProcess?.kill('SIGCONT');
    }
  });
});
