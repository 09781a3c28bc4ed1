/**
 * The digests a user would read, built from the seeds and the devset replayed
 * through the real pipeline (memory store). Reviewed by eye in the .txt/.json
 * files next to this test; a change in ranking, wording or escaping shows up there.
 * Japanese and English channels, without a model and with one (a fixed stand-in:
 * the model's own client is tested against a local server in tests/integration/llm-*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  buildDigest,
  itemIdsFor,
  selectDigestEvents,
  type DigestChannel,
  type DigestOptions,
  type GeneratedText,
} from '../../src/core/digest.ts';
import { discordDigestMessages } from '../../src/core/digest-discord.ts';
import { slackDigestMessages } from '../../src/core/digest-slack.ts';
import { textDigest } from '../../src/core/digest-text.ts';
import type { EventRecord, Lang } from '../../src/core/types.ts';
import type { LabelledItem } from '../../src/replay/items-file.ts';
import { replay } from '../../src/replay/replay.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { core, devset, seeds } from '../helpers/fixtures.ts';

type Model = (event: EventRecord, lang: Lang) => GeneratedText;

async function digestOf(
  items: LabelledItem[],
  channel: DigestChannel,
  options: DigestOptions,
  model?: Model,
) {
  const c = core();
  const store = createMemoryStore();
  await replay(items, c, store);
  const selected = selectDigestEvents(await store.listEvents({ since: options.since }), channel, options);
  const stored = await store.getItems(itemIdsFor(selected.slice(0, options.maxEvents)));
  const byId = new Map(stored.map((item) => [item.id, item]));
  const texts = model
    ? new Map(selected.map((s) => [s.event.id, model(s.event, channel.language)] as const))
    : undefined;
  return buildDigest(selected, channel, options, byId, (id, lang) => c.registry.nameIn(id, lang), texts);
}

/** A stand-in model: what it writes is plain to see, and one answer tries to ping and to link a script. */
const standIn: Model = (event, lang) => {
  const companies = event.companies.slice(0, 2).join(', ') || 'nobody';
  if (lang === 'ja')
    return {
      headline: `【要約】${event.sources.length}媒体が報道：${companies}`,
      summary: `${companies}に関する${event.itemIds.length}本の記事を1文にまとめたものです。`,
    };
  return event.title.includes('サイバーエージェント') || event.id.endsWith('0')
    ? {
        headline: `@everyone <!channel> Translated: ${companies} news`,
        summary: 'Read more [click](javascript:alert(1)) now.',
      }
    : {
        headline: `Translated: ${companies} news reported by ${event.sources.length} outlets`,
        summary: `One sentence about ${event.itemIds.length} articles on ${companies}.`,
      };
};

const TWO_YEARS: DigestOptions = {
  since: '2023-01-01T00:00:00.000Z',
  until: '2025-09-01T00:00:00.000Z',
  maxAgeDays: 1000,
  maxEvents: 12,
  shown: new Map(),
};
const ja: DigestChannel = {
  id: 'discord:123456789',
  language: 'ja',
  timezone: 'Asia/Tokyo',
  subscriptions: ['sb-intuitions'],
};
/** Every event of the devset, its four Japanese-only ones too. */
const ALL: DigestOptions = { ...TWO_YEARS, maxEvents: 40 };
const en: DigestChannel = { id: 'slack:C0123', language: 'en', timezone: 'Asia/Tokyo', subscriptions: [] };

async function snapshots(name: string, digest: Awaited<ReturnType<typeof digestOf>>) {
  await expect(textDigest(digest)).toMatchFileSnapshot(`./__snapshots__/${name}.txt`);
  await expect(JSON.stringify(slackDigestMessages(digest), null, 2)).toMatchFileSnapshot(
    `./__snapshots__/${name}.slack.json`,
  );
  await expect(JSON.stringify(discordDigestMessages(digest), null, 2)).toMatchFileSnapshot(
    `./__snapshots__/${name}.discord.json`,
  );
}

describe('digest snapshots', () => {
  it('seeds: the first digest of a channel subscribed to Preferred Networks, on 15 April 2026', async () => {
    const until = '2026-04-15T06:00:00.000Z';
    const digest = await digestOf(
      seeds(),
      { id: 'slack:C0123', language: 'en', timezone: 'Asia/Tokyo', subscriptions: ['pfn'] },
      {
        since: '2026-04-12T06:00:00.000Z',
        until,
        maxAgeDays: 3,
        maxEvents: 20,
        shown: new Map(),
        firstDigest: true,
      },
    );
    expect(digest.entries).toHaveLength(2);
    await snapshots('digest-seeds', digest);
  });

  it('devset, Japanese channel, no model: Japanese headlines linked to Japanese articles, Japanese chrome', async () => {
    const digest = await digestOf(devset(), ja, TWO_YEARS);
    expect(digest.entries).toHaveLength(12);
    expect(digest.omitted).toBeGreaterThan(0);
    const text = textDigest(digest);
    expect(text).not.toMatch(/outlets|Why:|first seen|GMT\+9|\[NEW\]/);
    expect(text).toMatch(/日本語記事 \d+件 · English \d+/);
    await snapshots('digest-devset-ja', digest);
    expect(discordDigestMessages(digest).map((m) => m.embeds.length)).toEqual([10, 2]);
  });

  it('devset, English channel, no model: Japanese-only events keep their Japanese headline', async () => {
    const digest = await digestOf(devset(), en, ALL);
    expect(digest.entries.filter((e) => e.langs.join() === 'ja').length).toBeGreaterThan(0);
    const text = textDigest(digest);
    expect(text).not.toMatch(/GMT\+9|Summary \(machine-written\)/);
    expect(text).toMatch(/\d+ English articles? · 日本語 \d+件/);
    await snapshots('digest-devset-en', digest);
  });

  it('devset, Japanese channel, with a model: a Japanese summary under each headline', async () => {
    const digest = await digestOf(devset(), ja, TWO_YEARS, standIn);
    expect(digest.entries.every((e) => e.summary?.includes('記事を1文に'))).toBe(true);
    await snapshots('digest-devset-ja-model', digest);
  });

  it('devset, English channel, with a model: Japanese-only events translated, nothing pings or links a script', async () => {
    const digest = await digestOf(devset(), en, ALL, standIn);
    const translated = digest.entries.filter((e) => e.original);
    expect(translated.length).toBeGreaterThan(0);
    for (const entry of translated) expect(entry.headline).toMatch(/Translated/);
    const all = JSON.stringify([
      slackDigestMessages(digest),
      discordDigestMessages(digest),
      textDigest(digest),
    ]);
    expect(all).not.toMatch(/@everyone|<!channel>|javascript:/);
    await snapshots('digest-devset-en-model', digest);
  });
});
