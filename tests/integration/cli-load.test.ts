/** Commands load lazily: each one imports only the chat and queue libraries it uses. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/shared/paths.ts';
import { env } from '../helpers/aiwatch.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const run = promisify(execFile);
const MAIN = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
const HOOK = join(import.meta.dirname, '..', 'helpers', 'load-trace', 'register.mjs');
const HEAVY = ['bullmq', 'discord.js', '@slack/bolt', '@slack/web-api', 'ioredis', 'pino', 'prom-client'];

const prefix = testPrefix('cli-load');
let redis: Redis;
beforeAll(async () => {
  redis = await openTestRedis();
});
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
});

/**
 * The heavy packages a run of `aiwatch ...args` imported. Every command parses its arguments with
 * commander, so a trace without it means the trace (or the command) failed: the test fails then.
 */
async function heavyLoaded(args: string[], expectExit = 0): Promise<string[]> {
  const trace = join(mkdtempSync(join(tmpdir(), 'aiwatch-trace-')), 'packages');
  writeFileSync(trace, '');
  const code = await run('node', ['--import', HOOK, MAIN, ...args], {
    env: { ...env(prefix), LOAD_TRACE_FILE: trace },
  }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  expect(code, `aiwatch ${args.join(' ')} exit code`).toBe(expectExit);
  const loaded = new Set(readFileSync(trace, 'utf8').split('\n'));
  expect([...loaded], `the trace of aiwatch ${args.join(' ')}`).toContain('commander');
  return HEAVY.filter((name) => loaded.has(name));
}

describe('what each command loads', () => {
  it('--help and --version load no library but commander', async () => {
    expect(await heavyLoaded(['--help'])).toEqual([]);
    expect(await heavyLoaded(['--version'])).toEqual([]);
  });

  it('replay with the memory store loads neither a queue, a chat client nor Redis', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aiwatch-items-')), 'items.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: '1', url: 'https://x.example/1', lang: 'en', published: '2026-04-01T00:00:00Z', title: 'SoftBank builds an AI data centre in Hokkaido' })}\n`,
    );
    expect(await heavyLoaded(['replay', file])).toEqual([]);
  });

  it('poll, events, feeds and channels load no chat client', async () => {
    for (const args of [
      ['poll', '--once', '--feed', 'http://127.0.0.1:1/x.xml'],
      ['events'],
      ['feeds'],
      ['channels'],
    ]) {
      const loaded = await heavyLoaded(args);
      // They all read Redis: the trace sees what a command really loads.
      expect(loaded, args.join(' ')).toContain('ioredis');
      expect(loaded, args.join(' ')).not.toContain('discord.js');
      expect(loaded, args.join(' ')).not.toContain('@slack/bolt');
      expect(loaded, args.join(' ')).not.toContain('@slack/web-api');
      if (args[0] !== 'poll') expect(loaded, args.join(' ')).not.toContain('bullmq');
    }
  });
});
