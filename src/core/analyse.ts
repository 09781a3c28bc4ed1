/**
 * One scan of an item's text against the entity aliases and the term lexicons,
 * shared by the classifier and the clusterer. Text is split into zones because
 * where a word appears matters: a headline is what the story is about, a
 * passing mention deep in a long body is not.
 */
import type { EntityRegistry, Entity } from './entities.ts';
import { normaliseText } from './normalise.ts';
import { PhraseIndex, type PhraseHit } from './phrase-index.ts';
import type { FeedItem } from './types.ts';

export type Family =
  | 'ai'
  | 'aiWeak'
  | 'place'
  | 'domestic'
  | 'language'
  | 'foreign'
  | 'foreignActor'
  | 'invest'
  | 'build'
  | 'survey'
  | 'earnings'
  | 'availability'
  | 'use'
  | 'own'
  | 'supply';

export interface LexiconTerms {
  ai: { strong: string[]; weak: string[] };
  japan: { place: string[]; domestic: string[]; language: string[] };
  foreign: string[];
  invest: string[];
  build: string[];
  negative: { survey: string[]; earnings: string[]; availability: string[] };
  /** Someone else's AI used, Japan's own capability, supplies to others. */
  dependence?: { use: string[]; own: string[]; supply: string[] };
  concepts?: Record<string, string[]>;
}

export type Zone = 'title' | 'lead' | 'body';

export interface ZoneCounts {
  title: number;
  lead: number;
  body: number;
}

type Payload = { kind: 'entity'; entity: Entity; contextual: boolean } | { kind: 'term'; family: Family };

export interface Analysis {
  title: string;
  lead: string;
  body: string;
  /** Entity id → mentions per zone, in order of first appearance. */
  entities: Map<string, ZoneCounts>;
  /** The part of those mentions made with contextual aliases (政府, Cabinet). */
  contextual: Map<string, ZoneCounts>;
  families: Record<Family, ZoneCounts>;
  /** Matched term texts per family, for explanations. */
  terms: Record<Family, Set<string>>;
  /** Bilingual topics named in the title or lead. */
  concepts: Set<string>;
}

const FAMILIES: Family[] = [
  'ai',
  'aiWeak',
  'place',
  'domestic',
  'language',
  'foreign',
  'foreignActor',
  'invest',
  'build',
  'survey',
  'earnings',
  'availability',
  'use',
  'own',
  'supply',
];

/** Matched texts kept per family: enough for any explanation, bounded for a long body. */
const TERMS_KEPT = 8;

function familyEntries(lexicon: LexiconTerms): [Family, string[]][] {
  return [
    ['ai', lexicon.ai.strong],
    ['aiWeak', lexicon.ai.weak],
    ['place', lexicon.japan.place],
    ['domestic', lexicon.japan.domestic],
    ['language', lexicon.japan.language],
    ['foreign', lexicon.foreign],
    ['invest', lexicon.invest],
    ['build', lexicon.build],
    ['survey', lexicon.negative.survey],
    ['earnings', lexicon.negative.earnings],
    ['availability', lexicon.negative.availability],
    ['use', lexicon.dependence?.use ?? []],
    ['own', lexicon.dependence?.own ?? []],
    ['supply', lexicon.dependence?.supply ?? []],
  ];
}

function qualifiesNextEntity(
  text: string,
  hit: PhraseHit<Payload>,
  next: PhraseHit<Payload> | undefined,
): boolean {
  return next?.payload.kind === 'entity' && /^('s)?\s?$/.test(text.slice(hit.end, next.start));
}

export class Analyser {
  private readonly index: PhraseIndex<Payload>;
  // Scanned apart so a concept phrase ("AI safety") never hides a term ("AI") from the classifier.
  private readonly concepts: PhraseIndex<string>;
  /** Words that say nothing about which event a story is: lexicon terms and alias words. */
  readonly genericWords = new Set<string>();

  constructor(
    readonly registry: EntityRegistry,
    lexicon: LexiconTerms,
  ) {
    const entries: { phrase: string; payload: Payload }[] = [];
    for (const { phrase, entity, contextual } of registry.aliasEntries())
      entries.push({ phrase, payload: { kind: 'entity', entity, contextual } });
    for (const [family, terms] of familyEntries(lexicon)) {
      for (const term of new Set(terms.map((t) => t.normalize('NFKC'))))
        entries.push({ phrase: term, payload: { kind: 'term', family } });
    }
    this.index = new PhraseIndex(entries);
    this.concepts = new PhraseIndex(
      Object.entries(lexicon.concepts ?? {}).flatMap(([concept, terms]) =>
        terms.map((phrase) => ({ phrase, payload: concept })),
      ),
    );
    for (const { phrase } of entries)
      for (const word of phrase
        .normalize('NFKC')
        .toLowerCase()
        .split(/[^a-z0-9]+/))
        if (word) this.genericWords.add(word);
  }

  analyse(item: Pick<FeedItem, 'title' | 'summary' | 'content' | 'lead'>): Analysis {
    const title = normaliseText(item.title);
    // A headline-only item whose article was read is judged by that article's lead.
    const lead = normaliseText(item.summary || item.lead || '');
    let body = normaliseText(item.content);
    if (lead && body.startsWith(lead)) body = body.slice(lead.length).trim();
    const analysis: Analysis = {
      title,
      lead,
      body,
      entities: new Map(),
      contextual: new Map(),
      families: Object.fromEntries(FAMILIES.map((f) => [f, { title: 0, lead: 0, body: 0 }])) as Record<
        Family,
        ZoneCounts
      >,
      terms: Object.fromEntries(FAMILIES.map((f) => [f, new Set<string>()])) as Record<Family, Set<string>>,
      concepts: new Set(),
    };
    for (const text of [title, lead])
      for (const hit of this.concepts.scan(text)) analysis.concepts.add(hit.payload);
    this.scanZone(analysis, 'title', title);
    this.scanZone(analysis, 'lead', lead);
    this.scanZone(analysis, 'body', body);
    return analysis;
  }

  private scanZone(analysis: Analysis, zone: Zone, text: string): void {
    if (!text) return;
    const hits = this.index.scan(text);
    hits.forEach((hit, index) => {
      const payload = hit.payload;
      if (payload.kind === 'entity') {
        let counts = analysis.entities.get(payload.entity.id);
        if (!counts) {
          counts = { title: 0, lead: 0, body: 0 };
          analysis.entities.set(payload.entity.id, counts);
        }
        counts[zone]++;
        if (payload.contextual) {
          let part = analysis.contextual.get(payload.entity.id);
          if (!part) analysis.contextual.set(payload.entity.id, (part = { title: 0, lead: 0, body: 0 }));
          part[zone]++;
        }
      } else {
        // "Japan's NTT Data" and "米エヌビディア" name who acts, not where: the entity carries it.
        let family = payload.family;
        if ((family === 'place' || family === 'foreign') && qualifiesNextEntity(text, hit, hits[index + 1])) {
          if (family === 'place') return;
          family = 'foreignActor';
        }
        analysis.families[family][zone]++;
        if (analysis.terms[family].size < TERMS_KEPT)
          analysis.terms[family].add(text.slice(hit.start, hit.end));
      }
    });
  }
}
