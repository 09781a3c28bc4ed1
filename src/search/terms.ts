/**
 * Search terms, pure: what an event is findable by, and what a user's query asks for.
 * Text is folded like the classifier's (NFKC, lower case); Latin text becomes words,
 * Japanese text (written without spaces) becomes character bigrams, and known
 * companies become one entity term (@softbank) whichever script or alias names them.
 */
import type { EntityRegistry } from '../core/entities.ts';
import { foldForMatch } from '../core/normalise.ts';
import type { EventRecord, StoredItem } from '../core/types.ts';

/** At most this many terms per event: its companies and titles come first. */
export const MAX_TERMS_PER_EVENT = 128;

const JA = '\\u3005\\u3040-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff';
const JAPANESE = new RegExp(`[${JA}]`, 'u');
/** Runs of Japanese characters, or of other letters and digits. */
const PIECES = new RegExp(`[${JA}]+|(?:(?![${JA}])[\\p{L}\\p{N}])+`, 'gu');

const STOPWORDS = new Set(
  (
    'a an and are as at be by for from has have in into is it its of on or that the this to was were ' +
    'will with after over new says said amid about up out'
  ).split(' '),
);

/** Japanese particles dropped from queries ("ソフトバンクの生成AI" looks for ソフトバンク, 生成, AI). */
const PARTICLES = new Set('の は が を に で と も へ や から まで より など て た だ です ます'.split(' '));

/** Light plural folding, applied alike to indexed words and query words: models → model. */
export function stemWord(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word) && !/\d/.test(word))
    return word.slice(0, -1);
  return word;
}

function isJapanese(piece: string): boolean {
  return JAPANESE.test(piece[0] ?? '');
}

/** Overlapping character pairs; a single character has none. */
export function bigrams(run: string): string[] {
  const chars = [...run];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

function latinTerm(word: string): string | null {
  if (STOPWORDS.has(word)) return null;
  if (word.length < 2 && !/\d/.test(word)) return null;
  return stemWord(word);
}

/** The words and bigrams of a text, in order of appearance, without repeats. */
export function textTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const piece of foldForMatch(text).match(PIECES) ?? []) {
    if (isJapanese(piece)) for (const pair of bigrams(piece)) terms.add(pair);
    else {
      const term = latinTerm(piece);
      if (term) terms.add(term);
    }
  }
  return [...terms];
}

export const entityTerm = (id: string) => `@${id}`;

/**
 * The terms an event is indexed under, most important first: its companies, its
 * headlines in each language, its product names, then its articles' titles.
 */
export function eventTerms(event: EventRecord, items: readonly StoredItem[] = []): string[] {
  const terms = new Set<string>(event.companies.map(entityTerm));
  const texts = [event.title, ...Object.values(event.titles), ...event.profile.names];
  for (const item of items) texts.push(item.title);
  for (const text of texts) {
    for (const term of textTerms(text ?? '')) {
      if (terms.size >= MAX_TERMS_PER_EVENT) return [...terms];
      terms.add(term);
    }
  }
  return [...terms];
}

export interface QueryPlan {
  /** Every term must match (AND). Empty when nothing searchable was typed. */
  terms: string[];
  /** Companies the query named, by entity id, in the order typed. */
  entities: string[];
  /** Why nothing could be searched, when terms is empty. */
  problem?: 'empty' | 'too-common' | 'too-short';
}

let segmenter: Intl.Segmenter | undefined;

/** Japanese text minus particles, split where a particle stood. */
function japaneseChunks(run: string): string[] {
  segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  const chunks: string[] = [];
  let current = '';
  for (const { segment } of segmenter.segment(run)) {
    if (PARTICLES.has(segment)) {
      if (current) chunks.push(current);
      current = '';
    } else current += segment;
  }
  if (current) chunks.push(current);
  return chunks;
}

/**
 * Turns what a user typed into index terms. A company alias in either script
 * (ソフトバンク, "SoftBank Group", 三菱重工, MHI) becomes its entity term; other
 * Latin words become words, other Japanese text bigrams.
 */
export function planQuery(text: string, registry: EntityRegistry): QueryPlan {
  const folded = foldForMatch(text);
  const whole = companyNamed(folded, registry);
  if (whole) return { terms: [entityTerm(whole)], entities: [whole] };

  const terms = new Set<string>();
  const entities: string[] = [];
  let dropped: 'too-common' | 'too-short' | undefined;
  const addEntity = (id: string) => {
    terms.add(entityTerm(id));
    if (!entities.includes(id)) entities.push(id);
  };

  const pieces = folded.match(PIECES) ?? [];
  for (let i = 0; i < pieces.length;) {
    const piece = pieces[i]!;
    if (isJapanese(piece)) {
      for (const chunk of japaneseChunks(piece))
        japaneseTerms(chunk, registry, terms, addEntity, () => {
          dropped ??= 'too-short';
        });
      i++;
      continue;
    }
    // The longest run of Latin words (up to five) that names a company.
    let matched = 0;
    for (let j = Math.min(pieces.length, i + 5); j > i + 1; j--) {
      const span = pieces.slice(i, j);
      if (span.some(isJapanese)) continue;
      const entity = companyNamed(span.join(' '), registry);
      if (entity) {
        addEntity(entity);
        matched = j - i;
        break;
      }
    }
    if (matched) {
      i += matched;
      continue;
    }
    const entity = piece.length > 1 ? companyNamed(piece, registry) : undefined;
    if (entity) addEntity(entity);
    else {
      const term = latinTerm(piece);
      if (term) terms.add(term);
      else dropped ??= 'too-common';
    }
    i++;
  }
  if (terms.size) return { terms: [...terms], entities };
  return { terms: [], entities, problem: pieces.length ? (dropped ?? 'too-common') : 'empty' };
}

/**
 * The entity a folded name designates as a company: its name, id, a Japanese or
 * several-word alias, or an abbreviation in capitals (MHI, PFN). A one-word alias
 * that is a product (PLaMo, Gemini, Fugaku) stays a word: "plamo" finds PLaMo news,
 * not every Preferred Networks event.
 */
function companyNamed(folded: string, registry: EntityRegistry): string | undefined {
  const entity = registry.resolve(folded);
  // Places (Tokyo, 北海道) are searched as words: events are indexed by their companies.
  if (!entity || entity.kind === 'place') return undefined;
  if (JAPANESE.test(folded) || folded.includes(' ')) return entity.id;
  if (foldForMatch(entity.name) === folded || entity.id === folded) return entity.id;
  const alias = entity.aliases.en.find((a) => foldForMatch(a) === folded);
  return alias && alias === alias.toUpperCase() ? entity.id : undefined;
}

/** Greedy longest company alias at each position; the rest as bigrams. */
function japaneseTerms(
  chunk: string,
  registry: EntityRegistry,
  terms: Set<string>,
  addEntity: (id: string) => void,
  tooShort: () => void,
): void {
  const chars = [...chunk];
  let rest = '';
  const flush = () => {
    if ([...rest].length === 1) tooShort();
    for (const pair of bigrams(rest)) terms.add(pair);
    rest = '';
  };
  for (let i = 0; i < chars.length;) {
    let found = 0;
    for (let j = Math.min(chars.length, i + 24); j > i + 1; j--) {
      const entity = registry.resolve(chars.slice(i, j).join(''));
      if (entity && entity.kind !== 'place') {
        flush();
        addEntity(entity.id);
        found = j - i;
        break;
      }
    }
    if (found) i += found;
    else rest += chars[i++]!;
  }
  flush();
}
