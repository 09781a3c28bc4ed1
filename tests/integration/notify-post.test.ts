/**
 * Digests posted through the real Slack and Discord clients to local servers,
 * with delivery state in the real Redis.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getChannelHealth } from '../../src/channels/registry.ts';
import type { EventRecord } from '../../src/core/types.ts';
import { runDigest, type NotifyDeps } from '../../src/notify/digest-run.ts';
import {
  discordError,
  rateLimited,
  slackError,
  startDiscordServer,
  startSlackServer,
  type ChatServer,
} from '../helpers/chat-servers.ts';
import { seedStore, SEEDS_NOW, testDeps, type EditableStore } from '../helpers/notify.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

type Server = ChatServer & { apiUrl: string };
let redis: Redis;
let slack: Server;
let discord: Server;
const prefix = testPrefix('notify-post');
let store: EditableStore;
let deps: NotifyDeps;

beforeAll(async () => {
  [redis, slack, discord] = await Promise.all([openTestRedis(), startSlackServer(), startDiscordServer()]);
});
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
  await Promise.all([slack.close(), discord.close()]);
});
beforeEach(async () => {
  slack.reset();
  discord.reset();
  store = await seedStore();
  deps = testDeps(redis, prefix, store, { slack, discord });
});

let n = 0;
async function channel(platform: 'slack' | 'discord', id?: string) {
  return deps.registry.ensure(`${platform}:${id ?? `${platform === 'slack' ? 'C' : ''}${100 + ++n}`}`);
}

const sectionTexts = (server: ChatServer) =>
  server
    .posts()
    .flatMap((r) =>
      (r.body.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section'),
    )
    .map((b) => b.text!.text);

function manyEvents(count: number, title: (i: number) => string): void {
  for (let i = 0; i < count; i++) {
    const id = `e-many-${i}`;
    const t = title(i);
    store.events.set(id, {
      ...([...store.events.values()][0] as EventRecord),
      id,
      title: t,
      titles: { en: t },
      sources: ['Outlet A', 'Outlet B'],
      updatedAt: '2026-04-15T05:00:00.000Z',
      // Equally covered: the more recent ranks first, so story i is i-th.
      lastSeen: new Date(Date.parse('2026-04-15T05:00:00.000Z') - i * 60_000).toISOString(),
    });
  }
}

describe('Slack digests', () => {
  it('posts the first digest as Block Kit with a fallback, then nothing for the same window', async () => {
    const ch = await channel('slack');
    const outcome = await runDigest(ch, deps);
    expect(outcome.status).toBe('sent');
    const [post] = slack.posts();
    expect(post!.headers.authorization).toBe('Bearer xoxb-test');
    expect(post!.body.channel).toBe(ch.channelId);
    expect(post!.body.text).toMatch(/^Japan AI watch: 2 new\n• Leading Japan/);
    expect((post!.body.blocks as { type: string }[]).map((b) => b.type)).toEqual([
      'header',
      'context',
      'section',
      'section',
    ]);
    expect(sectionTexts(slack)[0]).toContain('4 outlets (English)');

    expect((await runDigest(ch, deps)).status).toBe('nothing-new');
    expect(slack.posts()).toHaveLength(1);
  });

  it('shows an event again only when it gained outlets, marked as an update', async () => {
    const ch = await channel('slack');
    await runDigest(ch, deps);
    const [big] = [...store.events.values()].filter((e) => e.sources.length === 4);
    store.events.set(big!.id, {
      ...big!,
      sources: [...big!.sources, 'Nikkei Asia'],
      updatedAt: '2026-04-15T08:00:00.000Z',
    });
    const later = { ...deps, now: () => new Date('2026-04-16T00:00:00.000Z') };
    const outcome = await runDigest(ch, later);
    expect(outcome.status).toBe('sent');
    const texts = sectionTexts(slack);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toMatch(/^\*Update:\*/);
    expect(texts[2]).toContain('5 outlets (English), +1 since the last digest');
  });

  it('escapes a hostile title so it cannot ping the channel or break its link', async () => {
    const ch = await channel('slack');
    const [event] = [...store.events.values()];
    const title = '<!channel> R&D <https://evil.example|win>';
    store.events.set(event!.id, { ...event!, title, titles: { en: title } });
    await runDigest(ch, deps);
    const text = sectionTexts(slack).find((t) => t.includes('R&amp;D'))!;
    expect(text).toContain('|&lt;!channel&gt; R&amp;D &lt;https://evil.example|win&gt;>');
    expect(JSON.stringify(slack.posts()[0]!.body)).not.toContain('<!channel>');
  });

  it('splits a large digest into several messages posted in order', async () => {
    const ch = await channel('slack');
    manyEvents(70, (i) => `Story ${i} ${'about sovereign AI compute '.repeat(8)}`);
    await runDigest(ch, { ...deps, settings: { maxAgeDays: 3, maxEvents: 72 } });
    const posts = slack.posts();
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.map((p) => (p.body.blocks as unknown[]).length).every((len) => len <= 50)).toBe(true);
    expect(posts.map((p) => (p.body.blocks as { text: { text: string } }[])[0]!.text.text)).toEqual(
      posts.map((_, i) => `Japan AI watch: 72 new (${i + 1}/${posts.length})`),
    );
    const stories = sectionTexts(slack)
      .map((t) => /\|Story (\d+) /.exec(t)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(stories).toEqual(Array.from({ length: 70 }, (_, i) => i));
  });

  it('waits as long as a 429 says and posts once', async () => {
    const ch = await channel('slack');
    slack.script(rateLimited(1));
    const started = Date.now();
    expect((await runDigest(ch, deps)).status).toBe('sent');
    expect(slack.requests.filter((r) => r.path === '/api/chat.postMessage')).toHaveLength(2);
    expect(slack.posts()).toHaveLength(1);
    expect(slack.requests[1]!.at - started).toBeGreaterThanOrEqual(950);
  });

  it('retries 5xx answers with backoff and posts once', async () => {
    const ch = await channel('slack');
    slack.script({ status: 503, body: 'unavailable' }, { status: 500, body: 'oops' });
    expect((await runDigest(ch, deps)).status).toBe('sent');
    expect(slack.requests).toHaveLength(3);
    expect(slack.posts()).toHaveLength(1);
  });

  it('marks a channel that does not exist unhealthy, and other channels still get their digest', async () => {
    const gone = await channel('slack');
    const fine = await channel('slack');
    slack.script(slackError('channel_not_found'));
    const failed = await runDigest(gone, deps);
    expect(failed).toMatchObject({ status: 'failed', error: { permanent: true, code: 'channel_not_found' } });
    expect(slack.requests).toHaveLength(1);
    expect(await getChannelHealth(redis, prefix, gone.id)).toMatchObject({
      status: 'unhealthy',
      error: 'Slack refused the message: channel_not_found',
    });
    expect((await runDigest(fine, deps)).status).toBe('sent');
    expect(await getChannelHealth(redis, prefix, fine.id)).toMatchObject({ status: 'ok' });
    // Once the channel works again, its next digest still covers what it missed, and it is healthy again.
    const retried = await runDigest(gone, deps);
    expect(retried.status === 'sent' && retried.digest.entries.length).toBe(2);
    expect((await getChannelHealth(redis, prefix, gone.id)).status).toBe('ok');
  });

  it('treats a rejected token as permanent too', async () => {
    const ch = await channel('slack');
    slack.script(slackError('invalid_auth'));
    expect(await runDigest(ch, deps)).toMatchObject({ status: 'failed', error: { permanent: true } });
    expect((await getChannelHealth(redis, prefix, ch.id)).error).toContain('invalid_auth');
  });

  it('checks the token with auth.test', async () => {
    expect(await deps.posters.slack.verify()).toBe('Slack Test team as aiwatch');
    expect(slack.requests[0]!.path).toBe('/api/auth.test');
  });
});

describe('Discord digests', () => {
  it('posts embeds with the bot token, mentions disabled and a nonce Discord de-duplicates', async () => {
    const ch = await channel('discord');
    const [event] = [...store.events.values()];
    const title = '@everyone Japan launches sovereign AI';
    store.events.set(event!.id, { ...event!, title, titles: { en: title } });
    expect((await runDigest(ch, deps)).status).toBe('sent');
    const [post] = discord.posts();
    expect(post!.path).toBe(`/api/v10/channels/${ch.channelId}/messages`);
    expect(post!.headers.authorization).toBe('Bot discord-test');
    expect(post!.body).toMatchObject({
      allowed_mentions: { parse: [] },
      enforce_nonce: true,
      nonce: expect.stringMatching(/^[0-9a-f]{25}$/),
    });
    const embeds = post!.body.embeds as { title: string; url: string; description: string }[];
    expect(embeds).toHaveLength(2);
    expect(embeds.map((e) => e.title)).toContain(title);
    expect(embeds[0]!.url).toMatch(/^https:\/\/seeds\.example\//);
    expect(embeds[0]!.description).toContain('4 outlets (English)');
  });

  it('posts through a webhook when the channel has one, without the bot token', async () => {
    const ch = await channel('discord', '555');
    await runDigest(ch, deps);
    const [post] = discord.posts();
    expect(post!.path).toBe('/api/v10/webhooks/77/webhook-token?wait=true');
    expect(post!.headers.authorization).toBeUndefined();
    expect(post!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('splits more than 10 embeds into several messages in order', async () => {
    const ch = await channel('discord');
    manyEvents(23, (i) => `Story ${i}`);
    await runDigest(ch, { ...deps, settings: { maxAgeDays: 3, maxEvents: 25 } });
    const posts = discord.posts();
    expect(posts.map((p) => (p.body.embeds as unknown[]).length)).toEqual([10, 10, 5]);
    expect(posts.map((p) => String(p.body.content).split('\n')[0])).toEqual([
      '**Japan AI watch**: 25 new (1/3)',
      '**Japan AI watch**: 25 new (2/3)',
      '**Japan AI watch**: 25 new (3/3)',
    ]);
  });

  it('honours a 429 Retry-After and retries 5xx answers, posting once', async () => {
    const ch = await channel('discord');
    discord.script(rateLimited(1, true), discordError(502, 0, 'Bad Gateway'));
    const started = Date.now();
    expect((await runDigest(ch, deps)).status).toBe('sent');
    expect(discord.requests).toHaveLength(3);
    expect(discord.posts()).toHaveLength(1);
    expect(discord.requests[1]!.at - started).toBeGreaterThanOrEqual(950);
  });

  it('marks an unknown channel (404) unhealthy without retrying', async () => {
    const ch = await channel('discord');
    discord.script(discordError(404, 10003, 'Unknown Channel'));
    expect(await runDigest(ch, deps)).toMatchObject({
      status: 'failed',
      error: { permanent: true, status: 404 },
    });
    expect(discord.requests).toHaveLength(1);
    expect((await getChannelHealth(redis, prefix, ch.id)).error).toContain('404 Unknown Channel');
  });

  it('gives up on a 5xx that does not stop, without marking the channel unhealthy', async () => {
    const ch = await channel('discord');
    discord.script(...Array.from({ length: 3 }, () => discordError(500, 0, 'Internal')));
    expect(await runDigest(ch, deps)).toMatchObject({ status: 'failed', error: { permanent: false } });
    expect((await getChannelHealth(redis, prefix, ch.id)).status).toBe('unknown');
    // The job's retry then posts it.
    expect((await runDigest(ch, deps)).status).toBe('sent');
    expect(discord.posts()).toHaveLength(1);
  });
});

it('keeps the first digest to the age window: older news is never digested as new', async () => {
  const ch = await channel('slack');
  const outcome = await runDigest(ch, {
    ...deps,
    now: () => new Date(SEEDS_NOW.getTime() + 10 * 86_400_000),
  });
  expect(outcome.status).toBe('nothing-new');
  expect(slack.requests).toHaveLength(0);
});
