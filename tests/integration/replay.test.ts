import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { replay } from '../../src/replay/replay.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { core, devset, FIXTURES, seeds } from '../helpers/fixtures.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'aiwatch.js');

describe('replay over the seeds', () => {
  let redis: Redis;
  const prefix = testPrefix('replay');
  beforeAll(async () => {
    redis = await openTestRedis();
  });
  afterAll(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('finds all five relevant and makes exactly two events: {001..004} and {000}', async () => {
    const lines = await replay(seeds(), core(), createMemoryStore());
    expect(lines.every((l) => l.relevant)).toBe(true);
    const eventOf = Object.fromEntries(lines.map((l) => [l.id, l.event]));
    expect(new Set([eventOf['001'], eventOf['002'], eventOf['003'], eventOf['004']]).size).toBe(1);
    expect(eventOf['000']).not.toBe(eventOf['001']);
    expect(lines.find((l) => l.id === '000')?.reasons.join(' ')).toMatch(/Mitsubishi Heavy Industries/);
  });

  it('gives identical output with the Redis store', async () => {
    const memory = await replay(seeds(), core(), createMemoryStore());
    const viaRedis = await replay(seeds(), core(), createRedisEventStore(redis, prefix));
    expect(viaRedis).toEqual(memory);
  });

  it('gives identical output on the devset with the memory and the Redis store', async () => {
    const memory = await replay(devset(), core(), createMemoryStore());
    const viaRedis = await replay(devset(), core(), createRedisEventStore(redis, `${prefix}devset:`));
    expect(viaRedis).toEqual(memory);
    expect(new Set(memory.filter((l) => l.relevant).map((l) => l.event)).size).toBeGreaterThan(15);
  });

  it('is the same through the CLI with either store, one JSON line per item; a syndicated copy under the same URL joins its original', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiwatch-replay-'));
    const file = join(dir, 'seeds-with-copy.jsonl');
    const seedLines = readFileSync(join(FIXTURES, 'seeds.jsonl'), 'utf8').trim().split('\n');
    const copy = {
      ...JSON.parse(seedLines[1]!),
      id: 'copy-of-001',
      url: `${JSON.parse(seedLines[1]!).url}/?utm_source=rss`,
    };
    writeFileSync(file, [...seedLines, JSON.stringify(copy)].join('\n'));
    const parse = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .map(
          (l) => JSON.parse(l) as { id: string; relevant: boolean; event: string | null; reasons: string[] },
        );
    const memory = parse((await run('node', [BIN, 'replay', file])).stdout);
    const viaRedis = parse((await run('node', [BIN, 'replay', file, '--store', 'redis'])).stdout);
    expect(memory).toHaveLength(6);
    expect(Object.keys(memory[0]!).sort()).toEqual(['event', 'id', 'reasons', 'relevant']);
    expect(viaRedis).toEqual(memory);
    const byId = new Map(memory.map((l) => [l.id, l]));
    expect(byId.get('copy-of-001')?.event).toBe(byId.get('001')?.event);
    expect(byId.get('copy-of-001')?.reasons[0]).toMatch(/duplicate/);
    expect(memory.map((l) => l.event).filter((e, i, a) => e && a.indexOf(e) === i)).toHaveLength(2);
  });

  it('says in one line what is wrong with a bad input file', async () => {
    const error = await run('node', [BIN, 'replay', join(FIXTURES, 'does-not-exist.jsonl')]).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr.trim().split('\n')).toHaveLength(1);
  });
});
