/**
 * `aiwatch digest --dry-run` with and without a model, as a user runs it: the model's
 * headlines and summaries are shown with how they were obtained; the key is never printed;
 * half a configuration is one line naming what is missing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../src/replay/replay.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { BIN } from '../helpers/aiwatch.ts';
import { core, seeds } from '../helpers/fixtures.ts';
import { startModelServer, type ModelServer } from '../helpers/llm-server.ts';
import { cleanup, openTestRedis, REDIS_URL, testPrefix } from '../helpers/redis.ts';

const run = promisify(execFile);
const prefix = testPrefix('llm-cli');
const KEY = 'sk-cli-secret-0123';
let redis: Redis;
let model: ModelServer;

function aiwatch(args: string[], extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL, AIWATCH_PREFIX: prefix, LOG_LEVEL: 'silent' };
  for (const name of Object.keys(env)) if (/^(SLACK|DISCORD|AIWATCH_LLM)_/.test(name)) delete env[name];
  return run('node', [BIN, ...args], { env: { ...env, ...extra } }).catch(
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

beforeAll(async () => {
  [redis, model] = await Promise.all([openTestRedis(), startModelServer()]);
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
  await model.close();
});

describe('aiwatch digest --dry-run', () => {
  it('without a model: the articles’ own headlines, no model line', async () => {
    const { stdout } = await aiwatch(['digest', '--channel', 'slack:CPLAIN', '--dry-run']);
    expect(stdout).toMatch(/^Japan AI watch for slack:CPLAIN: 2 new/);
    expect(stdout).not.toMatch(/Model |machine-written/);
  });

  it('with a model: what it wrote, and how many texts were written or cached', async () => {
    const withModel = {
      AIWATCH_LLM_URL: model.url,
      AIWATCH_LLM_MODEL: 'cli-model',
      AIWATCH_LLM_API_KEY: KEY,
    };
    const first = await aiwatch(['digest', '--channel', 'slack:CMODEL', '--dry-run'], withModel);
    expect(first.stdout).toContain('Summary (machine-written): A summary of');
    expect(first.stdout).toMatch(/^Model cli-model: 2 written$/m);
    const again = await aiwatch(['digest', '--channel', 'slack:CMODEL', '--dry-run'], withModel);
    expect(again.stdout).toMatch(/^Model cli-model: 2 cached$/m);
    for (const out of [first, again]) expect(`${out.stdout}${out.stderr}`).not.toContain(KEY);
    expect(model.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('half a configuration is one line saying what is missing', async () => {
    const result = await aiwatch(['digest', '--channel', 'slack:CHALF', '--dry-run'], {
      AIWATCH_LLM_URL: model.url,
    });
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr.trim()).toMatch(
      /^aiwatch: AIWATCH_LLM_URL and AIWATCH_LLM_MODEL go together: set both, or neither$/,
    );
  });
});
