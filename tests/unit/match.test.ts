/**
 * matchScore signal by signal (figures as MATCH_WEIGHTS and ZONE_WEIGHT have them, written out so a
 * changed weight fails here), and chooseEvent, indexKeys, mergeProfile, sameAmount and
 * buildProfile directly, on hand-built profiles and the tiny world of tests/helpers/core-world.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseEvent,
  indexKeys,
  matchScore,
  mergeProfile,
  sameAmount,
  type Candidate,
} from '../../src/core/cluster.ts';
import type { Profile } from '../../src/core/types.ts';
import { profileOf, world } from '../helpers/core-world.ts';

function profile(over: Partial<Profile> = {}): Profile {
  return { entities: {}, numbers: [], names: [], shingles: [], words: [], ...over };
}

/** Ten title bigrams; `shared(n)` is an event title with n of them. */
const TITLE = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
const shared = (n: number) => [...TITLE.slice(0, n), 'x1', 'x2', 'x3'];
const WORDS = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9'];
const sharedWords = (n: number) => [...WORDS.slice(0, n), 'y1'];

const parents: Record<string, string> = { meti: 'gov', 'sb-intuitions': 'softbank' };
const relations = {
  parentOf: (id: string) => parents[id],
  isPlace: (id: string) => id === 'tokyo',
};
const score = (item: Profile, event: Profile) => matchScore(item, event, relations).score;
/** Two shared headline entities: corroborated, worth 6 before any other signal. */
const pair = { a: 3, b: 3 };

describe('matchScore: shared entities', () => {
  it('a shared entity adds the smaller of its two weights', () => {
    const detail = matchScore(profile({ entities: { a: 3, b: 2 } }), profile({ entities: { a: 2, b: 3 } }));
    expect(detail.score).toBe(2 + 2);
    expect(detail.entities).toEqual(['a', 'b']);
  });

  it('the government behind a shared ministry adds only what it weighs beyond the ministry', () => {
    const both = profile({ entities: { meti: 3, gov: 3 } });
    // gov adds max(0, 3 − 3): one actor, uncorroborated, capped.
    expect(score(both, both)).toBe(2);
    // Without the parent relation the two count as two actors.
    expect(matchScore(both, both).score).toBe(6);
  });

  it('one shared actor and nothing else is capped just under the join bar', () => {
    expect(score(profile({ entities: { a: 3 } }), profile({ entities: { a: 3 } }))).toBe(2);
  });
});

describe('matchScore: contradiction, a headline entity the event never mentions', () => {
  const event = profile({ entities: pair });

  it('costs 1.5× its weight', () => {
    expect(score(profile({ entities: { ...pair, x: 3 } }), event)).toBe(6 - 1.5 * 3);
  });

  it('costs nothing for an entity only in the lead, a place, or one whose parent or unit the event names', () => {
    expect(score(profile({ entities: { ...pair, x: 2 } }), event)).toBe(6);
    expect(score(profile({ entities: { ...pair, tokyo: 3 } }), event)).toBe(6);
    expect(
      score(profile({ entities: { ...pair, meti: 3 } }), profile({ entities: { ...pair, gov: 2 } })),
    ).toBe(6);
    expect(
      score(
        profile({ entities: { ...pair, softbank: 3 } }),
        profile({ entities: { ...pair, 'sb-intuitions': 2 } }),
      ),
    ).toBe(6);
    // A parent named only in the body is no excuse.
    expect(
      score(profile({ entities: { ...pair, meti: 3 } }), profile({ entities: { ...pair, gov: 1 } })),
    ).toBe(6 - 4.5);
  });
});

describe('matchScore: amounts and names', () => {
  it('each shared amount adds 2, in dollars against yen too; bare numbers do not count', () => {
    const item = profile({ entities: { a: 3 }, numbers: ['usd:2.9e+9', 'params:1.72e+11', 'n:5e+6'] });
    const event = profile({ entities: { a: 3 }, numbers: ['jpy:4.4e+11', 'params:1.72e+11', 'n:5e+6'] });
    const detail = matchScore(item, event);
    expect(detail.numbers).toEqual(['usd:2.9e+9', 'params:1.72e+11']);
    expect(detail.score).toBe(3 + 2 * 2);
  });

  it('each shared product name adds 2', () => {
    const detail = matchScore(
      profile({ entities: { a: 3 }, names: ['plamo', 'mn-core'] }),
      profile({ entities: { a: 3 }, names: ['plamo', 'mn-core', 'other'] }),
    );
    expect(detail.names).toEqual(['plamo', 'mn-core']);
    expect(detail.score).toBe(3 + 2 * 2);
  });

  it('contradiction: both name products and none is shared, both report money and no amount is shared', () => {
    const names = score(
      profile({ entities: pair, names: ['plamo'] }),
      profile({ entities: pair, names: ['takane'] }),
    );
    expect(names).toBe(6 - 1);
    const money = score(
      profile({ entities: pair, numbers: ['jpy:1e+12'] }),
      profile({ entities: pair, numbers: ['jpy:5e+11', 'params:7e+9'] }),
    );
    expect(money).toBe(6 - 1);
    // A parameter count is not money: no contradiction.
    expect(
      score(
        profile({ entities: pair, numbers: ['params:7e+9'] }),
        profile({ entities: pair, numbers: ['jpy:5e+11'] }),
      ),
    ).toBe(6);
  });
});

describe('matchScore: title and word overlap', () => {
  it('title overlap at or above 0.3 adds six times the overlap; below it nothing', () => {
    const item = profile({ entities: { a: 3 }, shingles: TITLE });
    const detail = matchScore(item, profile({ entities: { a: 3 }, shingles: shared(5) }));
    expect(detail.titleOverlap).toBe(0.5);
    expect(detail.score).toBe(3 + 6 * 0.5);
    expect(score(item, profile({ entities: { a: 3 }, shingles: shared(3) }))).toBe(3 + 6 * 0.3);
    // 0.25 scores nothing either.
    const long = profile({ entities: { a: 3 }, shingles: [...TITLE, ...TITLE.map((t) => `${t}b`)] });
    expect(score(long, profile({ entities: { a: 3 }, shingles: shared(5) }))).toBe(3);
    // 0.2 scores nothing but corroborates the shared actor: not capped at 2.
    expect(score(item, profile({ entities: { a: 3 }, shingles: shared(2) }))).toBe(3);
    expect(score(item, profile({ entities: { a: 3 }, shingles: shared(1) }))).toBe(2);
  });

  it('an event compares each of its latest titles, not their union', () => {
    const item = profile({ shingles: TITLE });
    const event = profile({ shingles: shared(1), titleSets: [shared(1), shared(6), ['t7', 't8', 't9']] });
    expect(matchScore(item, event).titleOverlap).toBe(0.6);
  });

  it('word overlap at or above 0.2 adds five times the overlap, for an item with at least 3 words', () => {
    const item = profile({ entities: { a: 3 }, words: WORDS });
    const detail = matchScore(item, profile({ entities: { a: 3 }, words: sharedWords(4) }));
    expect(detail.wordOverlap).toBe(0.4);
    expect(detail.score).toBe(3 + 5 * 0.4);
    expect(score(item, profile({ entities: { a: 3 }, words: sharedWords(2) }))).toBe(3 + 5 * 0.2);
    // 0.15 scores nothing but corroborates; 0.1 neither.
    expect(
      score(
        profile({ entities: { a: 3 }, words: [...WORDS, ...'abcdefghij'] }),
        profile({ entities: { a: 3 }, words: sharedWords(3) }),
      ),
    ).toBe(3);
    expect(score(item, profile({ entities: { a: 3 }, words: sharedWords(1) }))).toBe(2);
    // Two words are too few to compare.
    expect(matchScore(profile({ words: ['w0', 'w1'] }), profile({ words: ['w0', 'w1'] })).wordOverlap).toBe(
      0,
    );
  });
});

describe('matchScore: bilingual topics', () => {
  it('each shared topic adds 1, at most 2', () => {
    const item = profile({ entities: { a: 3 }, concepts: ['ai-law', 'subsidy', 'supercomputer'] });
    expect(score(item, profile({ entities: { a: 3 }, concepts: ['ai-law'] }))).toBe(3 + 1);
    expect(
      score(item, profile({ entities: { a: 3 }, concepts: ['ai-law', 'subsidy', 'supercomputer'] })),
    ).toBe(3 + 2);
  });

  it('contradiction: both name topics and none is shared', () => {
    expect(
      score(
        profile({ entities: pair, concepts: ['ai-law'] }),
        profile({ entities: pair, concepts: ['subsidy'] }),
      ),
    ).toBe(6 - 1);
  });
});

describe('sameAmount', () => {
  it('equal amounts, or dollars and yen at 100 to 162 yen a dollar, either way round', () => {
    expect(sameAmount('jpy:1e+12', 'jpy:1e+12')).toBe(true);
    expect(sameAmount('usd:2.9e+9', 'jpy:4.4e+11')).toBe(true);
    expect(sameAmount('jpy:4.4e+11', 'usd:2.9e+9')).toBe(true);
    expect(sameAmount('usd:1e+9', 'jpy:1e+11')).toBe(true);
    expect(sameAmount('usd:1e+9', 'jpy:1.62e+11')).toBe(true);
    expect(sameAmount('usd:1e+9', 'jpy:9.9e+10')).toBe(false);
    expect(sameAmount('usd:1e+9', 'jpy:1.63e+11')).toBe(false);
    expect(sameAmount('eur:1e+9', 'jpy:1.5e+11')).toBe(false);
    expect(sameAmount('params:1e+9', 'params:2e+9')).toBe(false);
  });
});

describe('chooseEvent', () => {
  const DAY = 86_400_000;
  const AT = Date.parse('2026-05-10T00:00:00Z');
  const options = { windowMs: 7 * DAY, threshold: 2.5, ...relations };
  const item = profile({ entities: pair, numbers: ['jpy:1e+12'] });
  const candidate = (id: string, p: Profile, daysAgo = 0): Candidate => ({
    id,
    profile: p,
    lastSeen: AT - daysAgo * DAY,
  });

  it('joins the best candidate at the bar and lists every one that passes it', () => {
    const strong = candidate('e-strong', profile({ entities: pair, numbers: ['jpy:1e+12'] }));
    const weak = candidate('e-weak', profile({ entities: { a: 3 }, names: ['x'] }));
    const none = candidate('e-none', profile({ entities: { z: 3 } }));
    const choice = chooseEvent(item, AT, [weak, none, strong], options);
    expect(choice.eventId).toBe('e-strong');
    expect(choice.detail?.score).toBe(8);
    expect(choice.passing).toEqual([{ id: 'e-strong', score: 8 }]);
    expect(chooseEvent(item, AT, [none], options)).toEqual({ eventId: null, detail: null, passing: [] });
  });

  it('costs nothing for two quiet days, then 1.5 a day; skips events outside the window', () => {
    const p = profile({ entities: pair, numbers: ['jpy:1e+12'] });
    expect(chooseEvent(item, AT, [candidate('e', p, 2)], options).detail?.score).toBe(8);
    expect(chooseEvent(item, AT, [candidate('e', p, 4)], options).detail?.score).toBe(8 - 1.5 * (4 - 2));
    expect(chooseEvent(item, AT, [candidate('e', p, 6)], options).eventId).toBeNull();
    expect(chooseEvent(item, AT, [candidate('e', p, 8)], { ...options, threshold: -100 }).eventId).toBeNull();
  });

  it('breaks ties to the earlier id, whatever the order of candidates', () => {
    const p = profile({ entities: pair });
    const choice = chooseEvent(item, AT, [candidate('e-b', p), candidate('e-a', p)], options);
    expect(choice.eventId).toBe('e-a');
    expect(choice.passing.map((c) => c.id)).toEqual(['e-b', 'e-a']);
  });
});

describe('indexKeys', () => {
  it('prominent entities only (lead or headline), money and other amounts but not bare numbers, names, 4 words, topics', () => {
    const keys = indexKeys(
      profile({
        entities: { a: 3, b: 2, c: 1 },
        numbers: ['n:5e+6', 'jpy:1e+12', 'params:7e+9'],
        names: ['plamo'],
        words: ['w0', 'w1', 'w2', 'w3', 'w4'],
        concepts: ['ai-law'],
      }),
    );
    expect(keys).toEqual([
      'e:a',
      'e:b',
      'n:jpy:1e+12',
      'n:params:7e+9',
      'm:plamo',
      'w:w0',
      'w:w1',
      'w:w2',
      'w:w3',
      'c:ai-law',
    ]);
  });

  it('every entity when none is prominent; at most 6 amounts and 6 names', () => {
    const many = Array.from({ length: 8 }, (_, i) => `v${i}`);
    const keys = indexKeys(
      profile({ entities: { c: 1, d: 0.5 }, numbers: many.map((v) => `jpy:${v}`), names: many }),
    );
    expect(keys.filter((k) => k.startsWith('e:'))).toEqual(['e:c', 'e:d']);
    expect(keys.filter((k) => k.startsWith('n:'))).toHaveLength(6);
    expect(keys.filter((k) => k.startsWith('m:'))).toHaveLength(6);
  });
});

describe('mergeProfile', () => {
  it('keeps the strongest weight of each entity, the union of amounts, names and topics, the latest 5 titles', () => {
    const event = profile({
      entities: { a: 3, b: 1 },
      numbers: ['jpy:1e+12'],
      names: ['plamo'],
      shingles: ['s0'],
      words: ['w0'],
      concepts: ['ai-law'],
    });
    const item = profile({
      entities: { b: 2, c: 1 },
      numbers: ['jpy:1e+12', 'usd:1e+9'],
      names: ['mn-core'],
      shingles: ['s1'],
      words: ['w1'],
      concepts: ['subsidy'],
    });
    const merged = mergeProfile(event, item);
    expect(merged.entities).toEqual({ a: 3, b: 2, c: 1 });
    expect(merged.numbers).toEqual(['jpy:1e+12', 'usd:1e+9']);
    expect(merged.names).toEqual(['plamo', 'mn-core']);
    expect(merged.concepts).toEqual(['ai-law', 'subsidy']);
    // The founding article's title and words stay the event's own; each article's are kept apart.
    expect(merged.shingles).toEqual(['s0']);
    expect(merged.words).toEqual(['w0']);
    expect(merged.titleSets).toEqual([['s0'], ['s1']]);
    expect(merged.wordSets).toEqual([['w0'], ['w1']]);
    let grown = merged;
    for (let i = 2; i < 8; i++) grown = mergeProfile(grown, profile({ shingles: [`s${i}`] }));
    expect(grown.titleSets).toEqual([['s3'], ['s4'], ['s5'], ['s6'], ['s7']]);
  });

  it('caps amounts at 24 and names at 20', () => {
    const many = (prefix: string) => Array.from({ length: 30 }, (_, i) => `${prefix}${i}`);
    const merged = mergeProfile(
      profile({ numbers: many('jpy:'), names: many('n') }),
      profile({ names: ['late'] }),
    );
    expect(merged.numbers).toHaveLength(24);
    expect(merged.names).toHaveLength(20);
    expect(merged.names).not.toContain('late');
  });
});

describe('buildProfile', () => {
  const core = world();

  it('weighs an entity by where it is named: headline 3, lead 2, body half a mention up to two', () => {
    const p = profileOf(
      core,
      'SoftBank to build LLM',
      'Fujitsu will help.',
      'Honda said so. Honda again. Honda a third time. Mizuho once.',
    );
    expect(p.entities).toEqual({
      softbank: 3,
      fujitsu: 2,
      honda: 1,
      mizuho: 0.5,
    });
  });

  it('a unit names its organisation too, at half weight a step up', () => {
    const p = profileOf(core, 'METI and SB Intuitions to build LLM');
    expect(p.entities).toEqual({ meti: 3, 'government-of-japan': 1.5, 'sb-intuitions': 3, softbank: 1.5 });
  });

  it('amounts from the headline, lead and body once each; names, title bigrams, words and topics', () => {
    const p = profileOf(
      core,
      'Fujitsu to invest 1 trillion yen in PLaMo AI law push',
      'Fujitsu will invest ¥1 trillion and $2 billion.',
      'The 1 trillion yen plan.',
    );
    expect(p.numbers).toEqual(['jpy:1e+12', 'usd:2e+9']);
    expect(p.names).toEqual(['plamo']);
    expect(p.shingles).toContain('fu');
    expect(p.words).toEqual(expect.arrayContaining(['trillion', 'push']));
    // Lexicon terms and aliases identify no story.
    expect(p.words).not.toContain('fujitsu');
    expect(p.words).not.toContain('invest');
    expect(p.concepts).toEqual(['ai-law']);
  });
});
