import { describe, expect, it } from 'vitest';
import { pageToken, parseOptions, parseText, parseToken } from '../../src/slash/parse.ts';
import { MAX_TOKEN_LENGTH } from '../../src/slash/parse.ts';
import type { Command } from '../../src/slash/types.ts';
import { messages } from '../../src/core/i18n/messages.ts';
import type { Lang } from '../../src/core/types.ts';

describe('parsing /aiwatch', () => {
  it('reads each verb with its argument, English or Japanese', () => {
    expect(parseText('latest')).toEqual({ verb: 'latest', n: 10, page: 1 });
    expect(parseText('latest 25')).toEqual({ verb: 'latest', n: 25, page: 1 });
    expect(parseText('search  生成AI   基盤モデル ')).toEqual({
      verb: 'search',
      text: '生成AI 基盤モデル',
      page: 1,
    });
    expect(parseText('company 三菱重工')).toEqual({ verb: 'company', name: '三菱重工', page: 1 });
    expect(parseText('event `e-238e69f0dd07`')).toEqual({ verb: 'event', id: 'e-238e69f0dd07', page: 1 });
    expect(parseText('subscribe “ソフトバンク”')).toEqual({ verb: 'subscribe', company: 'ソフトバンク' });
    expect(parseText('UNSUBSCRIBE nec')).toEqual({ verb: 'unsubscribe', company: 'nec' });
    expect(parseText('subscriptions')).toEqual({ verb: 'subscriptions' });
    expect(parseText('digest')).toEqual({ verb: 'digest' });
    expect(parseText('')).toEqual({ verb: 'help' });
    expect(parseText('検索 ソフトバンク')).toEqual({ verb: 'search', text: 'ソフトバンク', page: 1 });
  });

  it('reads full-width input like half-width', () => {
    expect(parseText('ｌａｔｅｓｔ\u3000５')).toEqual({ verb: 'latest', n: 5, page: 1 });
  });

  it('says what is wrong with bad input, suggesting the nearest verb, in the channel’s language', () => {
    expect(parseText('lates 5')).toMatchObject({ verb: 'invalid', suggestion: 'latest' });
    const unknown = parseText('frobnicate');
    expect(unknown).toEqual({ verb: 'invalid', problem: { code: 'no-command', word: 'frobnicate' } });
    const say = (command: Command, lang: Lang) =>
      command.verb === 'invalid' ? messages(lang).commands.problem(command.problem) : '';
    expect(say(unknown, 'en')).toBe('There is no command “frobnicate”.');
    expect(say(unknown, 'ja')).toBe('「frobnicate」というコマンドはありません。');
    expect(say(parseText('latest 0'), 'en')).toMatch(/1 to 100/);
    expect(say(parseText('latest 0'), 'ja')).toMatch(/1〜100/);
    expect(parseText('latest 101')).toMatchObject({ verb: 'invalid' });
    expect(say(parseText('search'), 'en')).toMatch(/needs some words/);
    expect(say(parseText('subscribe'), 'en')).toBe('subscribe needs a company name.');
    expect(say(parseText('subscribe'), 'ja')).toBe('subscribe（購読）には企業名を指定してください。');
  });

  it('reads Discord subcommand options', () => {
    expect(parseOptions('latest', { n: 3 })).toEqual({ verb: 'latest', n: 3, page: 1 });
    expect(parseOptions('search', { text: '富岳' })).toEqual({ verb: 'search', text: '富岳', page: 1 });
    expect(parseOptions('company', { name: 'MHI' })).toEqual({ verb: 'company', name: 'MHI', page: 1 });
    expect(parseOptions('subscribe', { company: 'sony' })).toEqual({ verb: 'subscribe', company: 'sony' });
    expect(parseOptions('latest', {})).toEqual({ verb: 'latest', n: 10, page: 1 });
  });

  it('page tokens round-trip, fit a Discord custom_id, and refuse anything else', () => {
    const search = { verb: 'search' as const, text: '生成AI | sovereign', page: 1 };
    expect(parseToken(pageToken(search, 3)!)).toEqual({ ...search, page: 3 });
    expect(parseToken(pageToken({ verb: 'latest', n: 40, page: 1 }, 2)!)).toEqual({
      verb: 'latest',
      n: 40,
      page: 2,
    });
    expect(pageToken({ ...search, text: 'x'.repeat(120) }, 2)).toBeUndefined();
    expect(pageToken(search, 2)!.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    for (const bad of ['subscribe|1|nec', 'latest|0|10', 'latest|2|', 'nonsense'])
      expect(parseToken(bad)).toBeNull();
  });
});
