/**
 * The digests a user would read, built from the seeds and the devset replayed
 * through the real pipeline (memory store). Reviewed by eye in the .txt/.json
 * files next to this test; a change in ranking, wording or escaping shows up there.
 */
import { describe, expect, it } from 'vitest';
import {
  buildDigest,
  itemIdsFor,
  selectDigestEvents,
  type DigestChannel,
  type DigestOptions,
} from '../../src/core/digest.ts';
import { discordDigestMessages } from '../../src/core/digest-discord.ts';
import { slackDigestMessages } from '../../src/core/digest-slack.ts';
import { textDigest } from '../../src/core/digest-text.ts';
import type { LabelledItem } from '../../src/replay/items-file.ts';
import { replay } from '../../src/replay/replay.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { core, devset, seeds } from '../helpers/fixtures.ts';

async function digestOf(items: LabelledItem[], channel: DigestChannel, options: DigestOptions) {
  const c = core();
  const store = createMemoryStore();
  await replay(items, c, store);
  const selected = selectDigestEvents(await store.listEvents({ since: options.since }), channel, options);
  const stored = await store.getItems(itemIdsFor(selected.slice(0, options.maxEvents)));
  const byId = new Map(stored.map((item) => [item.id, item]));
  return buildDigest(selected, channel, options, byId, (id) => c.registry.nameOf(id));
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
    await expect(textDigest(digest)).toMatchFileSnapshot('./__snapshots__/digest-seeds.txt');
    await expect(JSON.stringify(slackDigestMessages(digest), null, 2)).toMatchFileSnapshot(
      './__snapshots__/digest-seeds.slack.json',
    );
    await expect(JSON.stringify(discordDigestMessages(digest), null, 2)).toMatchFileSnapshot(
      './__snapshots__/digest-seeds.discord.json',
    );
  });

  it('devset: every event of two years in one Japanese-language digest, capped at 20', async () => {
    const digest = await digestOf(
      devset(),
      { id: 'discord:123456789', language: 'ja', timezone: 'Asia/Tokyo', subscriptions: ['sb-intuitions'] },
      {
        since: '2023-01-01T00:00:00.000Z',
        until: '2025-09-01T00:00:00.000Z',
        maxAgeDays: 1000,
        maxEvents: 20,
        shown: new Map(),
      },
    );
    expect(digest.entries).toHaveLength(20);
    expect(digest.omitted).toBeGreaterThan(0);
    await expect(textDigest(digest)).toMatchFileSnapshot('./__snapshots__/digest-devset.txt');
    const discord = discordDigestMessages(digest);
    expect(discord.map((m) => m.embeds.length)).toEqual([10, 10]);
  });
});
