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
import type { Classification } from './types.ts';

export interface ClassifierWeights {
  title: number;
  bodyCap: number;
  threshold: number;
}

const MIN_AI = 1.5;
const MIN_JAPAN = 1.5;

export function createClassifier(registry: EntityRegistry, weights: ClassifierWeights) {
  const evidence = (c: ZoneCounts): number =>
    weights.title * Math.min(c.title, 2) + Math.min(c.lead, 3) + 0.5 * Math.min(c.body, weights.bodyCap);
  const lead = (c: ZoneCounts): number => weights.title * c.title + c.lead;
  // Naming several foreign partners in one headline does not make a story more foreign.
  const foreignEvidence = (c: ZoneCounts): number => evidence({ ...c, title: Math.min(c.title, 1) });

  return function classify(analysis: Analysis): Classification {
    const f = analysis.families;
    const japanese: string[] = [];
    const others: string[] = [];
    let japaneseActors = 0;
    let aiDevelopers = 0;
    let foreignInTitle = false;
    for (const [id, counts] of analysis.entities) {
      const entity = registry.get(id);
      if (!entity) continue;
      if (entity.country === 'JP') {
        japanese.push(id);
        japaneseActors += evidence(counts);
        if (entity.aiFocus) aiDevelopers += evidence(counts);
      } else {
        others.push(id);
        if (counts.title > 0) foreignInTitle = true;
      }
    }

    const strongAi = evidence(f.ai) + aiDevelopers;
    const ai = strongAi + 0.5 * evidence(f.aiWeak);
    const place = evidence(f.place);
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
    // up front, with no Japanese place or language in the story: a Japanese firm abroad.
    const activity = evidence(f.invest) + evidence(f.build);
    const abroad =
      place + evidence(f.language) === 0 &&
      ((evidence(f.invest) > 0 && (foreign > 0 || foreignInTitle)) || (activity > 0 && foreign >= 1));

    const score = Math.min(ai, 4) + Math.min(japan, 4) - 0.5 * foreign - negative;
    const relevant =
      strongAi >= 1 &&
      ai >= MIN_AI &&
      japan >= MIN_JAPAN &&
      !abroad &&
      japan > foreign * 0.5 &&
      score >= weights.threshold;

    const terms = [
      ...[...analysis.terms.ai, ...analysis.terms.aiWeak].map((t) => `ai:${t}`),
      ...[...analysis.terms.place, ...analysis.terms.language].map((t) => `jp:${t}`),
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
    const placeTerms = [...analysis.terms.place, ...analysis.terms.language].slice(0, 3);
    if (placeTerms.length) reasons.push(`Japan: ${placeTerms.join(', ')}`);
    if (!relevant) {
      if (ai < MIN_AI || strongAi < 1) reasons.push('not about AI capability');
      else if (abroad) reasons.push('investment abroad');
      else if (japan < MIN_JAPAN || japan <= foreign * 0.5) reasons.push('not located in Japan');
      for (const [fam, value] of Object.entries(negatives))
        if (value > 0) reasons.push(`looks like ${fam} news`);
    }
    return { relevant, score: Math.round(score * 100) / 100, companies, terms, reasons };
  };
}

export type Classify = ReturnType<typeof createClassifier>;
