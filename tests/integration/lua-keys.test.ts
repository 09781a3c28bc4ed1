/**
 * The scripts touch only the keys they are given, and the keys of one call share a hash tag:
 * watched with MONITOR on the real Redis while dedupe (commits, candidates), merges, the search
 * index, deliveries and feed health run. Every command a script runs is shown after the script's
 * EVAL/EVALSHA (scripts are atomic, so nothing else comes in between); COMMAND GETKEYS names the
 * keys of each, which must all be among the script's KEYS. That is what a Redis Cluster needs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luaFiles, SRC } from '../helpers/lua-files.ts';
import type { ChatPoster } from '../../src/chat/poster.ts';
import type { FeedItem } from '../../src/core/types.ts';
import { createFeedHealthStore } from '../../src/feeds/health.ts';
import { deliverOnce } from '../../src/notify/delivery.ts';
import { notifyKeys } from '../../src/notify/keys.ts';
import { processItem, type PipelineDeps } from '../../src/pipeline/process-item.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { withSearchIndex } from '../../src/search/indexed-store.ts';
import { textTerms } from '../../src/search/terms.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { core, devset } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, REDIS_URL, testPrefix } from '../helpers/redis.ts';

/** The hash tag Redis Cluster places a key by: the first non-empty {…}, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

interface ScriptCall {
  /** The script's sha1 (EVALSHA), or null for an EVAL of the source. */
  sha: string | null;
  keys: string[];
  commands: string[][];
}

const byId = new Map(devset().map((item) => [item.id, item]));
const item = (id: string): FeedItem => byId.get(id)!;
/** merge-redis.test.ts's story: split in two events until the bridging article merges them. */
const STORY = ['d0080', 'd0151', 'd0059', 'd0114', 'd0077'];

describe('Lua scripts on the real Redis', () => {
  let redis: Redis;
  let monitor: Socket;
  const prefix = testPrefix('lua-keys');
  const calls: ScriptCall[] = [];

  beforeAll(async () => {
    redis = await openTestRedis();
    // MONITOR on a plain socket: ioredis' monitor() can take a line for a reply under load.
    const url = new URL(REDIS_URL);
    monitor = connect(Number(url.port || 6379), url.hostname);
    let current: ScriptCall | null = null;
    let buffered = '';
    let ready: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    monitor.setEncoding('latin1');
    monitor.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\r\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === '+OK') ready();
        // +<time> [<db> <source>] "arg" "arg" …
        const match = /^\+[\d.]+ \[\d+ (\S+)\] "(.*)"$/.exec(line);
        if (!match) continue;
        const [, source, quoted] = match;
        const args = quoted!.split('" "').map((arg) => arg.replace(/\\"/g, '"'));
        const name = args[0]?.toLowerCase();
        if (source === 'lua') {
          current?.commands.push(args);
          continue;
        }
        current = null;
        if ((name !== 'evalsha' && name !== 'eval') || !args.some((a) => a.startsWith(prefix))) continue;
        const count = Number(args[2]);
        current = { sha: name === 'evalsha' ? args[1]! : null, keys: args.slice(3, 3 + count), commands: [] };
        calls.push(current);
      }
    });
    monitor.write('MONITOR\r\n');
    await started;
  });
  afterAll(async () => {
    monitor.destroy();
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('every key a script touches is one of its KEYS, all under one hash tag', async () => {
    // Dedupe and merges, with the search index following every commit (index, absorb).
    const c = core();
    const deps: PipelineDeps = {
      ...c,
      store: withSearchIndex(createRedisEventStore(redis, prefix), createSearchIndex(redis, prefix)),
    };
    const statuses = [];
    for (const id of [
      ...STORY,
      ...devset()
        .slice(0, 40)
        .map((i) => i.id),
    ])
      statuses.push((await processItem(item(id), deps)).status);
    expect(statuses).toContain('new-event');
    const search = createSearchIndex(redis, prefix);
    // A second merge of postings, by its sha this time (the story's merge may be this connection's first).
    const [survivor, absorbed] = await deps.store.listEvents({ limit: 2 });
    await search.absorb(survivor!, [absorbed!.id]);
    await search.search(textTerms('AI'), { offset: 0, limit: 5 });
    await search.search([...textTerms('AI'), ...textTerms('Japan')], { offset: 0, limit: 5 });

    // Two digest deliveries (claim, progress, finish with its effects) and a failed one.
    const poster: ChatPoster<string> = {
      kind: 'test',
      renderDigest: () => [],
      renderAlert: () => [],
      renderNotice: (text) => [text],
      post: async (_channel, message) => {
        if (message === 'fails') throw new Error('refused');
      },
      idempotentResend: () => false,
      verify: async () => 'test',
    };
    const k = notifyKeys(prefix);
    for (const window of ['digest:a', 'digest:b', 'digest:c'])
      await deliverOnce(
        { redis, prefix },
        {
          channel: 'slack:CLUA',
          platformChannel: 'CLUA',
          key: window,
          messages: window === 'digest:c' ? ['fails'] : ['one', 'two'],
          effects: {
            hset: [
              [k.digestMark('slack:CLUA'), 'at', window],
              [k.digestShown('slack:CLUA'), 'e-1', `1|${window}`],
            ],
          },
        },
        poster,
      );

    // A feed failing long enough to be reported, twice.
    const health = createFeedHealthStore(redis, prefix);
    const at = new Date('2026-05-01T00:00:00Z');
    const { health: failing } = await health.recordFailure('https://feed.example/rss', 'Feed', 'down', {
      at,
      intervalMs: 60_000,
      alertAfterMs: 0,
    });
    expect(await health.markAlerted(failing.url, failing.failingSince!, at)).toBe(true);
    expect(await health.markAlerted(failing.url, failing.failingSince!, at)).toBe(false);

    // MONITOR lines arrive after the replies: wait until the last call has been seen.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(calls.length).toBeGreaterThan(50);

    // Each script file ran at least once by its sha (a connection's first call sends the source).
    const shas = new Map(
      luaFiles(SRC).map((file) => [
        createHash('sha1').update(readFileSync(file, 'utf8')).digest('hex'),
        file.slice(SRC.length + 1),
      ]),
    );
    const ran = new Set(calls.flatMap((call) => (call.sha ? [shas.get(call.sha) ?? call.sha] : [])));
    expect([...ran].sort()).toEqual([...shas.values()].sort());

    const keyCache = new Map<string, string[]>();
    const keysOf = async (command: string[]): Promise<string[]> => {
      const id = JSON.stringify(command);
      let keys = keyCache.get(id);
      if (!keys) {
        keys = (await redis.call('COMMAND', 'GETKEYS', ...command).catch(() => [])) as string[];
        keyCache.set(id, keys);
      }
      return keys;
    };
    const undeclared: string[] = [];
    let commands = 0;
    for (const call of calls) {
      expect(call.keys.length).toBeGreaterThan(0);
      expect(new Set(call.keys.map(hashTag)).size, call.keys.join(' ')).toBe(1);
      for (const key of call.keys) expect(key.startsWith(prefix)).toBe(true);
      const declared = new Set(call.keys);
      for (const command of call.commands) {
        commands++;
        for (const key of await keysOf(command))
          if (!declared.has(key)) undeclared.push(`${command[0]} ${key} (${shas.get(call.sha ?? '')})`);
      }
    }
    expect(commands).toBeGreaterThan(calls.length);
    expect(undeclared).toEqual([]);
  });
});
