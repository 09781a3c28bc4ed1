/**
 * The merge decision on hand-built profiles: an article that matches two recent events at the
 * join bar bridges them, unless they contradict each other or the union would pass the caps.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseMerges,
  contradicts,
  MAX_EVENT_ARTICLES,
  MERGE_LIMITS,
  type MergeCandidate,
} from '../../src/core/cluster.ts';
import { processItem } from '../../src/pipeline/process-item.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { world } from '../helpers/core-world.ts';
import { shownThroughMerges } from '../../src/core/merges.ts';
import type { Profile } from '../../src/core/types.ts';

const DAY = 86_400_000;
const AT = Date.parse('2026-05-10T00:00:00Z');
const options = { windowMs: 7 * DAY, threshold: 2.5 };

function profile(over: Partial<Profile> = {}): Profile {
  return { entities: {}, numbers: [], names: [], shingles: [], words: [], ...over };
}

function candidate(id: string, p: Profile, over: Partial<MergeCandidate> = {}): MergeCandidate {
  return { id, profile: p, lastSeen: AT - DAY, articles: 2, mergedFrom: [], ...over };
}

// An English wire report: the company and the amount. A Japanese report: the company and the product.
const english = profile({ entities: { sakana: 3 }, numbers: ['jpy:2e+10'] });
const japanese = profile({ entities: { sakana: 3 }, names: ['tinyswallow'] });
// The article that links them names the company, the amount and the product.
const bridge = profile({ entities: { sakana: 3 }, numbers: ['jpy:2e+10'], names: ['tinyswallow'] });

describe('merging events an article bridges', () => {
  it('merges the other event the bridging article matches at the join bar', () => {
    expect(
      chooseMerges(bridge, AT, candidate('e-en', english), [candidate('e-ja', japanese)], options),
    ).toEqual(['e-ja']);
  });

  it('does not merge an event the article matches below the bar', () => {
    const other = profile({ entities: { sakana: 1 } });
    expect(chooseMerges(bridge, AT, candidate('e-en', english), [candidate('e-x', other)], options)).toEqual(
      [],
    );
  });

  it('does not merge an event outside the window', () => {
    const old = candidate('e-ja', japanese, { lastSeen: AT - 30 * DAY });
    expect(chooseMerges(bridge, AT, candidate('e-en', english), [old], options)).toEqual([]);
  });

  it('a contradiction between the two events blocks the merge: another product, another amount', () => {
    const otherProduct = profile({ entities: { sakana: 3 }, numbers: ['jpy:2e+10'], names: ['evomerge'] });
    const joined = profile({ entities: { sakana: 3 }, numbers: ['jpy:2e+10'], names: ['tinyswallow'] });
    const item = profile({
      entities: { sakana: 3 },
      numbers: ['jpy:2e+10'],
      names: ['tinyswallow', 'evomerge'],
    });
    expect(contradicts(joined, otherProduct)).toBe(true);
    expect(
      chooseMerges(item, AT, candidate('e-a', joined), [candidate('e-b', otherProduct)], options),
    ).toEqual([]);

    const otherAmount = profile({ entities: { sakana: 3 }, numbers: ['jpy:5e+10'], names: ['tinyswallow'] });
    expect(contradicts(english, otherAmount)).toBe(true);
    // The same amount in dollars is no contradiction.
    expect(contradicts(english, profile({ numbers: ['usd:1.5e+8'] }))).toBe(false);
  });

  it('never chains into a giant event: articles and merges are capped', () => {
    const big = candidate('e-ja', japanese, { articles: MERGE_LIMITS.maxArticles - 2 });
    expect(chooseMerges(bridge, AT, candidate('e-en', english), [big], options)).toEqual([]);
    const mergedMuch = candidate('e-ja', japanese, {
      mergedFrom: Array.from({ length: MERGE_LIMITS.maxMerged }, (_, i) => `e-old${i}`),
    });
    expect(chooseMerges(bridge, AT, candidate('e-en', english), [mergedMuch], options)).toEqual([]);
  });

  it('takes the strongest bridges first and skips one that contradicts an event already taken', () => {
    const second = profile({ entities: { sakana: 3 }, numbers: ['jpy:2e+10'] });
    const conflicting = profile({ entities: { sakana: 3 }, names: ['tinyswallow'], numbers: ['jpy:9e+10'] });
    const merged = chooseMerges(
      bridge,
      AT,
      candidate('e-ja', japanese),
      [candidate('e-b', second), candidate('e-c', conflicting)],
      options,
    );
    expect(merged).toContain('e-b');
    expect(merged).not.toContain('e-c');
  });
});

describe('what a channel was shown, through merges', () => {
  it('counts a merged event as shown with the most outlets any of its parts had', () => {
    const shown = new Map([
      ['e-a', 2],
      ['e-b', 3],
    ]);
    const result = shownThroughMerges(shown, [
      { id: 'e-a', mergedFrom: ['e-b'] },
      { id: 'e-new', mergedFrom: [] },
    ]);
    expect(result.get('e-a')).toBe(3);
    expect(result.has('e-new')).toBe(false);
  });
});

describe('a full event', () => {
  it(`takes no more than ${MAX_EVENT_ARTICLES} articles: the next report of the story starts another`, async () => {
    const deps = { ...world(), store: createMemoryStore() };
    const events = new Set<string>();
    for (let n = 0; n <= MAX_EVENT_ARTICLES; n++) {
      const result = await processItem(
        {
          id: `copy-${n}`,
          source: `Outlet ${n}`,
          url: `https://outlet${n}.example/sakana-tinyswallow`,
          lang: 'en',
          published: new Date(Date.parse('2026-05-10T00:00:00Z') + n * 60_000).toISOString(),
          title: 'Sakana AI releases TinySwallow, a small Japanese language model',
          summary:
            'Tokyo-based Sakana AI released TinySwallow-1.5B, a Japanese LLM trained with a new method.',
          content: '',
        },
        deps,
      );
      if ('eventId' in result) events.add(result.eventId);
    }
    const sizes = await Promise.all(
      [...events].map(async (id) => (await deps.store.getEvent(id))!.itemIds.length),
    );
    expect(sizes).toEqual([MAX_EVENT_ARTICLES, 1]);
  });
});
