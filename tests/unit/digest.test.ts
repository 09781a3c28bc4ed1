import { describe, expect, it } from 'vitest';
import {
  buildAlert,
  buildDigest,
  selectDigestEvents,
  type DigestChannel,
  type DigestOptions,
} from '../../src/core/digest.ts';
import { discordAlertMessage, discordDigestMessages, DISCORD_LIMITS } from '../../src/core/digest-discord.ts';
import { SLACK_LIMITS, slackDigestMessages } from '../../src/core/digest-slack.ts';
import { textDigest } from '../../src/core/digest-text.ts';
import type { EventRecord, StoredItem } from '../../src/core/types.ts';

const NOW = '2026-04-15T03:00:00.000Z';
const channel: DigestChannel = { id: 'slack:C1', language: 'en', timezone: 'Asia/Tokyo', subscriptions: [] };
const options: DigestOptions = {
  since: '2026-04-14T00:00:00.000Z',
  until: NOW,
  maxAgeDays: 3,
  maxEvents: 20,
  shown: new Map(),
};

function event(id: string, over: Partial<EventRecord> = {}): EventRecord {
  const title = over.title ?? `Event ${id}`;
  return {
    id,
    title,
    titles: { en: title },
    firstSeen: '2026-04-15T01:00:00.000Z',
    lastSeen: '2026-04-15T01:00:00.000Z',
    updatedAt: '2026-04-15T01:00:00.000Z',
    sources: ['Nikkei'],
    langs: ['en'],
    companies: ['softbank'],
    itemIds: [`i-${id}`],
    reasons: ['Japanese actors: SoftBank, NEC, Honda', 'AI: LLM, AI, GPU'],
    profile: { entities: {}, numbers: [], names: [], shingles: [], words: [] },
    ...over,
  };
}

function item(id: string, over: Partial<StoredItem> = {}): StoredItem {
  return {
    id,
    inputId: id,
    url: `https://news.example/${id}`,
    source: 'Nikkei',
    lang: 'en',
    title: 't',
    summary: '',
    published: '2026-04-15T01:00:00.000Z',
    firstSeen: '2026-04-15T01:00:00.000Z',
    relevant: true,
    score: 5,
    companies: [],
    reasons: [],
    terms: [],
    event: null,
    ...over,
  };
}

const names: Record<string, string> = { softbank: 'SoftBank', nec: 'NEC', pfn: 'Preferred Networks' };
const nameOf = (id: string) => names[id] ?? id;

function digestOf(events: EventRecord[], opts: Partial<DigestOptions> = {}, target = channel) {
  const all = { ...options, ...opts };
  const items = new Map(events.flatMap((e) => e.itemIds.map((id) => [id, item(id)] as const)));
  return buildDigest(selectDigestEvents(events, target, all), target, all, items, nameOf);
}

describe('selecting and ranking a digest', () => {
  it('lists events updated in the window, most outlets first, and leaves out older windows and stale news', () => {
    const digest = digestOf([
      event('one', { sources: ['A'] }),
      event('three', { sources: ['A', 'B', 'C'] }),
      event('before-window', { updatedAt: '2026-04-13T00:00:00.000Z' }),
      event('old-news', { lastSeen: '2026-04-01T00:00:00.000Z' }),
    ]);
    expect(digest.entries.map((e) => e.eventId)).toEqual(['three', 'one']);
    expect(digest.counts).toEqual({ new: 2, update: 0 });
  });

  it('shows an event already digested again only when it gained outlets, as an update', () => {
    const shown = new Map([
      ['grew', 1],
      ['same', 2],
    ]);
    const digest = digestOf(
      [event('grew', { sources: ['A', 'B', 'C'] }), event('same', { sources: ['A', 'B'] }), event('fresh')],
      { shown },
    );
    expect(digest.entries.map((e) => [e.eventId, e.kind, e.newSources])).toEqual([
      ['grew', 'update', 2],
      ['fresh', 'new', 0],
    ]);
    expect(textDigest(digest)).toContain('3 outlets (English), +2 since the last digest');
  });

  it('puts an event about a subscribed company above a busier one', () => {
    const target = { ...channel, subscriptions: ['pfn'] };
    const digest = digestOf(
      [event('busy', { sources: ['A', 'B'] }), event('subscribed', { companies: ['softbank', 'pfn'] })],
      {},
      target,
    );
    expect(digest.entries.map((e) => e.eventId)).toEqual(['subscribed', 'busy']);
    expect(digest.entries[0]!.companies[0]).toBe('Preferred Networks');
  });

  it('prefers the English headline, or the Japanese one for a Japanese channel', () => {
    const bilingual = event('b', {
      titles: { en: 'SoftBank model', ja: 'ソフトバンクのモデル' },
      langs: ['ja', 'en'],
    });
    const japaneseOnly = event('j', { title: '国産LLM', titles: { ja: '国産LLM' }, langs: ['ja'] });
    expect(digestOf([bilingual, japaneseOnly]).entries.map((e) => e.headline)).toEqual([
      'SoftBank model',
      '国産LLM',
    ]);
    const ja = digestOf([bilingual], {}, { ...channel, language: 'ja' });
    expect(ja.entries[0]!.headline).toBe('ソフトバンクのモデル');
  });

  it('links the first outlet to publish and says why it is relevant in a few words', () => {
    const e = event('x', { itemIds: ['late', 'early'] });
    const items = new Map([
      ['late', item('late', { published: '2026-04-15T02:00:00.000Z', url: 'https://late.example/' })],
      ['early', item('early', { published: '2026-04-15T00:00:00.000Z', url: 'https://early.example/' })],
    ]);
    const digest = buildDigest(selectDigestEvents([e], channel, options), channel, options, items, nameOf);
    expect(digest.entries[0]!.url).toBe('https://early.example/');
    expect(digest.entries[0]!.why).toBe('Japanese actors: SoftBank, NEC… · AI: LLM, AI…');
  });

  it('caps the digest at maxEvents and says how many were left out', () => {
    const digest = digestOf(
      Array.from({ length: 5 }, (_, i) => event(`e${i}`)),
      { maxEvents: 3 },
    );
    expect(digest.entries).toHaveLength(3);
    expect(textDigest(digest)).toContain('…and 2 more events not shown.');
  });
});

describe('Slack rendering', () => {
  it('escapes & < > so a title cannot break its link or ping the channel', () => {
    const title = 'R&D <!everyone> <https://evil.example|click> > ok';
    const e = event('x', { title, titles: { en: title }, itemIds: ['i1'] });
    const items = new Map([['i1', item('i1', { url: 'https://news.example/a?b=1&c=<2>|x' })]]);
    const digest = buildDigest(selectDigestEvents([e], channel, options), channel, options, items, nameOf);
    const [message] = slackDigestMessages(digest);
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!everyone>');
    expect(json).not.toContain('<https://evil');
    const section = message!.blocks.find((b) => b.type === 'section');
    expect(section).toMatchObject({
      text: {
        text: expect.stringContaining(
          '<https://news.example/a?b=1&amp;c=%3C2%3E%7Cx|R&amp;D &lt;!everyone&gt; &lt;https://evil.example|click&gt; &gt; ok>',
        ),
      },
    });
    expect(message!.text).toContain('R&amp;D &lt;!everyone&gt;');
  });

  it('splits a long digest into messages in order, each within 50 blocks and 3,000 characters a block', () => {
    const long = 'Very long headline '.repeat(40);
    const events = Array.from({ length: 90 }, (_, i) =>
      event(`e${String(i).padStart(2, '0')}`, { title: `${i} ${long}`, titles: { en: `${i} ${long}` } }),
    );
    const digest = digestOf(events, { maxEvents: 90 });
    const messages = slackDigestMessages(digest);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      for (const b of m.blocks) {
        if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.textPerBlock);
        if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      }
      expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    }
    const order = messages.flatMap((m) =>
      m.blocks.filter((b) => b.type === 'section').map((b) => b.text.text.match(/\|(\d+) /)![1]),
    );
    expect(order).toEqual(digest.entries.map((e) => e.headline.split(' ')[0]));
    expect(messages.map((m) => (m.blocks[0] as { text: { text: string } }).text.text)).toEqual(
      messages.map((_, i) => `Japan AI watch: 90 new (${i + 1}/${messages.length})`),
    );
  });

  it('says "nothing new" in one line when there is nothing', () => {
    const messages = slackDigestMessages(digestOf([], { firstDigest: true }));
    expect(messages).toEqual([
      {
        text: 'Japan AI watch: nothing new in the last 3 days.',
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: 'Japan AI watch: nothing new in the last 3 days.' },
          },
        ],
      },
    ]);
  });
});

describe('Discord rendering', () => {
  it('keeps every message within 10 embeds, 6,000 characters and 256 a title, and pings nobody', () => {
    const title = `@everyone ${'x'.repeat(400)}`;
    const events = Array.from({ length: 23 }, (_, i) =>
      event(`e${i}`, {
        title,
        titles: { en: title },
        reasons: [`AI: ${'y'.repeat(900)}`],
      }),
    );
    const messages = discordDigestMessages(digestOf(events, { maxEvents: 23 }));
    expect(messages.flatMap((m) => m.embeds)).toHaveLength(23);
    for (const m of messages) {
      expect(m.allowed_mentions).toEqual({ parse: [] });
      expect(m.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
      const chars = m.embeds.reduce(
        (n, e) => n + e.title.length + e.description.length + (e.footer?.text.length ?? 0),
        0,
      );
      expect(chars).toBeLessThanOrEqual(DISCORD_LIMITS.embedCharsPerMessage);
      for (const e of m.embeds) expect([...e.title].length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    }
    expect(messages[0]!.content).toMatch(/^\*\*Japan AI watch\*\*: 23 new \(1\/\d\)/);
  });

  it('escapes markdown and mentions in what it writes around titles', () => {
    const e = event('x', { companies: ['c_1*'], reasons: ['AI: <@123>'] });
    const [message] = discordDigestMessages(digestOf([e]));
    expect(message!.embeds[0]!.description).toContain('Companies: c\\_1\\*');
    expect(message!.embeds[0]!.description).toContain('Why: AI: \\<\\@123\\>');
  });

  it('alerts with one embed naming the subscribed company', () => {
    const target = { ...channel, id: 'discord:1', subscriptions: ['softbank'] };
    const alert = buildAlert(event('a'), target, new Map([['i-a', item('i-a')]]), nameOf);
    const message = discordAlertMessage(alert);
    expect(message.content).toBe('**Japan AI watch alert**: SoftBank');
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds[0]).toMatchObject({ title: 'Event a', url: 'https://news.example/i-a' });
  });
});

describe('a 6,000-character article URL', () => {
  const long = `https://news.example/a?${'x=1&'.repeat(1500)}`;
  const headline = 'SoftBank and NEC start a domestic foundation-model company';
  const slackText = (entries: ReturnType<typeof buildDigest>) =>
    slackDigestMessages(entries).flatMap((m) =>
      m.blocks.flatMap((b) =>
        'text' in b ? [b.text.text] : 'elements' in b ? b.elements.map((e) => e.text) : [],
      ),
    );

  function digestWith(urls: Record<string, string>) {
    const e = event('long', { title: headline, itemIds: Object.keys(urls), sources: ['Nikkei', 'Kyodo'] });
    const items = new Map(
      Object.entries(urls).map(([id, url], i) => [
        id,
        item(id, { url, published: `2026-04-15T0${i}:00:00.000Z` }),
      ]),
    );
    return buildDigest(selectDigestEvents([e], channel, options), channel, options, items, nameOf);
  }

  it('is left out: the headline links to the shortest other article of the event', () => {
    const digest = digestWith({
      first: long,
      second: 'https://kyodo.example/ai',
      third: 'https://b.example/x/y',
    });
    expect(digest.entries[0]!.url).toBe('https://b.example/x/y');
  });

  it('alone, leaves the headline unlinked with outlets, time and reasons intact, within every limit', () => {
    expect(long.length).toBeGreaterThan(6000);
    const digest = digestWith({ only: long });
    expect(digest.entries[0]!.url).toBeNull();

    const texts = slackText(digest);
    const entry = texts.find((t) => t.includes(headline))!;
    expect(entry).toContain(`*${headline}*`);
    expect(entry).toMatch(/2 outlets \(English\)/);
    expect(entry).toMatch(/first seen <!date\^/);
    expect(entry).toMatch(/_Why:_ Japanese actors/);
    expect(entry).not.toContain('x=1');
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.textPerBlock);

    const [message] = discordDigestMessages(digest);
    const embed = message!.embeds[0]!;
    expect(embed.url).toBeUndefined();
    expect(embed.title).toBe(headline);
    expect(embed.description).toMatch(/2 outlets[\s\S]*First seen <t:[\s\S]*Why: Japanese actors/);
    expect(JSON.stringify(message)).not.toContain('x=1');
  });

  it('a Slack link whose escaped form would crowd the block is left out too', () => {
    const ampersands = `https://news.example/?${'&'.repeat(1900)}`;
    const texts = slackText(digestWith({ only: ampersands }));
    expect(texts.find((t) => t.includes(headline))).not.toContain('news.example');
  });
});
