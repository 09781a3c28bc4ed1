/**
 * The optional model in digests and alerts, against a local chat-completions server: what it
 * writes reaches Slack and Discord in the channel's language, escaped and without pings; when
 * it is slow, down, rate-limited, over budget or talks nonsense, the post goes out on time with
 * the articles' own headlines. Real Redis (cache, budget), real Slack and Discord clients.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, Platform } from '../../src/channels/registry.ts';
import type { EventRecord, Lang, StoredItem } from '../../src/core/types.ts';
import { createLlmClient } from '../../src/llm/client.ts';
import type { LlmMetrics } from '../../src/llm/metrics.ts';
import { createSummariser } from '../../src/llm/summaries.ts';
import { logger } from '../../src/shared/log.ts';
import { notifyEvent } from '../../src/notify/alerts.ts';
import { previewDigest, runDigest, type NotifyDeps } from '../../src/notify/digest-run.ts';
import { startDiscordServer, startSlackServer, type ChatServer } from '../helpers/chat-servers.ts';
import { INJECTION, startModelServer, type ModelServer } from '../helpers/llm-server.ts';
import { seedStore, SEEDS_NOW, testDeps, type EditableStore } from '../helpers/notify.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { channelKeys } from '../../src/channels/keys.ts';

type Server = ChatServer & { apiUrl: string };
const prefix = testPrefix('llm-digest');
const API_KEY = 'sk-test-secret-key';
let redis: Redis;
let slack: Server;
let discord: Server;
let model: ModelServer;
let store: EditableStore;
let calls: { outcome: string; prompt: number }[];
let n = 0;
/** One clock for the digests and the model's cache, as in a running service. */
let clock = SEEDS_NOW;

beforeAll(async () => {
  [redis, slack, discord, model] = await Promise.all([
    openTestRedis(),
    startSlackServer(),
    startDiscordServer(),
    startModelServer(),
  ]);
});
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
  await Promise.all([slack.close(), discord.close(), model.close()]);
});
beforeEach(async () => {
  slack.reset();
  discord.reset();
  model.mode = 'ok';
  model.requests.length = 0;
  calls = [];
  clock = SEEDS_NOW;
  store = await seedStore();
  addJapaneseOnlyEvent(store);
});

/** A story only a Japanese outlet carries: what an English channel must not miss. */
function addJapaneseOnlyEvent(s: EditableStore): void {
  const base = [...s.events.values()][0]!;
  const title = 'ソフトバンク、国産LLM「Sarashina」新版を公開';
  const item: StoredItem = {
    ...s.items.get(base.itemIds[0]!)!,
    id: 'i-ja-only',
    url: 'https://nikkei.example/ja-only',
    source: '日本経済新聞',
    lang: 'ja',
    title,
    summary: 'ソフトバンクは国産の大規模言語モデルの新版を公開した。',
    published: '2026-04-15T04:00:00.000Z',
    event: 'e-ja-only',
  };
  const event: EventRecord = {
    ...base,
    id: 'e-ja-only',
    title,
    titles: { ja: title },
    langs: ['ja'],
    sources: ['日本経済新聞'],
    itemIds: [item.id],
    firstSeen: item.published,
    lastSeen: item.published,
    updatedAt: '2026-04-15T05:00:00.000Z',
  };
  s.events.set(event.id, event);
  s.items.set(item.id, item);
}

/** Deps with a model; each test its own key prefix, so nothing is cached from another. */
function withModel(over: { timeoutMs?: number; maxCallsPerHour?: number } = {}): NotifyDeps {
  const p = `${prefix}${++n}:`;
  const silent = logger.child({});
  silent.level = 'silent';
  const metrics: LlmMetrics = { called: (outcome, tokens) => calls.push({ outcome, prompt: tokens.prompt }) };
  const timeoutMs = over.timeoutMs ?? 10_000;
  const summariser = createSummariser({
    client: createLlmClient({ baseUrl: model.url, model: 'test-model', apiKey: API_KEY, timeoutMs }),
    redis,
    prefix: p,
    log: silent,
    metrics,
    maxCallsPerHour: over.maxCallsPerHour ?? 100,
    concurrency: 2,
    timeoutMs,
    now: () => clock,
  });
  return testDeps(redis, p, store, { slack, discord }, { summariser, now: () => clock });
}

async function channel(deps: NotifyDeps, platform: Platform, language: Lang): Promise<Channel> {
  const id = `${platform}:${platform === 'slack' ? 'C' : ''}${700 + ++n}`;
  return { ...(await deps.registry.ensure(id)), language };
}

/** Everything a platform received, as one string: what a reader could see or click. */
const received = (server: ChatServer) => JSON.stringify(server.posts().map((p) => p.body));

describe('with a model', () => {
  it('English channels: a Japanese-only story gets an English headline and summary, linked to its article', async () => {
    const deps = withModel();
    for (const platform of ['slack', 'discord'] as const)
      expect((await runDigest(await channel(deps, platform, 'en'), deps)).status).toBe('sent');
    for (const server of [slack, discord]) {
      const text = received(server);
      expect(text).toContain('Model headline: ソフトバンク、国産LLM');
      expect(text).toContain('Summary (machine-written)');
      expect(text).toContain('A summary of 1 articles.');
      expect(text).toContain('https://nikkei.example/ja-only');
      expect(text).toContain('Original');
    }
    // English stories keep their own headline, with the model's sentence under it.
    expect(received(slack)).toContain('Leading Japan');
    // Three events, written once each for English and shared by both channels (cached).
    expect(model.requests).toHaveLength(3);
  });

  it('Japanese channels: headlines, summaries and chrome in Japanese', async () => {
    const deps = withModel();
    for (const platform of ['slack', 'discord'] as const)
      expect((await runDigest(await channel(deps, platform, 'ja'), deps)).status).toBe('sent');
    for (const server of [slack, discord]) {
      const text = received(server);
      expect(text).toContain('ソフトバンク、国産LLM「Sarashina」新版を公開');
      expect(text).toContain('モデルの見出し：Leading Japan');
      expect(text).toContain('要約（AI生成）');
      expect(text).toContain('新着 3件');
      expect(text).not.toMatch(/outlets|first seen|GMT\+9/i);
    }
  });

  it('asks with structured output, sends titles and summaries only, and never the key in the body', async () => {
    const deps = withModel();
    await runDigest(await channel(deps, 'slack', 'en'), deps);
    const [first] = model.requests;
    expect(first!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first!.body.model).toBe('test-model');
    expect(first!.body.response_format.type).toBe('json_schema');
    expect(first!.body.response_format.json_schema.name).toBe('digest_entry');
    const sent = JSON.stringify(first!.body);
    expect(sent).not.toContain(API_KEY);
    expect(sent).not.toMatch(/https?:\/\/(seeds|nikkei)\.example/);
    expect(calls.filter((c) => c.outcome === 'ok').every((c) => c.prompt === 120)).toBe(true);
  });

  it('an injected "@everyone <!channel> [click](javascript:…)" pings nobody and links nowhere, on both platforms and in both languages', async () => {
    model.mode = 'inject';
    const deps = withModel();
    for (const language of ['en', 'ja'] as const)
      for (const platform of ['slack', 'discord'] as const)
        expect((await runDigest(await channel(deps, platform, language), deps)).status).toBe('sent');
    for (const server of [slack, discord]) {
      const text = received(server);
      expect(text).toContain('headline');
      expect(text).not.toMatch(/@everyone|<!channel>|<@U123>|javascript:|\*\*bold|`code`/);
    }
    for (const post of discord.posts()) expect(post.body.allowed_mentions).toEqual({ parse: [] });
    expect(INJECTION).toContain('@everyone');
  });

  it('alerts: one text per language, shared by the channels that read it', async () => {
    const deps = withModel();
    for (const [platform, language] of [
      ['slack', 'en'],
      ['discord', 'en'],
      ['slack', 'ja'],
    ] as const) {
      const ch = await channel(deps, platform, language);
      await deps.registry.ensure(ch.id);
      await redis.hset(channelKeys(deps.prefix).channel(ch.id), 'language', language);
      await deps.registry.subscribe(ch.id, 'softbank');
    }
    const outcomes = await notifyEvent({ eventId: 'e-ja-only' }, deps);
    expect(outcomes.map((o) => o.status)).toEqual(['sent', 'sent', 'sent']);
    expect(received(discord)).toContain('Model headline: ソフトバンク');
    // The Japanese channel reads the article's own headline, with the Japanese summary.
    expect(received(slack)).toContain('1本の記事の要約です。');
    expect(received(slack)).toContain('アラート');
    expect(model.requests).toHaveLength(2);
    // Another article joins: the alerts were sent, so the model is not asked again.
    const event = store.events.get('e-ja-only')!;
    store.items.set('i-ja-3', { ...store.items.get('i-ja-only')!, id: 'i-ja-3', url: 'https://c.example/3' });
    store.events.set(event.id, { ...event, itemIds: [...event.itemIds, 'i-ja-3'] });
    const again = await notifyEvent({ eventId: 'e-ja-only', itemId: 'i-ja-3' }, deps);
    expect(again.map((o) => o.status)).toEqual(['already-sent', 'already-sent', 'already-sent']);
    expect(model.requests).toHaveLength(2);
  });

  it('--dry-run shows what the model wrote, and the next digest reuses it without asking again', async () => {
    const deps = withModel();
    const ch = await channel(deps, 'slack', 'en');
    const preview = await previewDigest(ch, deps);
    expect(preview).toContain('Model headline: ソフトバンク、国産LLM');
    expect(preview).toContain('Summary (machine-written): A summary of 1 articles.');
    expect(preview).toMatch(/^Model test-model: 3 written$/m);
    const asked = model.requests.length;
    await runDigest(ch, deps);
    expect(model.requests).toHaveLength(asked);
    expect(await previewDigest(ch, deps)).toBeDefined();
  });

  it('an event that gains an article is written again, once per digest window', async () => {
    const deps = withModel();
    const ch = await channel(deps, 'slack', 'en');
    await previewDigest(ch, deps);
    const asked = model.requests.length;
    const event = store.events.get('e-ja-only')!;
    const extra: StoredItem = {
      ...store.items.get('i-ja-only')!,
      id: 'i-ja-2',
      url: 'https://b.example/2',
      source: '共同通信',
      title: 'ソフトバンク新版LLM、性能を公表',
    };
    store.items.set(extra.id, extra);
    store.events.set(event.id, {
      ...event,
      itemIds: [...event.itemIds, extra.id],
      sources: [...event.sources, extra.source],
    });
    // Within the same window (no digest posted since): the text just written is reused.
    await previewDigest(ch, deps);
    expect(model.requests).toHaveLength(asked);
    // After the window is posted, the next window writes it again from both articles.
    await runDigest(ch, deps);
    const grown = store.events.get(event.id)!;
    store.events.set(event.id, {
      ...grown,
      sources: [...grown.sources, '時事通信'],
      updatedAt: '2026-04-15T06:30:00.000Z',
    });
    clock = new Date('2026-04-15T07:00:00.000Z');
    expect(await previewDigest(ch, deps)).toContain('Model headline');
    expect(model.requests).toHaveLength(asked + 1);
    expect(JSON.stringify(model.requests.at(-1)!.body.messages)).toContain('性能を公表');
  });
});

describe('without the model, the digest goes out as before', () => {
  async function postsWithOwnHeadlines(deps: NotifyDeps): Promise<void> {
    for (const language of ['en', 'ja'] as const)
      for (const platform of ['slack', 'discord'] as const)
        expect((await runDigest(await channel(deps, platform, language), deps)).status).toBe('sent');
    for (const server of [slack, discord]) {
      const text = received(server);
      expect(text).toContain('ソフトバンク、国産LLM「Sarashina」新版を公開');
      expect(text).toContain('Leading Japan');
      expect(text).not.toMatch(/Model headline|machine-written|AI生成/);
    }
  }

  it.each(['429', '500', 'malformed'] as const)('a %s: the articles’ own headlines', async (mode) => {
    model.mode = mode;
    const deps = withModel();
    await postsWithOwnHeadlines(deps);
    expect(calls.some((c) => c.outcome !== 'ok')).toBe(true);
    // A 429 or a 500 leaves the model alone for a while: not asked for every event.
    if (mode !== 'malformed') expect(model.requests.length).toBeLessThanOrEqual(2);
  });

  it('a model that hangs: the digest is posted once the timeout has passed', async () => {
    model.mode = 'hang';
    const deps = withModel({ timeoutMs: 1500 });
    const started = Date.now();
    await postsWithOwnHeadlines(deps);
    // Generous: the point is that it is posted, not stuck (each channel waits at most once).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(calls.map((c) => c.outcome)).toContain('timeout');
  });

  it('a caller’s own short deadline (a slash command) does not pause the model for the next caller', async () => {
    model.mode = 'hang';
    const deps = withModel({ timeoutMs: 10_000 });
    const events = [...store.events.values()];
    const first = await deps.summariser!.textsFor(events, store.items, 'en', { deadlineMs: 300 });
    // Every event past the deadline is counted, not only those in flight.
    expect(Object.values(first.report.outcomes).reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(first.texts.size).toBe(0);
    model.mode = 'ok';
    const second = await deps.summariser!.textsFor(events.slice(0, 1), store.items, 'en');
    expect(second.texts.size).toBe(1);
  });

  it('over budget: no call beyond llm.maxCallsPerHour, the rest keep their headlines', async () => {
    const deps = withModel({ maxCallsPerHour: 1 });
    await runDigest(await channel(deps, 'slack', 'en'), deps);
    expect(model.requests).toHaveLength(1);
    expect(calls.filter((c) => c.outcome === 'over-budget')).toHaveLength(2);
  });
});
