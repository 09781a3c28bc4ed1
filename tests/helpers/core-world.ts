/**
 * A tiny world for rule tests: a dozen entities and a short lexicon, built here so that an edit
 * of config/*.yaml cannot break a rule test (the quality tests are the ones that load the real
 * configuration). Every term a rule test relies on is in this file.
 */
import { Analyser, type LexiconTerms } from '../../src/core/analyse.ts';
import { createClassifier } from '../../src/core/classify.ts';
import { EntityRegistry, type Entity } from '../../src/core/entities.ts';
import { buildProfile } from '../../src/core/features.ts';
import type { Core } from '../../src/core/index.ts';
import type { FeedItem, Lang, Profile } from '../../src/core/types.ts';

type EntitySpec = Omit<Entity, 'aliases' | 'aiFocus'> & {
  aiFocus?: boolean;
  en?: string[];
  ja?: string[];
  contextual?: string[];
};

const entity = ({ en = [], ja = [], contextual, aiFocus = false, ...rest }: EntitySpec): Entity => ({
  ...rest,
  aiFocus,
  aliases: { en, ja, ...(contextual ? { contextual } : {}) },
});

export const ENTITIES: Entity[] = [
  entity({
    id: 'government-of-japan',
    name: 'Government of Japan',
    kind: 'government',
    country: 'JP',
    contextual: ['政府', 'the Cabinet'],
  }),
  entity({
    id: 'meti',
    name: 'METI',
    kind: 'government',
    country: 'JP',
    parent: 'government-of-japan',
    ja: ['経産省'],
  }),
  entity({
    id: 'digital-agency',
    name: 'Digital Agency',
    kind: 'government',
    country: 'JP',
    parent: 'government-of-japan',
    ja: ['デジタル庁'],
  }),
  entity({ id: 'softbank', name: 'SoftBank', kind: 'company', country: 'JP', ja: ['ソフトバンク'] }),
  entity({
    id: 'sb-intuitions',
    name: 'SB Intuitions',
    kind: 'company',
    country: 'JP',
    aiFocus: true,
    parent: 'softbank',
  }),
  entity({
    id: 'sakana-ai',
    name: 'Sakana AI',
    kind: 'company',
    country: 'JP',
    aiFocus: true,
    ja: ['サカナAI'],
  }),
  entity({ id: 'fujitsu', name: 'Fujitsu', kind: 'company', country: 'JP', ja: ['富士通'] }),
  entity({ id: 'honda', name: 'Honda', kind: 'company', country: 'JP', ja: ['ホンダ'] }),
  entity({ id: 'mizuho', name: 'Mizuho', kind: 'investor', country: 'JP', ja: ['みずほ'] }),
  entity({
    id: 'mhi',
    name: 'Mitsubishi Heavy Industries',
    kind: 'company',
    country: 'JP',
    en: ['MHI'],
    ja: ['三菱重工'],
  }),
  entity({ id: 'openai', name: 'OpenAI', kind: 'company', country: 'US', aiFocus: true, ja: ['オープンAI'] }),
  entity({
    id: 'nvidia',
    name: 'Nvidia',
    kind: 'company',
    country: 'US',
    aiFocus: true,
    ja: ['エヌビディア'],
  }),
  entity({ id: 'microsoft', name: 'Microsoft', kind: 'company', country: 'US', ja: ['マイクロソフト'] }),
  entity({ id: 'tokyo', name: 'Tokyo', kind: 'place', country: 'JP', ja: ['東京'] }),
];

export const LEXICON: LexiconTerms = {
  ai: {
    strong: ['AI', 'LLM', 'large language model', 'generative AI', '生成AI', '大規模言語モデル'],
    weak: ['GPU', 'data center', 'data centers', 'supercomputer', 'データセンター', 'cloud infrastructure'],
  },
  japan: {
    place: ['Japan', 'Japanese', '日本'],
    domestic: ['domestic', 'homegrown', '国産'],
    language: ['Japanese-language', '日本語'],
  },
  foreign: ['U.S.', 'US', 'California', 'Silicon Valley', 'Saudi Arabia', 'Arabic', '米', '米国'],
  invest: ['invest', 'stake', 'raises', '出資', '投資', '調達'],
  build: ['build', 'develop', 'expand', '開発', '建設'],
  negative: {
    survey: ['survey', 'poll', '調査'],
    earnings: ['profit', 'quarterly'],
    availability: ['now available', '対応'],
  },
  dependence: {
    use: ['adopt', 'use', 'office', '導入', '活用'],
    own: ['Japanese-tuned', '独自'],
    supply: ['gas turbines', 'ガスタービン', '受注'],
  },
  concepts: {
    'ai-law': ['AI law', 'AI法'],
    subsidy: ['subsidy', '補助金'],
    'data-center': ['data center', 'データセンター'],
    'model-release': ['releases', 'released', '公開'],
  },
};

export const CLASSIFIER_WEIGHTS = { title: 2, bodyCap: 4, threshold: 3.5 } as const;
/** Outlets whose unmarked stories happen in Japan. */
export const JAPANESE_OUTLETS = ['Nikkei Asia'];

export function world(): Core {
  const registry = new EntityRegistry(ENTITIES);
  return {
    registry,
    analyser: new Analyser(registry, LEXICON),
    classify: createClassifier(registry, CLASSIFIER_WEIGHTS, JAPANESE_OUTLETS),
    dedupe: { windowMs: 7 * 86_400_000, threshold: 2.5, perKey: 30, maxCandidates: 5 },
  };
}

export function feedItem(over: Partial<FeedItem> & Pick<FeedItem, 'title'>): FeedItem {
  return {
    id: 'x',
    source: 'Test Wire',
    url: 'https://news.example/x',
    lang: 'en',
    published: '2026-01-01T00:00:00Z',
    summary: '',
    content: '',
    ...over,
  };
}

/** Judges a headline (and lead, body) as an item from `source` in `lang`. */
export function judger(core: Core = world()) {
  return (title: string, over: { summary?: string; content?: string; lang?: Lang; source?: string } = {}) => {
    const item = feedItem({ title, ...over });
    return core.classify(core.analyser.analyse(item), { lang: item.lang, source: item.source });
  };
}

/** The profile the pipeline builds for an item of this world. */
export function profileOf(core: Core, title: string, summary = '', content = ''): Profile {
  return buildProfile(core.analyser.analyse({ title, summary, content }), {
    generic: core.analyser.genericWords,
    parentOf: (id) => core.registry.parentOf(id),
  });
}
