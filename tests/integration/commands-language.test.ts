/**
 * Slash-command answers in the channel's language: a `language: ja` channel reads Japanese
 * titles, labels, counts, errors and help on Slack and Discord; an English channel reads what
 * it always did. The devset in the real Redis, the command core and both renderers.
 */
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSafely } from '../../src/slash/run.ts';
import type { Command, CommandDeps, Invocation } from '../../src/slash/types.ts';
import { AIWATCH_COMMAND, renderDiscord } from '../../src/chat/discord/commands.ts';
import { renderSlack } from '../../src/chat/slack/commands.ts';
import { devsetDeps, slackUser } from '../helpers/commands.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { channelKeys } from '../../src/channels/keys.ts';

const log = pino({ level: 'silent' });
const prefix = testPrefix('commands-language');
let redis: Redis;
let deps: CommandDeps;
const ja: Invocation = slackUser({ channelId: 'C0JAPAN' });
const jaDiscord: Invocation = { platform: 'discord', channelId: '4242', workspace: 'G1', userId: 'U1' };
const en: Invocation = slackUser({ channelId: 'C0ENGLISH' });

beforeAll(async () => {
  redis = await openTestRedis();
  ({ deps } = await devsetDeps(redis, prefix));
  deps = { ...deps, languages: new Map() };
  for (const who of [ja, jaDiscord]) {
    const id = `${who.platform}:${who.channelId}`;
    await deps.channels.ensure(id, who.workspace);
    await redis.hset(channelKeys(prefix).channel(id), 'language', 'ja');
  }
}, 120_000);
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
});

/** What a reader sees on both platforms, as one string each. */
async function read(command: Command, who: Invocation, over: Partial<CommandDeps> = {}) {
  const answer = await runSafely(command, who, { ...deps, ...over }, log);
  return {
    answer,
    slack: JSON.stringify(renderSlack(answer)),
    discord: JSON.stringify(renderDiscord(answer)),
  };
}

describe('a Japanese channel', () => {
  it('help lists every command with what it does, in Japanese', async () => {
    const { slack, discord } = await read({ verb: 'help' }, ja);
    for (const text of [slack, discord]) {
      expect(text).toContain('日本のソブリンAIニュース');
      expect(text).toContain('最新のイベント（n は100まで、既定は10）');
      expect(text).toContain('/aiwatch unsubscribe');
    }
  });

  it('latest: Japanese title, headlines, counts, outlets and page buttons', async () => {
    const { answer, slack, discord } = await read({ verb: 'latest', n: 20, page: 1 }, ja);
    expect(answer.title).toBe('最新のイベント 20件');
    expect(answer.footer).toBe('1〜10件（全20件）');
    for (const text of [slack, discord]) {
      expect(text).toMatch(/\d+媒体 · /);
      expect(text).toContain('次へ ›');
      expect(text).toContain('1/2ページ');
      expect(text).not.toMatch(/outlets|page 1 of|Next/);
    }
    // Events with a Japanese article lead with its headline, and link to a Japanese article.
    let bilingual = 0;
    for (const line of answer.events!) {
      const event = (await deps.store.getEvent(line.id))!;
      if (!event.titles.ja) continue;
      expect(line.title).toBe(event.titles.ja);
      const items = await deps.store.getItems(event.itemIds);
      const linked = items.find((i) => i.url === line.link?.url);
      expect(linked?.lang, line.id).toBe('ja');
      if (event.langs.length > 1) bilingual++;
    }
    expect(bilingual).toBeGreaterThan(0);
  });

  it('event: labels, languages and reasons in Japanese', async () => {
    const [first] = await deps.store.listEvents({ limit: 1 });
    const { slack, discord } = await read({ verb: 'event', id: first!.id, page: 1 }, jaDiscord);
    for (const text of [slack, discord]) {
      expect(text).toContain('初出');
      expect(text).toContain('最新記事');
      expect(text).toContain('関連すると判断した理由');
      expect(text).toContain('日本の主体');
      expect(text).not.toMatch(/First seen|Why it is relevant|Japanese actors/);
    }
  });

  it('companies by the names Japanese readers know', async () => {
    const followed = await read({ verb: 'subscribe', company: 'SoftBank' }, ja);
    expect(followed.answer.title).toBe('ソフトバンクを購読しました');
    const list = await read({ verb: 'subscriptions' }, ja);
    expect(list.answer.lines).toEqual(['このチャンネルは1社を購読しています：ソフトバンク。']);
    const company = await read({ verb: 'company', name: 'SB Intuitions', page: 1 }, ja);
    expect(company.answer.title).toBe('SBインテュイションズ');
  });

  it('mistakes and refusals are explained in Japanese', async () => {
    const unknown = await read({ verb: 'invalid', problem: { code: 'no-command', word: 'frob' } }, ja);
    expect(unknown.slack).toContain('「frob」というコマンドはありません。');
    expect(unknown.discord).toContain('コマンドを理解できませんでした');
    const company = await read({ verb: 'company', name: 'Nonexistent Corp', page: 1 }, ja);
    expect(company.answer.title).toBe('不明な企業');
    const search = await read({ verb: 'search', text: 'the', page: 1 }, ja);
    expect(search.answer.title).toBe('検索：「the」');
  });

  it('"temporarily unavailable" too, when the store is down (the language as last seen)', async () => {
    const { answer, slack, discord } = await read({ verb: 'latest', n: 5, page: 1 }, ja, {
      available: () => false,
    });
    expect(answer.title).toBe('aiwatch は一時的に利用できません。数分後にもう一度お試しください。');
    expect(slack).toContain('一時的に利用できません');
    expect(discord).toContain('一時的に利用できません');
  });
});

describe('an English channel', () => {
  it('reads English as before, with JST times', async () => {
    const { answer, slack, discord } = await read({ verb: 'latest', n: 20, page: 1 }, en);
    expect(answer.title).toBe('The latest 20 events');
    expect(answer.footer).toBe('1–10 of 20');
    expect(answer.events![0]!.when).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d JST$/);
    for (const text of [slack, discord]) {
      expect(text).toMatch(/\d+ outlets · /);
      expect(text).toContain('page 1 of 2');
    }
  });
});

describe('the Discord command definition', () => {
  it('describes every subcommand and option in English and Japanese', () => {
    for (const sub of AIWATCH_COMMAND.options ?? []) {
      expect(sub.description_localizations?.ja, sub.name).toBeTruthy();
      for (const option of (
        sub as { options?: { name: string; description_localizations?: { ja?: string } }[] }
      ).options ?? [])
        expect(option.description_localizations?.ja, `${sub.name} ${option.name}`).toBeTruthy();
    }
  });
});
