/**
 * Relevance: is this item about an effort located in Japan to build, own, fund
 * or govern AI capability? The evidence (evidence.ts) combines four kinds, each
 * weighted by where it appears (headline > lead > body, the body capped so a
 * long article's passing mention cannot carry it):
 *   AI      the story is about AI capability (terms, or a Japanese AI developer)
 *   Japan   Japan is where it happens (places, Japanese actors, Japanese-language models)
 *   foreign another country is where it happens
 *   negative cues of out-of-scope stories (surveys, earnings, mere availability)
 * The decision is RULES, in order: relevant exactly when every rule passes. A rejection's
 * reasons name every rule that failed, with what it saw; an acceptance's name the evidence that
 * carried it. Both come from the one evaluation, so what is said cannot drift from what was decided.
 */
import type { Analysis } from './analyse.ts';
import type { EntityRegistry } from './entities.ts';
import {
  gatherEvidence,
  WEIGHTS,
  type ClassifierWeights,
  type Evidence,
  type ItemContext,
} from './evidence.ts';
import { foldForMatch } from './normalise.ts';
import type { Check, Classification } from './types.ts';

export { WEIGHTS, type ClassifierWeights, type ItemContext };

/** The bars the rules hold evidence to. */
export const BARS = {
  /** Least AI evidence: one clear AI term up front and a half, or a few in the body. */
  ai: 1.5,
  /** Least Japan evidence, on the same scale. */
  japan: 1.5,
  /** Strong AI evidence that makes a story about AI by itself: one lead mention of "AI" or "LLM". */
  aboutAi: 1,
  /** Chips and compute mentioned this much (with some strong AI) make a story about AI capability. */
  aboutAiWeak: 2,
  /** Japan must be more than this share of the foreign evidence: a foreign story names Japan in passing. */
  foreignShare: 0.5,
  /** A build-out with this much foreign evidence and no Japanese mark is a build-out abroad. */
  abroadForeign: 1,
} as const;

/** What one rule decided, with the figures and the words it looked at. */
export interface Verdict {
  passed: boolean;
  value?: number;
  bar?: number;
  /** Passes only above the bar, not at it. */
  strict?: boolean;
  /** What the rule saw, said when it fails (built only then: most rules pass most items). */
  detail?: () => string;
}

export interface Rule {
  /** The check's name, as `aiwatch explain` and a rejection's reasons say it. */
  name: string;
  judge: (e: Evidence, config: ClassifierWeights) => Verdict;
}

const round = (n: number) => Math.round(n * 100) / 100;
const listed = (terms: Iterable<string>, max = 3) => [...terms].slice(0, max).join(', ');
/** The terms found of these families, in order (a plain loop: it runs for every item judged). */
function termsOf(e: Evidence, ...families: (keyof Analysis['terms'])[]): string[] {
  const terms: string[] = [];
  for (const family of families) for (const term of e.analysis.terms[family]) terms.push(term);
  return terms;
}

/**
 * Money into a foreign company or country, or a build-out in a foreign country named up front,
 * with no Japanese place, language or public body in the story: a Japanese firm abroad.
 * (Money into a Japanese AI developer, from abroad or not, is funding Japan's capability.)
 */
function investsAbroad(e: Evidence): boolean {
  const japaneseMark = e.weight('place') + e.placeEntities + e.weight('domestic') + e.weight('language');
  const money = e.weight('invest') > 0 && (e.foreign > 0 || e.foreignInTitle);
  const buildOut = e.activity > 0 && e.foreign >= BARS.abroadForeign;
  return e.publicActors === 0 && e.japaneseAi === 0 && japaneseMark === 0 && (money || buildOut);
}

/**
 * Dependence is not sovereignty: a foreign AI provider's model or service adopted, resold or
 * given an office in Japan, with nothing of Japan's own up front (its own or a Japanese-tuned
 * model, compute built here), is someone else's capability used in Japan. (A foreign product
 * merely made available in Japan is the same dependence.)
 */
function usesForeignAi(e: Evidence): boolean {
  return e.foreignAi > 0 && e.front('use') + e.front('availability') > 0 && e.front('own') === 0;
}

/** Supplying equipment, power or parts to AI abroad: a foreign place up front and no Japanese one. */
function suppliesAbroad(e: Evidence): boolean {
  return e.front('supply') > 0 && e.front('foreign') > 0 && e.front('place') === 0 && e.publicActors === 0;
}

/**
 * Chips and compute are AI capability when the story says AI at least once, or when it is a
 * headline alone about building or funding compute in Japan.
 */
function aboutAi(e: Evidence): boolean {
  return (
    e.strongAi >= BARS.aboutAi ||
    (e.strongAi > 0 && e.weakAi >= BARS.aboutAiWeak) ||
    (e.computeHeadline && e.explicitPlace + e.japaneseActors > 0)
  );
}

/** The decision, in order. */
export const RULES: readonly Rule[] = [
  {
    // Only the outlet says Japan: it must at least show building, funding or governing.
    name: 'Japan named by more than the outlet, or something built',
    judge: (e) => ({
      passed: !(e.explicitPlace === 0 && e.japaneseActors === 0 && e.activity === 0),
      detail: () => 'only the outlet says Japan, and nothing is built or funded',
    }),
  },
  {
    // A headline that reports a survey is survey news, however much AI and Japan it names.
    name: 'headline is not a survey',
    judge: (e) => ({
      passed: e.analysis.families.survey.title === 0,
      detail: () => `survey: ${listed(e.analysis.terms.survey)}`,
    }),
  },
  {
    name: 'about AI capability',
    judge: (e) => ({
      passed: aboutAi(e),
      detail: () =>
        termsOf(e, 'ai', 'aiWeak').length
          ? `AI named only in passing: ${listed(termsOf(e, 'ai', 'aiWeak'))}`
          : 'no AI term or AI developer',
    }),
  },
  {
    name: 'AI evidence',
    judge: (e) => ({
      passed: e.ai >= BARS.ai,
      value: round(e.ai),
      bar: BARS.ai,
      detail: () => `AI: ${listed(aiNamed(e)) || '-'}`,
    }),
  },
  {
    name: 'Japan evidence',
    judge: (e) => ({
      passed: e.japan >= BARS.japan,
      value: round(e.japan),
      bar: BARS.japan,
      // A Japanese outlet's story about a foreign actor is that actor's story, not Japan's.
      detail: () =>
        e.homeOutlet && e.outletPrior === 0
          ? `Japanese outlet, foreign subject: ${listed(foreignNamed(e)) || '-'}`
          : `Japan: ${listed(japanNamed(e, 0)) || '-'}`,
    }),
  },
  {
    name: 'not a Japanese firm investing abroad',
    judge: (e) => ({
      passed: !investsAbroad(e),
      detail: () =>
        `money or build-out abroad: ${listed(termsOf(e, 'invest', 'build')) || '-'} (${listed(foreignNamed(e), 2)})`,
    }),
  },
  {
    name: 'not foreign AI used, resold or hosted',
    judge: (e) => ({
      passed: !usesForeignAi(e),
      detail: () =>
        `foreign AI used, not built: ${listed(termsOf(e, 'use', 'availability'), 2)} (${listed(e.foreignAiNames, 2)})`,
    }),
  },
  {
    name: 'not supplying AI abroad',
    judge: (e) => ({
      passed: !suppliesAbroad(e),
      detail: () =>
        `supplying AI abroad: ${listed(termsOf(e, 'supply'), 2)} (${listed(termsOf(e, 'foreign'), 2)})`,
    }),
  },
  {
    name: 'Japan outweighs foreign evidence (half)',
    judge: (e) => ({
      passed: e.japan > e.foreign * BARS.foreignShare,
      value: round(e.japan),
      bar: round(e.foreign * BARS.foreignShare),
      strict: true,
      detail: () => `not located in Japan: ${listed(foreignNamed(e)) || '-'}`,
    }),
  },
  {
    name: 'score',
    judge: (e, config) => ({
      passed: e.score >= config.threshold,
      value: round(e.score),
      bar: config.threshold,
      detail: () => scoreParts(e),
    }),
  },
];

/** The score as the sum it is, with the negative cues named: "AI 4 + Japan 1.5 − foreign 0.5 − survey 1.5". */
function scoreParts(e: Evidence): string {
  const parts = [
    `AI ${round(Math.min(e.ai, WEIGHTS.scoreCap))}`,
    `+ Japan ${round(Math.min(e.japan, WEIGHTS.scoreCap))}`,
  ];
  if (e.foreign > 0) parts.push(`− foreign ${round(WEIGHTS.foreignPenalty * e.foreign)}`);
  for (const cue of ['survey', 'earnings', 'availability'] as const)
    if (e.negatives[cue] > 0)
      parts.push(
        `− ${cue} ${round(WEIGHTS.negativePenalty * e.negatives[cue])} (${listed(e.analysis.terms[cue])})`,
      );
  return parts.join(' ');
}

/** What made the story about AI: terms, then AI developers. */
function aiNamed(e: Evidence): string[] {
  return [...termsOf(e, 'ai', 'aiWeak'), ...e.aiDeveloperNames];
}

/**
 * What put the story in Japan, each as far as it counted: places, "home-grown", Japanese
 * language, and the outlet when Japan's bar needed it (most Japanese outlets' stories say Japan anyway).
 */
function japanNamed(e: Evidence, bar: number = BARS.japan): string[] {
  const named = [
    ...termsOf(e, 'place'),
    ...e.placeNames,
    ...(e.foreignUpFront ? [] : termsOf(e, 'domestic')),
    ...(e.language > 0 ? termsOf(e, 'language') : []),
    ...(e.outletPrior > 0 && e.japan - e.outletPrior < bar ? ['Japanese outlet'] : []),
  ];
  return [...new Set(named)];
}

/** Foreign places and actors named. */
function foreignNamed(e: Evidence): string[] {
  return [...termsOf(e, 'foreign'), ...e.others.map((id) => e.nameOf(id))];
}

/**
 * The evidence that carried an acceptance: the Japanese actors, what made it AI and what put it
 * in Japan. Labels as digest.ts localises them.
 */
function evidenceReasons(e: Evidence): string[] {
  const reasons: string[] = [];
  if (e.japanese.length)
    reasons.push(
      `Japanese actors: ${listed(
        e.japanese.map((id) => e.nameOf(id)),
        4,
      )}`,
    );
  const ai = aiNamed(e);
  if (ai.length) reasons.push(`AI: ${listed(ai)}`);
  const japan = japanNamed(e);
  if (japan.length) reasons.push(`Japan: ${listed(japan)}`);
  return reasons;
}

/** "value ≥ bar" as the check compared them. */
export function comparison(check: Pick<Check, 'passed' | 'value' | 'bar' | 'strict'>): string {
  const sign = check.passed ? (check.strict ? '>' : '≥') : check.strict ? '≤' : '<';
  return check.value === undefined ? '' : `${check.value} ${sign} ${check.bar}`;
}

function rejectionReason(rule: Rule, verdict: Verdict): string {
  const figures = verdict.value === undefined ? '' : ` (${comparison(verdict)})`;
  return `failed: ${rule.name}${figures}${verdict.detail ? ` — ${verdict.detail()}` : ''}`;
}

export function createClassifier(
  registry: EntityRegistry,
  config: ClassifierWeights,
  japaneseOutlets: readonly string[] = [],
) {
  const homeOutlets = new Set(japaneseOutlets.map(foldForMatch));
  return function classify(analysis: Analysis, context: ItemContext = {}): Classification {
    const e = gatherEvidence(analysis, registry, config, homeOutlets, context);
    const verdicts = RULES.map((rule) => ({ rule, verdict: rule.judge(e, config) }));
    const checks: Check[] = verdicts.map(({ rule, verdict: { passed, value, bar, strict } }) => ({
      name: rule.name,
      passed,
      ...(value === undefined ? {} : { value, bar: bar! }),
      ...(strict ? { strict } : {}),
    }));
    const failed = verdicts.filter(({ verdict }) => !verdict.passed);
    const relevant = failed.length === 0;
    const reasons = relevant
      ? evidenceReasons(e)
      : failed.map(({ rule, verdict }) => rejectionReason(rule, verdict));
    const terms = [
      ...termsOf(e, 'ai', 'aiWeak').map((t) => `ai:${t}`),
      ...termsOf(e, 'place', 'domestic', 'language').map((t) => `jp:${t}`),
      ...termsOf(e, 'foreign').map((t) => `foreign:${t}`),
      ...(['survey', 'earnings', 'availability'] as const).flatMap((fam) =>
        [...analysis.terms[fam]].map((t) => `neg:${fam}:${t}`),
      ),
    ];
    return {
      relevant,
      score: round(e.score),
      companies: [...e.japanese, ...e.others],
      terms,
      reasons,
      checks,
    };
  };
}

export type Classify = ReturnType<typeof createClassifier>;
