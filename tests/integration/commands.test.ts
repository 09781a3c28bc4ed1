import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisChannelRegistry, withConfigWorkspaces } from '../../src/channels/registry.ts';
import { execute } from '../../src/slash/execute.ts';
import { parseText, parseToken } from '../../src/slash/parse.ts';
import type { Answer, CommandDeps } from '../../src/slash/types.ts';
import { textTerms } from '../../src/search/terms.ts';
import { devsetDeps, slackUser } from '../helpers/commands.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { channelKeys } from '../../src/channels/keys.ts';

describe('the command core over the devset and seeds in Redis', () => {
  let redis: Redis;
  let deps: CommandDeps;
  const prefix = testPrefix('commands');
  const ask = (text: string, who = slackUser()) => execute(parseText(text), who, deps);
  const ids = (answer: Answer) => (answer.events ?? []).map((e) => e.id);
  const titles = (answer: Answer) => (answer.events ?? []).map((e) => e.title);

  beforeAll(async () => {
    redis = await openTestRedis();
    ({ deps } = await devsetDeps(redis, prefix));
  });
  afterAll(async () => {
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('latest n lists the n newest events, newest first, each with a link to its first article', async () => {
    const answer = await ask('latest 3');
    expect(answer.events).toHaveLength(3);
    const times = answer.events!.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(answer.events![0]!.link?.url).toMatch(/^https:\/\//);
    expect(answer.pager).toBeUndefined();
  });

  it('latest pages ten at a time with working Next and Previous tokens', async () => {
    const first = await ask('latest 15');
    expect(first.events).toHaveLength(10);
    expect(first.pager).toMatchObject({ page: 1, pages: 2 });
    const second = await execute(parseToken(first.pager!.next!)!, slackUser(), deps);
    expect(second.events).toHaveLength(5);
    expect(second.pager?.next).toBeUndefined();
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(15);
    const back = await execute(parseToken(second.pager!.prev!)!, slackUser(), deps);
    expect(ids(back)).toEqual(ids(first));
  });

  it('full-width input reads like half-width: ｌａｔｅｓｔ　２', async () => {
    expect((await ask('ｌａｔｅｓｔ　２')).events).toHaveLength(2);
  });

  it('search finds English headlines by every word, in any case', async () => {
    const answer = await ask('search Generative AI');
    expect(titles(answer)).toContain(
      'KDDI to take control of AI startup ELYZA to enter generative AI business',
    );
    expect(titles(answer)).toContain(
      'Mitsui and Nvidia unveil Tokyo-1, a generative AI supercomputer for Japanese drugmakers',
    );
    expect(titles(answer)).not.toContain('Japan launches AI Safety Institute to set evaluation standards');
  });

  it('search finds Japanese text without spaces, particles dropped: 生成AI, 富岳で学習', async () => {
    const generative = await ask('search 生成AI');
    expect(ids(generative)).toEqual(expect.arrayContaining(['e-f78e7ddb5771', 'e-c325ffa37e0b']));
    expect(ids(await ask('search 富岳で学習'))).toEqual(['e-2beb435821c6']);
  });

  it('search reads a company alias in either script as that company: ソフトバンク LLM', async () => {
    expect(ids(await ask('search ソフトバンク LLM'))).toEqual(['e-c56b191823c8']);
    expect(ids(await ask('search SoftBank LLM'))).toEqual(['e-c56b191823c8']);
  });

  it('search matches the articles of an event, not only its headline', async () => {
    // "Swallow" appears only in the English article title of its event.
    expect(ids(await ask('search swallow'))).toEqual(['e-61d89a75685b']);
  });

  it('search says plainly when nothing matches, or when the words cannot be searched', async () => {
    const none = await ask('search quantum teleportation');
    expect(none.events).toBeUndefined();
    expect(none.lines.join(' ')).toMatch(/Nothing matches “quantum teleportation”/);
    expect((await ask('search the of')).lines.join(' ')).toMatch(/too common/);
    expect((await ask('search 株')).lines.join(' ')).toMatch(/at least two characters/);
  });

  it('every event is found by the words of its own headline', async () => {
    for (const event of await deps.store.listEvents()) {
      const words = textTerms(event.title)
        .filter((t) => /^[a-z]{4,}$/.test(t))
        .slice(0, 2);
      if (words.length < 2) continue;
      const answer = await ask(`search ${words.join(' ')}`);
      expect(ids(answer), `${event.title}`).toContain(event.id);
    }
  });

  it('company resolves any alias in either script to the same events: ソフトバンク = SoftBank, 三菱重工 = MHI', async () => {
    const softbank = await ask('company SoftBank');
    expect(softbank.title).toBe('SoftBank');
    expect(ids(softbank).length).toBeGreaterThan(1);
    expect(ids(await ask('company ソフトバンク'))).toEqual(ids(softbank));
    const mhi = await ask('company MHI');
    expect(ids(mhi)).toEqual(['e-bbd2a811c133']);
    expect(ids(await ask('company 三菱重工'))).toEqual(ids(mhi));
  });

  it('an unknown company answers with the closest known names', async () => {
    const answer = await ask('company Sofbank');
    expect(answer.title).toBe('Unknown company');
    expect(answer.lines.join(' ')).toMatch(/Closest known names: SoftBank/);
    expect((await ask('company ソフトバン')).lines.join(' ')).toMatch(/SoftBank/);
  });

  it('a known company without events says so', async () => {
    const answer = await ask('company Rapidus');
    expect(answer.events).toBeUndefined();
    expect(answer.lines).toEqual(['No events about Rapidus yet.']);
  });

  it('event shows every article with outlet, language and time, both headlines and the reasons', async () => {
    const record = (await deps.store.getEvent('e-238e69f0dd07'))!;
    const answer = await ask('event e-238e69f0dd07');
    const detail = answer.detail!;
    expect(detail.articleCount).toBe(record.itemIds.length);
    expect(detail.articles.map((a) => a.outlet).sort()).toEqual([...record.sources].sort());
    expect(new Set(detail.articles.map((a) => a.lang))).toEqual(new Set(['en', 'ja']));
    expect(detail.otherTitle).toMatch(/PLaMo 2/);
    expect(detail.reasons.length).toBeGreaterThan(0);
    expect((await ask('event 238E69F0DD07')).detail?.id).toBe('e-238e69f0dd07');
  });

  it('an unknown event id says so', async () => {
    const answer = await ask('event e-000000000000');
    expect(answer.title).toBe('Unknown event');
    expect(answer.lines[0]).toMatch(/No event has the id “e-000000000000”/);
  });

  it('subscribe, twice, then unsubscribe, twice: each answer says what happened', async () => {
    const who = slackUser({ channelId: 'C0SUBS' });
    const first = await ask('subscribe ソフトバンク', who);
    expect(first).toMatchObject({ title: 'Following SoftBank', visibility: 'channel' });
    expect((await ask('subscribe SoftBank', who)).title).toBe('Already following SoftBank');
    expect((await ask('subscribe 三菱重工', who)).title).toBe('Following Mitsubishi Heavy Industries');
    expect((await ask('subscriptions', who)).lines[0]).toBe(
      'This channel follows 2 companies: Mitsubishi Heavy Industries, SoftBank.',
    );
    expect((await ask('unsubscribe softbank', who)).title).toBe('Stopped following SoftBank');
    const again = await ask('unsubscribe softbank', who);
    expect(again.title).toBe('Not following SoftBank');
    expect(again.lines.join(' ')).toMatch(
      /does not follow SoftBank.*It follows: Mitsubishi Heavy Industries/,
    );
    expect((await ask('subscribe Sofbank', who)).lines.join(' ')).toMatch(/Closest known names: SoftBank/);
  });

  it('subscriptions live in Redis: a fresh registry (a restart) sees them, and alerts find the channel', async () => {
    const who = slackUser({ channelId: 'C0PERSIST' });
    await ask('subscribe NEC', who);
    const restarted = createRedisChannelRegistry(redis, prefix);
    expect((await restarted.get('slack:C0PERSIST'))?.subscriptions).toEqual(['nec']);
    expect(await restarted.subscribers('nec')).toContain('slack:C0PERSIST');
    expect((await ask('subscriptions', slackUser({ channelId: 'C0EMPTY' }))).lines[0]).toMatch(
      /follows no company/,
    );
  });

  it('another workspace can neither read nor change a channel’s subscriptions', async () => {
    const home = slackUser({ channelId: 'C0SHARED' });
    await ask('subscribe Sony', home);
    const stranger = slackUser({ channelId: 'C0SHARED', workspace: 'T0OTHER' });
    for (const text of ['subscriptions', 'subscribe NEC', 'unsubscribe Sony', 'digest']) {
      const answer = await ask(text, stranger);
      expect(answer.title, text).toBe('Not available here');
      expect(JSON.stringify(answer), text).not.toMatch(/Sony/);
    }
    expect((await ask('subscriptions', home)).lines[0]).toMatch(/Sony/);
  });

  it('a channel from config belongs to the workspace config names: no other team claims it by first use', async () => {
    const registry = withConfigWorkspaces(deps.channels, [{ id: 'slack:C0CONFIG', workspace: 'T0OWNER' }]);
    const bound = { ...deps, channels: registry };
    // Seeded from config by an older version: stored without a workspace.
    await redis.hset(channelKeys(prefix).channel('slack:C0CONFIG'), {
      schedule: '0 9 * * *',
      origin: 'config',
    });
    await redis.sadd(channelKeys(prefix).all, 'slack:C0CONFIG');
    await redis.sadd(channelKeys(prefix).subscriptions('slack:C0CONFIG'), 'sony');
    const intruder = slackUser({ channelId: 'C0CONFIG', workspace: 'T0INTRUDER' });
    for (const text of ['subscriptions', 'subscribe NEC', 'unsubscribe Sony', 'digest']) {
      const answer = await execute(parseText(text), intruder, bound);
      expect(answer.title, text).toBe('Not available here');
      expect(JSON.stringify(answer), text).not.toMatch(/Sony/);
    }
    const owner = slackUser({ channelId: 'C0CONFIG', workspace: 'T0OWNER' });
    expect((await execute(parseText('subscriptions'), owner, bound)).lines[0]).toMatch(/Sony/);
    expect((await execute(parseText('unsubscribe Sony'), owner, bound)).title).toBe('Stopped following Sony');
    // Without config, the stored channel has no owner: refused to everyone rather than claimed.
    const unbound = await execute(parseText('subscribe NEC'), intruder, deps);
    expect(unbound.title).toBe('Not available here');
  });

  it('only the configured admins may change subscriptions, by bare or platform-prefixed id', async () => {
    const limited = { ...deps, admins: ['U0BOSS', 'discord:42'] };
    const who = slackUser({ channelId: 'C0ADMIN' });
    const denied = await execute(parseText('subscribe NEC'), who, limited);
    expect(denied.title).toBe('Not allowed');
    expect((await deps.channels.get('slack:C0ADMIN'))?.subscriptions ?? []).toEqual([]);
    const boss = await execute(parseText('subscribe NEC'), { ...who, userId: 'U0BOSS' }, limited);
    expect(boss.title).toBe('Following NEC');
    const discordAdmin = { platform: 'discord' as const, channelId: '7', workspace: 'G1', userId: '42' };
    expect((await execute(parseText('subscribe NEC'), discordAdmin, limited)).title).toBe('Following NEC');
    expect((await execute(parseText('latest 1'), who, limited)).events).toHaveLength(1);
  });

  it('digest answers with the digest module’s digest for this channel, or says it is not set up', async () => {
    expect((await ask('digest')).lines[0]).toMatch(/not set up/);
    const seen: string[] = [];
    const withDigest: CommandDeps = {
      ...deps,
      digestNow: async (channel) => {
        seen.push(channel.id);
        return { entries: [{ eventId: 'e-1' }] } as never;
      },
    };
    const answer = await execute(parseText('digest'), slackUser({ channelId: 'C0DIGEST' }), withDigest);
    expect(seen).toEqual(['slack:C0DIGEST']);
    expect(answer).toMatchObject({ visibility: 'channel', digest: { entries: [{ eventId: 'e-1' }] } });
    const empty = await execute(parseText('digest'), slackUser(), { ...deps, digestNow: async () => null });
    expect(empty.lines[0]).toMatch(/Nothing new/);
  });

  it('help lists every subcommand; an unknown one says so and suggests the nearest', async () => {
    const help = await ask('');
    expect(help.usage?.map((u) => u.syntax.split(' ')[0])).toEqual([
      'latest',
      'search',
      'company',
      'event',
      'subscribe',
      'unsubscribe',
      'subscriptions',
      'digest',
      'help',
    ]);
    const wrong = await ask('serch 生成AI');
    expect(wrong.lines).toEqual(['There is no command “serch”.', 'Did you mean “search”?']);
    expect((await ask('latest many')).lines[0]).toMatch(/latest takes a number from 1 to 100/);
  });
});
