import { describe, expect, it } from 'vitest';
import { eventTerms, MAX_TERMS_PER_EVENT, planQuery, textTerms } from '../../src/search/terms.ts';
import type { EventRecord } from '../../src/core/types.ts';
import { EntityRegistry } from '../../src/core/entities.ts';

/** The companies these tests name, with their aliases in both scripts (not config/entities.yaml). */
const registry = new EntityRegistry([
  {
    id: 'softbank',
    name: 'SoftBank',
    kind: 'company',
    country: 'JP',
    aiFocus: false,
    aliases: { en: ['SoftBank Group'], ja: ['ソフトバンク'] },
  },
  {
    id: 'mhi',
    name: 'Mitsubishi Heavy Industries',
    kind: 'company',
    country: 'JP',
    aiFocus: false,
    aliases: { en: ['MHI'], ja: ['三菱重工'] },
  },
]);

describe('search terms', () => {
  it('folds like the classifier: NFKC, lower case, light plurals; Japanese as bigrams', () => {
    expect(textTerms('ＳｏｆｔＢａｎｋ Models of the LLMs')).toEqual(['softbank', 'model', 'llm']);
    expect(textTerms('生成AIを試作')).toEqual(['生成', 'ai', 'を試', '試作']);
    expect(textTerms('Webテキスト')).toEqual(['web', 'テキ', 'キス', 'スト']);
  });

  it('reads a company alias in either script as that company', () => {
    for (const name of ['ソフトバンク', 'SoftBank', 'softbank group', 'ＳｏｆｔＢａｎｋ'])
      expect(planQuery(name, registry).terms).toEqual(['@softbank']);
    expect(planQuery('三菱重工', registry).terms).toEqual(['@mhi']);
    expect(planQuery('MHI', registry).terms).toEqual(['@mhi']);
    expect(planQuery('Mitsubishi Heavy Industries AI', registry).terms).toEqual(['@mhi', 'ai']);
  });

  it('keeps product names as words, and drops Japanese particles', () => {
    expect(planQuery('PLaMo', registry).terms).toEqual(['plamo']);
    expect(planQuery('ソフトバンクの生成AI', registry).terms).toEqual(['@softbank', '生成', 'ai']);
  });

  it('explains queries it cannot search', () => {
    expect(planQuery('the of', registry).problem).toBe('too-common');
    expect(planQuery('株', registry).problem).toBe('too-short');
    expect(planQuery('!!!', registry).problem).toBe('empty');
  });

  it('indexes an event under its companies first, and caps its terms', () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const event = {
      id: 'e-1',
      title: long,
      titles: { en: long, ja: 'ソフトバンクが生成AI' },
      companies: ['softbank', 'nec'],
      profile: { names: ['sarashina2-8x70b'] },
    } as unknown as EventRecord;
    const terms = eventTerms(event);
    expect(terms.slice(0, 3)).toEqual(['@softbank', '@nec', 'word0']);
    expect(terms).toHaveLength(MAX_TERMS_PER_EVENT);
  });
});
