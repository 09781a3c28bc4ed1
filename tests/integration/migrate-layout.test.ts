/**
 * Upgrading a deployment from the flat key layout (up to commit 716d159: every key straight under
 * the prefix) to the hash-tagged one: data written with the old names and value formats (see
 * `git show 716d159:src/store/redis-store.ts`, `…:src/search/index.ts`, `…:src/channels/registry.ts`,
 * `…:src/notify/digest-run.ts`, `…:src/notify/delivery.ts`, `…:src/feeds/health.ts`) is found by
 * the new version through what a user sees, after `aiwatch migrate` and after start-up alone.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelKeys } from '../../src/channels/keys.ts';
import {
  layoutMarker,
  LAYOUT_VERSION,
  migrateAtStart,
  migrateLayout,
  movedCount,
  newName,
  oldFamilies,
} from '../../src/cli/migrate-layout.ts';
import { feedId } from '../../src/feeds/health.ts';
import { feedKeys } from '../../src/feeds/keys.ts';
import { httpKeys } from '../../src/http/keys.ts';
import { llmKeys } from '../../src/llm/keys.ts';
import { notifyKeys } from '../../src/notify/keys.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { searchKeys } from '../../src/search/keys.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { aiwatch, configDir, env, jsonLines, spawnAiwatch, waitFor } from '../helpers/aiwatch.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const FEED = 'https://old-layout.example/feed.xml';
const CHANNEL = 'slack:CMIGRATE';
const EVENT = 'ev-old-sbi';
const MERGED = 'ev-old-merged';
const ITEM = 'it-old-sbi';
const HOUR = 3_600_000;

/** One deployment's data as the previous version wrote it: every key straight under `p`. */
async function writeOldLayout(redis: Redis, p: string): Promise<void> {
  const now = Date.now();
  const updatedAt = new Date(now - 3 * HOUR).toISOString();
  const item = {
    id: ITEM,
    inputId: 'old-1',
    url: 'https://news.example/sb-intuitions-llm',
    source: 'News Example',
    lang: 'en',
    title: 'SB Intuitions releases a Japanese large language model',
    summary: 'SoftBank’s SB Intuitions released Sarashina, a Japanese LLM.',
    published: updatedAt,
    firstSeen: updatedAt,
    feedUrl: FEED,
    relevant: true,
    score: 9,
    companies: ['sb-intuitions'],
    reasons: ['ai developer: SB Intuitions'],
    terms: ['sarashina'],
    event: EVENT,
  };
  const profile = {
    entities: { 'sb-intuitions': 2 },
    numbers: [],
    names: ['sarashina'],
    shingles: [],
    words: [],
  };
  const event = {
    id: EVENT,
    title: item.title,
    titles: { en: item.title },
    firstSeen: updatedAt,
    lastSeen: updatedAt,
    updatedAt,
    sources: ['News Example'],
    langs: ['en'],
    companies: ['sb-intuitions'],
    itemIds: [ITEM],
    reasons: item.reasons,
    mergedFrom: [MERGED],
  };
  const score = Date.parse(updatedAt);
  const multi = redis.multi();
  // The event store (716d159:src/store/redis-store.ts), with a merged event's alias.
  multi.set(`${p}item:${ITEM}`, JSON.stringify(item));
  multi.set(`${p}url:url-sbi`, ITEM);
  multi.set(`${p}event:${EVENT}`, JSON.stringify(event));
  multi.set(`${p}prof:${EVENT}`, JSON.stringify({ lastSeen: score, profile }), 'PX', 48 * HOUR);
  multi.hset(`${p}ver`, `e:${EVENT}`, 2);
  multi.zadd(`${p}events:updated`, score, EVENT);
  multi.zadd(`${p}company:sb-intuitions`, score, EVENT);
  multi.zadd(`${p}idx:e:sb-intuitions`, score, EVENT);
  multi.pexpire(`${p}idx:e:sb-intuitions`, 48 * HOUR);
  multi.set(`${p}iv:e:sb-intuitions`, 1, 'PX', 48 * HOUR);
  multi.set(`${p}alias:${MERGED}`, EVENT);
  // Its search postings (716d159:src/search/index.ts).
  multi.zadd(`${p}s:t:sarashina`, score, EVENT);
  multi.zadd(`${p}s:t:@sb-intuitions`, score, EVENT);
  multi.set(`${p}s:ev:${EVENT}`, 'sarashina @sb-intuitions');
  // A channel a slash command made, with its subscriptions (716d159:src/channels/registry.ts).
  multi.sadd(`${p}channels`, CHANNEL);
  multi.hset(`${p}channel:${CHANNEL}`, {
    schedule: '0 8 * * 1',
    timezone: 'Asia/Tokyo',
    language: 'ja',
    nothingNewMessage: 'false',
    operations: 'false',
    origin: 'command',
    workspace: 'T0MIGRATE',
  });
  multi.sadd(`${p}subs:${CHANNEL}`, 'sb-intuitions', 'softbank');
  multi.sadd(`${p}subscribers:sb-intuitions`, CHANNEL);
  multi.sadd(`${p}subscribers:softbank`, CHANNEL);
  multi.hset(`${p}channel-health:${CHANNEL}`, { status: 'ok', at: updatedAt, lastPostAt: updatedAt });
  // Its last digest, after the event (716d159:src/notify/digest-run.ts), and that digest's record,
  // still pending, its effects naming the old mark (716d159:src/notify/delivery.ts).
  const markAt = new Date(now - HOUR).toISOString();
  multi.hset(`${p}digest-mark:${CHANNEL}`, { at: markAt, slot: now - HOUR });
  multi.hset(`${p}digest-shown:${CHANNEL}`, EVENT, `1|${now - HOUR}`);
  const effects = { hset: [[`${p}digest-mark:${CHANNEL}`, 'at', markAt]] };
  multi.set(
    `${p}delivery:${CHANNEL}:digest:first`,
    JSON.stringify({
      state: 'pending',
      posted: 0,
      sending: -1,
      owner: 'x',
      at: now,
      effects: JSON.stringify(effects),
    }),
    'EX',
    86_400,
  );
  // A feed's health: failing for three polls, with its validators (716d159:src/feeds/health.ts).
  multi.hset(`${p}feed:${feedId(FEED)}`, {
    url: FEED,
    name: 'Old layout feed',
    lastAttempt: markAt,
    lastSuccess: updatedAt,
    lastError: 'HTTP 503',
    lastErrorAt: markAt,
    failingSince: markAt,
    consecutiveFailures: 3,
    itemsSeen: 41,
    etag: '"v41"',
  });
  // A model text (716d159:src/llm/summaries.ts) and BullMQ's old keys (716d159:src/queue/queues.ts).
  multi.set(`${p}llm:last:${EVENT}:ja`, JSON.stringify({ headline: 'SB Intuitions', at: updatedAt }));
  multi.hset(`${p}bull:items:meta`, 'opts.maxLenEvents', 10000);
  multi.set(`${p}bull:items:id`, 7);
  await multi.exec();
}

let redis: Redis;

async function allKeys(prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}
const cli = testPrefix('migrate-cli');
const startup = testPrefix('migrate-start');
const config = configDir([{ url: FEED, name: 'Old layout feed', lang: 'en' }]);

beforeAll(async () => {
  redis = await openTestRedis();
  await Promise.all([writeOldLayout(redis, cli), writeOldLayout(redis, startup)]);
});
afterAll(async () => {
  await Promise.all([cleanup(redis, cli), cleanup(redis, startup)]);
  redis.disconnect();
});

/** What a user of the upgraded deployment looks at: events, channels, digest, search, feeds. */
async function expectCarriedOver(prefix: string): Promise<void> {
  const environment = env(prefix, { LOG_LEVEL: 'silent' });
  const [events, merged, channels, marked, fresh, feeds] = await Promise.all([
    aiwatch(['events', '--json'], environment),
    aiwatch(['events', '--json', '--id', MERGED], environment),
    aiwatch(['channels', '--json', '--config', config], environment),
    aiwatch(['digest', '--channel', CHANNEL, '--dry-run', '--config', config], environment),
    aiwatch(['digest', '--channel', 'slack:CNEWONE', '--dry-run', '--config', config], environment),
    aiwatch(['feeds', '--json', '--config', config], environment),
  ]);
  const [listed] = jsonLines(events.stdout);
  expect(listed).toMatchObject({
    id: EVENT,
    title: 'SB Intuitions releases a Japanese large language model',
  });
  expect(JSON.stringify(listed)).toContain('https://news.example/sb-intuitions-llm');
  expect(jsonLines(merged.stdout).map((e) => e.id)).toEqual([EVENT]);

  const channel = jsonLines(channels.stdout).find((c) => JSON.stringify(c).includes(CHANNEL));
  expect(JSON.stringify(channel)).toContain('"schedule":"0 8 * * 1"');
  expect(JSON.stringify(channel)).toMatch(/"subscriptions":\["sb-intuitions","softbank"\]/);
  expect(channel).toMatchObject({ lastDigest: expect.any(String), health: { status: 'ok' } });

  // The old mark holds: the event came before the channel's last digest; a new channel would get it.
  expect(marked.stdout).toMatch(/^日本AIウォッチ（slack:CMIGRATE）：.*以降の新着はありません。$/m);
  expect(fresh.stdout).toContain('SB Intuitions releases');

  const page = await createSearchIndex(redis, prefix).search(['sarashina', '@sb-intuitions'], {
    offset: 0,
    limit: 10,
  });
  expect(page.ids).toEqual([EVENT]);

  const [feed] = jsonLines(feeds.stdout);
  expect(feed).toMatchObject({ url: FEED, consecutiveFailures: 3, itemsSeen: 41, lastError: 'HTTP 503' });
  expect(feed!.status).not.toBe('not polled yet');

  // The pending delivery's effect now names the new mark key (the finishing script refuses any other).
  const record = JSON.parse((await redis.get(notifyKeys(prefix).delivery(CHANNEL, 'digest:first')))!) as {
    effects: string;
  };
  expect(JSON.parse(record.effects)).toEqual({
    hset: [[notifyKeys(prefix).digestMark(CHANNEL), 'at', expect.any(String)]],
  });
  expect(await redis.get(layoutMarker(prefix))).toBe(LAYOUT_VERSION);
}

describe('upgrading from the flat key layout', () => {
  it('aiwatch migrate --dry-run lists what would move and writes nothing; migrate moves it; a second run moves nothing', async () => {
    const environment = env(cli, { LOG_LEVEL: 'silent' });
    const dry = await aiwatch(['migrate', '--dry-run', '--json'], environment);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as { moved: Record<string, number>; rewritten: number };
    expect(planned.moved).toMatchObject({ 'item:*': 1, 'event:*': 1, channels: 1, 'subs:*': 1, 'feed:*': 1 });
    expect(planned.rewritten).toBe(1);
    expect(await redis.exists(`${cli}event:${EVENT}`, layoutMarker(cli))).toBe(1);

    const { stdout, code } = await aiwatch(['migrate'], environment);
    expect(code).toBe(0);
    expect(stdout).toMatch(/moved 24 keys of the previous layout/);
    expect(stdout).toContain('2 BullMQ keys of the previous version left');
    expect(stdout).not.toContain('conflict');
    await expectCarriedOver(cli);

    const again = JSON.parse((await aiwatch(['migrate', '--json'], environment)).stdout) as {
      moved: Record<string, number>;
      merged: string[];
      conflicts: unknown[];
      oldQueueKeys: number;
    };
    expect(again).toMatchObject({ moved: {}, merged: [], conflicts: [], oldQueueKeys: 2 });
    const dropped = await aiwatch(['migrate', '--drop-old-queues'], environment);
    expect(dropped.stdout).toContain('2 BullMQ keys of the previous version removed');
    expect(await redis.exists(`${cli}bull:items:id`)).toBe(0);
  });

  it('aiwatch serve moves the old keys before it serves, logs it once, and not at the next start', async () => {
    const started = async () => {
      const child = spawnAiwatch(['serve', '--config', config], env(startup, { PORT: '0' }));
      await waitFor(() => /"port":\d+/.test(child.stderr()), 20_000, `serve to listen (${child.stderr()})`);
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      return child.stderr();
    };
    const first = await started();
    expect(first.match(/key layout/g)).toHaveLength(1);
    expect(first).toMatch(/key layout: moved 24 keys of the previous version/);
    expect(first).toContain('2 BullMQ keys of the previous version left');
    await expectCarriedOver(startup);
    expect(await started()).not.toContain('key layout');
  });
});

describe('a new key that exists already (the new version ran before the data was moved)', () => {
  const prefix = testPrefix('migrate-merge');
  afterAll(() => cleanup(redis, prefix));

  it('is never overwritten: sets and sorted sets are merged, anything else is left and reported', async () => {
    const channels = channelKeys(prefix);
    const store = storeKeys(prefix);
    await redis
      .multi()
      // Written by the new version's start: the config channel; by the old one: a command-made channel too.
      .sadd(channels.all, 'slack:CCONFIG')
      .sadd(`${prefix}channels`, 'slack:CCONFIG', 'slack:CCOMMAND')
      .zadd(store.updated, 5, 'ev-a', 1, 'ev-both')
      .zadd(`${prefix}events:updated`, 2, 'ev-both', 3, 'ev-b')
      .set(store.alias('ev-x'), 'ev-new')
      .set(`${prefix}alias:ev-x`, 'ev-old')
      // A key of another deployment's prefix under this one, in either layout: not ours.
      .set(`${prefix}staging:event:1`, '{}')
      .set(`${prefix}staging:{store}:event:1`, '{}')
      .exec();

    const report = await migrateLayout(redis, prefix);
    expect(report.merged.sort()).toEqual([`${prefix}channels`, `${prefix}events:updated`]);
    expect(report.conflicts).toEqual([{ old: `${prefix}alias:ev-x`, new: store.alias('ev-x') }]);
    expect(report.unknown).toEqual({ count: 1, examples: [`${prefix}staging:event:1`] });
    expect((await redis.smembers(channels.all)).sort()).toEqual(['slack:CCOMMAND', 'slack:CCONFIG']);
    expect(await redis.zrange(store.updated, 0, -1, 'WITHSCORES')).toEqual([
      'ev-both',
      '2',
      'ev-b',
      '3',
      'ev-a',
      '5',
    ]);
    expect(await redis.get(store.alias('ev-x'))).toBe('ev-new');
    expect(await redis.get(`${prefix}alias:ev-x`)).toBe('ev-old');

    const again = await migrateLayout(redis, prefix);
    expect(again).toMatchObject({ moved: {}, merged: [], conflicts: report.conflicts });
  });

  it('maps every old family to its new key through the layout modules', () => {
    const families = oldFamilies(prefix);
    const renamed = (rest: string) => newName(families, rest)?.key;
    expect(renamed('events:updated')).toBe(storeKeys(prefix).updated);
    expect(renamed('event:ev-1')).toBe(storeKeys(prefix).event('ev-1'));
    expect(renamed('channels:config')).toBe(channelKeys(prefix).config);
    expect(renamed('channel:slack:C1')).toBe(channelKeys(prefix).channel('slack:C1'));
    expect(renamed('delivery:discord:42:digest:2026-01-01T00:00:00.000Z')).toBe(
      notifyKeys(prefix).delivery('discord:42', 'digest:2026-01-01T00:00:00.000Z'),
    );
    expect(renamed('llm:text:ev-1:ja:abc123')).toBe(llmKeys(prefix).text('ev-1', 'ja', 'abc123'));
    expect(renamed('feed:feed-0123456789ab')).toBe(feedKeys(prefix).health('feed-0123456789ab'));
    expect(renamed('s:t:@softbank')).toBe(searchKeys(prefix).term('@softbank'));
    expect(renamed('seen-request:abc')).toBe(httpKeys(prefix).seenRequest('abc'));
    expect(renamed('delivery:nochannel')).toBeUndefined();
    expect(renamed('bull:items:id')).toBeUndefined();
  });

  it('a run stopped halfway is finished by the next', async () => {
    const prefix = testPrefix('migrate-halfway');
    try {
      await writeOldLayout(redis, prefix);
      const families = oldFamilies(prefix);
      const old = (await allKeys(prefix)).filter((key) => newName(families, key.slice(prefix.length)));
      expect(old).toHaveLength(24);
      // What a run stopped after ten keys leaves behind.
      for (const key of old.slice(0, 10))
        await redis.rename(key, newName(families, key.slice(prefix.length))!.key);

      const report = await migrateLayout(redis, prefix);
      expect(movedCount(report)).toBe(14);
      expect(report.conflicts).toEqual([]);
      expect((await allKeys(prefix)).filter((key) => !key.includes('{')).sort()).toEqual(
        [`${prefix}bull:items:id`, `${prefix}bull:items:meta`, layoutMarker(prefix)].sort(),
      );
    } finally {
      await cleanup(redis, prefix);
    }
  });

  it('moves what an old process still running beside the new one wrote after the first migration', async () => {
    const prefix = testPrefix('migrate-rolling');
    const quiet = { info: () => {}, warn: () => {} } as unknown as Parameters<typeof migrateAtStart>[2];
    try {
      await writeOldLayout(redis, prefix);
      await migrateAtStart(redis, prefix, quiet);
      expect(await redis.get(layoutMarker(prefix))).not.toBeNull();
      // The old version, still running, stores another event in the flat layout.
      await redis.zadd(`${prefix}events:updated`, Date.now(), 'e-late');
      await redis.set(`${prefix}event:e-late`, '{}');
      await migrateAtStart(redis, prefix, quiet);
      expect(await redis.exists(`${prefix}events:updated`, `${prefix}event:e-late`)).toBe(0);
      expect(await redis.zscore(storeKeys(prefix).updated, 'e-late')).not.toBeNull();
      expect(await redis.get(storeKeys(prefix).event('e-late'))).toBe('{}');
    } finally {
      await cleanup(redis, prefix);
    }
  });

  it('refuses an empty prefix: the walk would take every key of the database', async () => {
    await expect(migrateLayout(redis, '')).rejects.toThrow(/AIWATCH_PREFIX is empty/);
  });
});
