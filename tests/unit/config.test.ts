import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG_DIR, loadConfig } from '../../src/config/index.ts';

function configDirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aiwatch-config-'));
  cpSync(DEFAULT_CONFIG_DIR, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function errorOf(dir: string): string {
  try {
    loadConfig(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('config loaded without error');
}

describe('config', () => {
  it('loads the shipped config with every seed company known in both scripts', () => {
    const config = loadConfig();
    const aliases = config.entities.flatMap((e) => [e.name, ...e.aliases.en, ...e.aliases.ja]);
    for (const name of [
      'SoftBank',
      'ソフトバンク',
      'ソニー',
      '本田技研工業',
      '日本電気',
      '三菱重工業',
      'MHI',
      'プリファードネットワークス',
      '日本製鉄',
      '神戸製鋼所',
      '三菱UFJ銀行',
      '三井住友銀行',
      'みずほ銀行',
      'トヨタ自動車',
      '新エネルギー・産業技術総合開発機構',
      '経済産業省',
      'マイクロソフト',
      'さくらインターネット',
      'Sakana AI',
      'ELYZA',
      'SB Intuitions',
      'RIKEN',
      'Digital Agency',
    ])
      expect(aliases).toContain(name);
    expect(config.feeds.feeds.some((f) => f.lang === 'ja')).toBe(true);
    expect(config.feeds.feeds.some((f) => f.lang === 'en')).toBe(true);
    expect(config.settings.dedupe.windowDays).toBe(7);
  });

  it('names the file and the field of a wrong type in one line', () => {
    const dir = configDirWith({ 'feeds.yaml': 'feeds:\n  - { name: X, url: "not a url", lang: en }\n' });
    const message = errorOf(dir);
    expect(message).toMatch(/feeds\.yaml: feeds\[0\]\.url: Invalid url/);
    expect(message).not.toContain('\n');
  });

  it('reports an unknown language and a missing alias list', () => {
    const dir = configDirWith({
      'entities.yaml': 'entities:\n  - { id: acme, name: Acme, kind: company, country: JP }\n',
      'feeds.yaml': 'feeds:\n  - { name: X, url: "https://x.example/rss", lang: fr }\n',
    });
    const lines = errorOf(dir).split('\n');
    // Every bad file is reported at once, one line each.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/entities\.yaml: entities\[0\]\.aliases: Required/);
    expect(lines[1]).toMatch(/feeds\.yaml: feeds\[0\]\.lang: Invalid enum value/);
  });

  it('rejects a schedule that is not cron and a time zone that does not exist', () => {
    expect(
      errorOf(
        configDirWith({
          'channels.yaml': 'channels:\n  - { id: "slack:C1", workspace: T1, schedule: "61 9 * * *" }\n',
        }),
      ),
    ).toMatch(/channels\.yaml: channels\[0\]\.schedule: slack:C1: "61 9 \* \* \*" is not a cron schedule/);
    expect(
      errorOf(
        configDirWith({
          'channels.yaml': 'channels:\n  - { id: "slack:C1", workspace: T1, timezone: "Mars/Base" }\n',
        }),
      ),
    ).toMatch(/channels\.yaml: channels\[0\]\.timezone: expected an IANA time zone/);
  });

  it('takes only five-field schedules, naming the file, the channel and the field in one line', () => {
    for (const [schedule, count] of [
      ['0 9 * *', 4],
      ['0 9 * * 1-5 *', 6],
    ] as const) {
      const message = errorOf(
        configDirWith({
          'channels.yaml': `channels:\n  - { id: "slack:C1", workspace: T1 }\n  - { id: "discord:42", workspace: G1, schedule: "${schedule}" }\n`,
        }),
      );
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain(
        `channels.yaml: channels[1].schedule: discord:42: "${schedule}" has ${count} fields; a schedule has exactly 5 (minute, hour, day of month, month, day of week)`,
      );
    }
  });

  it('reports duplicate entity ids and YAML syntax errors', () => {
    expect(
      errorOf(
        configDirWith({
          'entities.yaml':
            'entities:\n  - { id: a, name: A, kind: company, country: JP, aliases: { en: [A] } }\n  - { id: a, name: B, kind: company, country: JP, aliases: { en: [B] } }\n',
        }),
      ),
    ).toMatch(/entities\[1\]\.id: duplicate id "a"/);
    expect(errorOf(configDirWith({ 'settings.yaml': 'dedupe: [unclosed\n' }))).toMatch(
      /settings\.yaml: not valid YAML/,
    );
  });

  it('asks for the workspace a config channel belongs to, in one line saying what to add', () => {
    const message = errorOf(configDirWith({ 'channels.yaml': 'channels:\n  - { id: "slack:C1" }\n' }));
    expect(message).toMatch(
      /channels\.yaml: channels\[0\]\.workspace: required: add `workspace:` with the Slack team id/,
    );
    expect(message.trim().split('\n')).toHaveLength(1);
  });

  it('rejects a bad channel id and a negative window', () => {
    expect(errorOf(configDirWith({ 'channels.yaml': 'channels:\n  - { id: "irc:#x" }\n' }))).toMatch(
      /channels\.yaml: channels\[0\]\.id: expected "slack:<channel>"/,
    );
    expect(errorOf(configDirWith({ 'settings.yaml': 'dedupe: { windowDays: -1 }\n' }))).toMatch(
      /settings\.yaml: dedupe\.windowDays/,
    );
  });

  it('takes the model budget and timeout from settings.yaml, each mistake in one line', () => {
    expect(loadConfig(DEFAULT_CONFIG_DIR).settings.llm).toEqual({
      maxCallsPerHour: 120,
      timeoutMs: 20000,
      concurrency: 4,
    });
    const message = errorOf(configDirWith({ 'settings.yaml': 'llm: { maxCallsPerHour: lots }\n' }));
    expect(message).toMatch(/settings\.yaml: llm\.maxCallsPerHour/);
    expect(message.trim().split('\n')).toHaveLength(1);
  });
});
