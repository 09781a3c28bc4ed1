/**
 * Relevance: is this item about an effort located in Japan to build, own, fund
 * or govern AI capability? The decision combines four kinds of evidence, each
 * weighted by where it appears (headline > lead > body, the body capped so a
 * long article's passing mention cannot carry it):
 *   AI      the story is about AI capability (terms, or a Japanese AI developer)
 *   Japan   Japan is where it happens (places, Japanese actors, Japanese-language models)
 *   foreign another country is where it happens
 *   negative cues of out-of-scope stories (surveys, earnings, mere availability)
 * plus one structural rule: money flowing to a foreign place with no Japanese
 * place in the story is a Japanese firm investing abroad.
 */
import type { Analysis, ZoneCounts } from './analyse.ts';
import type { EntityRegistry } from './entities.ts';
import { foldForMatch } from './normalise.ts';
import type { Check, Classification, Lang } from './types.ts';

export interface ClassifierWeights {
  title: number;
  bodyCap: number;
  threshold: number;
}

const MIN_AI = 1.5;
const MIN_JAPAN = 1.5;

/** Where an item comes from: the outlet's language and name. */
export interface ItemContext {
  lang?: Lang;
  source?: string;
}

export function createClassifier(
  registry: EntityRegistry,
  weights: ClassifierWeights,
  japaneseOutlets: readonly string[] = [],
) {
  const homeOutlets = new Set(japaneseOutlets.map(foldForMatch));
  const evidence = (c: ZoneCounts): number =>
    weights.title * Math.min(c.title, 2) + Math.min(c.lead, 3) + 0.5 * Math.min(c.body, weights.bodyCap);
  const lead = (c: ZoneCounts): number => weights.title * c.title + c.lead;
  // Naming several foreign partners in one headline does not make a story more foreign.
  const foreignEvidence = (c: ZoneCounts): number => evidence({ ...c, title: Math.min(c.title, 1) });

  return function classify(analysis: Analysis, context: ItemContext = {}): Classification {
    const f = analysis.families;
    const japanese: string[] = [];
    const others: string[] = [];
    let japaneseActors = 0;
    let aiDevelopers = 0;
    let foreignInTitle = false;
    let publicActors = 0;
    let placeEntities = 0;
    /** Foreign AI developers and their products named in the headline or lead. */
    let foreignAi = 0;
    /** Japanese AI developers named in the headline or lead. */
    let japaneseAi = 0;
    const foreignUpFront = lead(f.foreign) > 0;
    const homeOutlet =
      context.lang === 'ja' ||
      (context.source !== undefined && homeOutlets.has(foldForMatch(context.source)));
    // 政府 or "the Cabinet" are Japan's only in a story set in Japan: a Japanese outlet's or
    // one that says Japan up front, and not one that names another country first.
    const setInJapan = !foreignUpFront && (homeOutlet || lead(f.place) > 0);
    for (const [id, all] of analysis.entities) {
      const entity = registry.get(id);
      if (!entity) continue;
      const part = setInJapan ? undefined : analysis.contextual.get(id);
      const counts = part
        ? { title: all.title - part.title, lead: all.lead - part.lead, body: all.body - part.body }
        : all;
      if (counts.title + counts.lead + counts.body === 0) continue;
      // A prefecture or city says where, like "Japan" does; it is not an actor.
      if (entity.kind === 'place') {
        if (entity.country === 'JP') placeEntities += evidence(counts);
        continue;
      }
      // An AI developer makes a story about AI wherever it is from; where it happens is a separate question.
      if (entity.aiFocus) aiDevelopers += evidence(counts);
      if (entity.aiFocus && entity.country !== 'JP') foreignAi += lead(counts);
      if (entity.aiFocus && entity.country === 'JP') japaneseAi += lead(counts);
      if (entity.country === 'JP') {
        japanese.push(id);
        // A ministry or public institute governs or builds in Japan; a company may act anywhere.
        const isPublic = entity.kind !== 'company' && entity.kind !== 'investor';
        japaneseActors += (isPublic ? 2 : 1) * evidence(counts);
        if (isPublic) publicActors += evidence(counts);
      } else {
        others.push(id);
        if (counts.title > 0) foreignInTitle = true;
      }
    }

    const strongAi = evidence(f.ai) + aiDevelopers;
    const activity = evidence(f.invest) + evidence(f.build);
    // An item that is only a headline names compute by itself ("AWS to invest $15 billion in Japan
    // cloud infrastructure"): a build-out of it or an investment in it counts in full.
    const headlineOnly = !analysis.lead && !analysis.body;
    const computeHeadline = headlineOnly && f.aiWeak.title > 0 && activity > 0;
    const ai = strongAi + (computeHeadline ? 1 : 0.5) * evidence(f.aiWeak);
    // "Home-grown" is Japanese unless another country is named up front.
    const explicitPlace = evidence(f.place) + placeEntities + (foreignUpFront ? 0 : evidence(f.domestic));
    // A Japanese outlet marks foreign actors (米オープンAI, "U.S.-based"), so its unmarked
    // stories happen in Japan; such a story must still show building, funding or governing.
    // A foreign actor in the headline is the subject (米オープンAI、…発表); one in the lead is context.
    const foreignSubject = foreignInTitle || analysis.families.foreignActor.title > 0;
    const outletPrior = homeOutlet && !foreignUpFront && !foreignSubject ? 1.5 : 0;
    const place = explicitPlace + outletPrior;
    // A foreign product that handles Japanese is not Japanese capability: the language
    // counts only when a Japanese actor or place is in the story too.
    const language = place > 0 || japaneseActors > 0 ? evidence(f.language) : 0;
    const japan = place + 0.5 * language + Math.min(japaneseActors, 4);
    const foreign = foreignEvidence(f.foreign);
    const negatives = {
      survey: lead(f.survey),
      earnings: lead(f.earnings),
      availability: lead(f.availability),
    };
    // A headline about a survey or earnings is about that, whatever else it mentions.
    const negative = 1.5 * (negatives.survey + negatives.earnings + negatives.availability);
    // Money into a foreign company or country, or a build-out in a foreign country named
    // up front, with no Japanese place, language or public body in the story: a Japanese firm abroad.
    // (Money into a Japanese AI developer, from abroad or not, is funding Japan's capability.)
    const abroad =
      publicActors === 0 &&
      japaneseAi === 0 &&
      evidence(f.place) + placeEntities + evidence(f.domestic) + evidence(f.language) === 0 &&
      ((evidence(f.invest) > 0 && (foreign > 0 || foreignInTitle)) || (activity > 0 && foreign >= 1));

    // Dependence is not sovereignty: a foreign AI provider's model or service adopted, resold or
    // given an office in Japan, with nothing of Japan's own up front (its own or a Japanese-tuned
    // model, compute built here), is someone else's capability used in Japan.
    // (A foreign product merely made available in Japan is the same dependence.)
    const usesForeignAi = foreignAi > 0 && lead(f.use) + lead(f.availability) > 0 && lead(f.own) === 0;
    // Supplying equipment, power or parts to AI abroad: a foreign place up front and no Japanese one.
    const suppliesAbroad =
      lead(f.supply) > 0 && lead(f.foreign) > 0 && lead(f.place) === 0 && publicActors === 0;
    const score = Math.min(ai, 4) + Math.min(japan, 4) - 0.5 * foreign - negative;
    // Chips and compute are AI capability when the story says AI at least once, or when it is a
    // headline alone about building or funding compute in Japan.
    const aboutAi =
      strongAi >= 1 ||
      (strongAi > 0 && evidence(f.aiWeak) >= 2) ||
      (computeHeadline && explicitPlace + japaneseActors > 0);
    // A headline that reports a survey is survey news, however much AI and Japan it names.
    const surveyHeadline = f.survey.title > 0;
    const onlyOutletSaysJapan = explicitPlace === 0 && japaneseActors === 0;
    const round = (n: number) => Math.round(n * 100) / 100;
    // The decision is these checks, in order: relevant exactly when every one passes, so what
    // `aiwatch explain` shows is what decided.
    const checks: Check[] = [
      {
        name: 'Japan named by more than the outlet, or something built',
        passed: !(onlyOutletSaysJapan && activity === 0),
      },
      { name: 'headline is not a survey', passed: !surveyHeadline },
      { name: 'about AI capability', passed: aboutAi },
      { name: 'AI evidence', passed: ai >= MIN_AI, value: round(ai), bar: MIN_AI },
      { name: 'Japan evidence', passed: japan >= MIN_JAPAN, value: round(japan), bar: MIN_JAPAN },
      { name: 'not a Japanese firm investing abroad', passed: !abroad },
      { name: 'not foreign AI used, resold or hosted', passed: !usesForeignAi },
      { name: 'not supplying AI abroad', passed: !suppliesAbroad },
      {
        name: 'Japan outweighs foreign evidence (half)',
        passed: japan > foreign * 0.5,
        value: round(japan),
        bar: round(foreign * 0.5),
      },
      { name: 'score', passed: score >= weights.threshold, value: round(score), bar: weights.threshold },
    ];
    const relevant = checks.every((check) => check.passed);

    const terms = [
      ...[...analysis.terms.ai, ...analysis.terms.aiWeak].map((t) => `ai:${t}`),
      ...[...analysis.terms.place, ...analysis.terms.domestic, ...analysis.terms.language].map(
        (t) => `jp:${t}`,
      ),
      ...[...analysis.terms.foreign].map((t) => `foreign:${t}`),
      ...(['survey', 'earnings', 'availability'] as const).flatMap((fam) =>
        [...analysis.terms[fam]].map((t) => `neg:${fam}:${t}`),
      ),
    ];
    const companies = [...japanese, ...others];
    const reasons: string[] = [];
    if (japanese.length)
      reasons.push(
        `Japanese actors: ${japanese
          .slice(0, 4)
          .map((id) => registry.nameOf(id))
          .join(', ')}`,
      );
    const aiTerms = [...analysis.terms.ai, ...analysis.terms.aiWeak].slice(0, 3);
    if (aiTerms.length) reasons.push(`AI: ${aiTerms.join(', ')}`);
    const placeTerms = [
      ...analysis.terms.place,
      ...analysis.terms.domestic,
      ...analysis.terms.language,
    ].slice(0, 3);
    if (placeTerms.length) reasons.push(`Japan: ${placeTerms.join(', ')}`);
    const positives = reasons.length;
    if (!relevant) {
      if (ai < MIN_AI || !aboutAi) reasons.push('not about AI capability');
      else if (abroad) reasons.push('investment abroad');
      else if (usesForeignAi)
        reasons.push(
          `foreign AI used, not built: ${[...analysis.terms.use, ...analysis.terms.availability].slice(0, 2).join(', ')} (${others
            .filter((id) => registry.get(id)?.aiFocus)
            .slice(0, 2)
            .map((id) => registry.nameOf(id))
            .join(', ')})`,
        );
      else if (suppliesAbroad) reasons.push('supplying AI abroad');
      else if (japan < MIN_JAPAN || japan <= foreign * 0.5) reasons.push('not located in Japan');
      for (const [fam, value] of Object.entries(negatives))
        if (value > 0) reasons.push(`looks like ${fam} news`);
      // Whatever else is said, the rejection names the check that made it.
      const failed = checks.find((check) => !check.passed);
      if (failed && reasons.length === positives) reasons.push(`failed: ${failed.name}`);
    }
    return { relevant, score: round(score), companies, terms, reasons, checks };
  };
}

export type Classify = ReturnType<typeof createClassifier>;
