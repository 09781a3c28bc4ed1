/**
 * What an item says that identifies its event independently of language:
 * the entities it is about (via the alias registry, so ソフトバンク = SoftBank),
 * the amounts it reports normalised across scripts (1兆円 = 1 trillion yen,
 * 4400億円 = 440 billion yen, 172B = 172 billion parameters), the product and
 * model names it quotes, and title shingles for same-language near-copies.
 */
import type { Analysis } from './analyse.ts';
import type { Profile } from './types.ts';

/**
 * An entity's weight in a profile by where the item names it: the headline is what the story is
 * about, the lead what it involves, the body context. cluster.ts reads these as its bars.
 */
export const ZONE_WEIGHT = { title: 3, lead: 2, body: 1 } as const;
/** Body mentions counted at most twice, each at half weight: a body names many bystanders. */
const BODY_MENTIONS_CAP = 2;
const BODY_MENTION = 0.5;
/** How far up an entity's organisation (unit → company → group) a story also concerns; each step halves. */
export const PARENT_DEPTH = 3;
/** Names kept per item: the first few (headline first) identify a story. */
const MAX_NAMES = 12;
/** Topic words kept per item. */
const MAX_WORDS = 40;
/** A count of participants shorter than this (2 firms) is too common to identify a story. */
const MIN_COUNT = 3;

const SCALE_EN: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mil: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bil: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tril: 1e12,
  tn: 1e12,
  t: 1e12,
};

/** Rounds to three significant digits so 1.6e12 and 1.60e12 compare equal. */
function key(unit: string, value: number): string | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  return `${unit}:${Number(value.toPrecision(3)).toExponential()}`;
}

function unitAfter(rest: string, before: string): string {
  const r = rest.slice(0, 24).toLowerCase();
  if (/^\s*-?\s*(parameters?|param|パラメー?タ)/.test(r)) return 'params';
  if (/^\s*(yen|円)/.test(r) || /[¥￥]\s*$/.test(before)) return 'jpy';
  if (/^\s*(dollars?|ドル)/.test(r) || /(\$|us\$|usd\s?)\s*$/i.test(before)) return 'usd';
  if (/^\s*(euros?|ユーロ)/.test(r) || /€\s*$/.test(before)) return 'eur';
  if (/^\s*(%|percent|per cent|％)/.test(r)) return 'pct';
  return 'n';
}

const JA_NUMBER = /(\d+(?:\.\d+)?)\s*(兆)?(?:(\d+)千)?\s*(億|万)?\s*(円|ドル|ユーロ|パラメー?タ)/g;
const EN_NUMBER =
  /([$¥€]|US\$)?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(trillion|tril|billion|bil|bn|million|mil|mn|tn|[bmkt])?\b\.?(\s?-?\s?(?:parameters?|yen|dollars?|euros?)|%)?/gi;

/** Counted participants (24 firms = 24社): a selection or a consortium is often known by its size. */
const JA_COUNT = /(\d+)\s*(?:社|件|団体|機関|か国|カ国)/g;
const EN_COUNT =
  /\b(\d+)\s+(?:firms|companies|projects|organi[sz]ations|groups|startups|countries|members)\b/gi;

export function extractNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const m of [...text.matchAll(JA_COUNT), ...text.matchAll(EN_COUNT)]) {
    const value = parseInt(m[1]!, 10);
    if (value >= MIN_COUNT) found.add(key('count', value)!);
  }
  for (const m of text.matchAll(JA_NUMBER)) {
    let value = parseFloat(m[1]!);
    if (m[2]) value = value * 1e12 + (m[3] ? parseInt(m[3], 10) * 1e11 : 0);
    else if (m[4] === '億') value *= 1e8;
    else if (m[4] === '万') value *= 1e4;
    const unit = m[5]!.startsWith('パ') ? 'params' : m[5] === '円' ? 'jpy' : m[5] === 'ドル' ? 'usd' : 'eur';
    const k = key(unit, value);
    if (k) found.add(k);
  }
  for (const m of text.matchAll(EN_NUMBER)) {
    const raw = m[2]!.replace(/,/g, '');
    const scaleWord = m[3]?.toLowerCase();
    const scale = scaleWord ? (SCALE_EN[scaleWord] ?? 1) : 1;
    const before = text.slice(Math.max(0, m.index - 4), m.index) + (m[1] ?? '');
    const after = m[4] ?? text.slice(m.index + m[0].length);
    const unit = unitAfter(after, before);
    // Bare small numbers (dates, counts) identify nothing; amounts and scaled figures do.
    if (unit === 'n' && scale === 1) continue;
    if (unit === 'pct' && !raw.includes('.')) continue;
    const value = parseFloat(raw) * scale;
    const k = key(unit === 'n' && scaleWord && /^[bmkt]$/.test(scaleWord) ? 'params' : unit, value);
    if (k) found.add(k);
  }
  return [...found];
}

const NAME_STOP = new Set([
  'llm',
  'llms',
  'gpt',
  'gpu',
  'gpus',
  'cpu',
  'moe',
  'api',
  'ceo',
  'cto',
  'inc',
  'corp',
  'ltd',
  'co',
  'the',
  'and',
  'for',
  'with',
  'ai',
  'it',
  'dx',
  'ipo',
  'tob',
  'usd',
  'jpy',
  'pdf',
  'web',
  'news',
]);

/** True for a headline set in capitals (over 12 letters, most of them capitals), where every word would look like an acronym. */
function shouting(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length > 12 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.6;
}

/** Model and product names: quoted terms, and tokens mixing case or digits (PLaMo, Sarashina2-8x70B). */

export function extractNames(texts: string[], generic: ReadonlySet<string> = new Set()): string[] {
  const names = new Set<string>();
  const add = (raw: string): void => {
    const stem = raw
      .toLowerCase()
      .match(/[a-z][a-z.]{2,}/)?.[0]
      ?.replace(/\.$/, '');
    if (stem && !NAME_STOP.has(stem) && !generic.has(stem)) names.add(stem);
  };
  for (const text of texts) {
    const capsAreNames = !shouting(text);
    for (const m of text.matchAll(/[「『"']([^」』"']{2,40})[」』"']/g)) {
      const quoted = m[1]!.trim();
      // A short quoted Japanese name (「源内」) is itself the name; a longer quote is a phrase.
      if (/^[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}ー]{2,8}$/u.test(quoted)) names.add(quoted);
      else add(quoted);
    }
    for (const m of text.matchAll(/\b[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*\b/g)) {
      const token = m[0];
      const mixedCase = /[a-z]/.test(token) && /[A-Z]/.test(token.slice(1)) && !/^[A-Z]+s$/.test(token);
      const withDigits = /[A-Za-z]{3,}/.test(token) && /\d/.test(token);
      // Programme and machine names are often acronyms: GENIAC, ABCI, TSUBAME.
      const acronym = capsAreNames && /^[A-Z]{4,}$/.test(token);
      if (mixedCase || withDigits || acronym) add(token);
    }
  }
  return [...names].slice(0, MAX_NAMES);
}

/** Character bigrams of the title without spaces or punctuation: works for both scripts. */
export function titleShingles(title: string): string[] {
  const compact = title.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
  const grams = new Set<string>();
  for (let i = 0; i + 1 < compact.length; i++) grams.add(compact.slice(i, i + 2));
  return [...grams];
}

const STOPWORDS = new Set(
  (
    'a an the and or but of in on at to for from by with as is are was were be been has have had will would ' +
    'it its this that these those their they he she his her we our you your said says say after over into ' +
    'about than more most new also up out not no all can could may first one two three year years week day ' +
    'monday tuesday wednesday thursday friday saturday sunday percent per while which who what when where how'
  ).split(' '),
);

const SUFFIXES = [
  'ational',
  'ations',
  'ation',
  'ating',
  'ated',
  'ates',
  'ate',
  'ings',
  'ing',
  'ied',
  'ies',
  'ed',
  'es',
  's',
];

/** A light suffix stripper: enough for "evaluating" and "evaluation" to meet. */
export function stem(word: string): string {
  for (const suffix of SUFFIXES)
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  return word;
}

/** Latin content words, crudely stemmed, that could tell one story from another. */
export function topicWords(text: string, generic: ReadonlySet<string>): string[] {
  const words = new Set<string>();
  for (const m of text.toLowerCase().matchAll(/[a-z][a-z0-9-]{2,}/g)) {
    const word = stem(m[0]);
    if (word.length < 3 || STOPWORDS.has(m[0]) || generic.has(m[0]) || generic.has(word)) continue;
    words.add(word);
  }
  return [...words].slice(0, MAX_WORDS);
}

export interface ProfileContext {
  /** Words that identify no story: lexicon terms and alias words. */
  generic: ReadonlySet<string>;
  /** The organisation an entity belongs to, if any. */
  parentOf: (id: string) => string | undefined;
}

export function buildProfile(analysis: Analysis, context: ProfileContext): Profile {
  const entities: Record<string, number> = {};
  for (const [id, counts] of analysis.entities) {
    const weight = counts.title
      ? ZONE_WEIGHT.title
      : counts.lead
        ? ZONE_WEIGHT.lead
        : Math.min(counts.body, BODY_MENTIONS_CAP) * ZONE_WEIGHT.body * BODY_MENTION;
    entities[id] = Math.max(entities[id] ?? 0, weight);
    // A story about METI is also, less directly, about the government it belongs to.
    for (
      let parent = context.parentOf(id), depth = 0;
      parent && depth < PARENT_DEPTH;
      parent = context.parentOf(parent), depth++
    )
      entities[parent] = Math.max(entities[parent] ?? 0, weight / 2 ** (depth + 1));
  }
  const lead = `${analysis.title} ${analysis.lead}`;
  return {
    entities,
    numbers: extractNumbers(lead)
      .concat(extractNumbers(analysis.body))
      .filter((v, i, a) => a.indexOf(v) === i),
    names: extractNames([analysis.title, analysis.lead], context.generic),
    shingles: titleShingles(analysis.title),
    words: topicWords(lead, context.generic),
    concepts: [...analysis.concepts].sort(),
  };
}
