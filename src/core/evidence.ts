/**
 * The evidence the relevance rules weigh, gathered in one scan of an item's analysis. Every
 * number it uses is named in WEIGHTS with why; the rules that judge it are in classify.ts.
 */
import type { Analysis, Family, ZoneCounts } from './analyse.ts';
import type { EntityRegistry } from './entities.ts';
import { foldForMatch } from './normalise.ts';
import type { Lang } from './types.ts';

/** The weights that come from config (lexicon.yaml `weights`): tuned per deployment. */
export interface ClassifierWeights {
  /** A headline mention counts this many times a lead mention. */
  title: number;
  /** Body mentions counted at most this many times. */
  bodyCap: number;
  /** The least score a relevant item has. */
  threshold: number;
}

/** Where an item comes from: the outlet's language and name. */
export interface ItemContext {
  lang?: Lang;
  source?: string;
}

/** Every fixed weight of the judgement, named once. */
export const WEIGHTS = {
  /** Headline mentions counted at most twice: a headline that repeats a word says it no louder. */
  titleCap: 2,
  /** A lead mention counts once: the unit the other zones are weighed against. */
  lead: 1,
  /** Lead mentions counted at most three times: the lead is short, repetition is style. */
  leadCap: 3,
  /** A body mention counts half: a long article's passing mention must not carry it. */
  body: 0.5,
  /** Foreign places counted once in a headline: naming several partners is not more foreign. */
  foreignTitleCap: 1,
  /** A Japanese ministry or public institute governs or builds in Japan: counts twice as Japan. */
  publicActor: 2,
  /** A Japanese company (or investor) may act anywhere: counts once as Japan. */
  companyActor: 1,
  /** Japanese actors add at most this much Japan: a long list of firms is not more Japanese. */
  actorsCap: 4,
  /** Chips and compute say AI half as much as "AI" or "LLM" do. */
  weakAi: 0.5,
  /** ...but in full in a headline alone about building or funding compute. */
  weakAiComputeHeadline: 1,
  /** A Japanese outlet's unmarked story happens in Japan: worth one clear place mention and a half. */
  outletPrior: 1.5,
  /** Japanese language is half a place: a Japanese model is Japan's only with Japan in the story. */
  language: 0.5,
  /** AI and Japan each add at most this to the score: past it, more of one cannot hide the other's lack. */
  scoreCap: 4,
  /** Foreign evidence takes half its weight off the score: a foreign partner is common, not fatal. */
  foreignPenalty: 0.5,
  /** A survey, earnings or availability cue up front costs more than one clear AI term gives. */
  negativePenalty: 1.5,
} as const;

/** What the evidence of one kind adds up to, per zone. */
export function weigh(c: ZoneCounts, config: ClassifierWeights): number {
  return (
    config.title * Math.min(c.title, WEIGHTS.titleCap) +
    WEIGHTS.lead * Math.min(c.lead, WEIGHTS.leadCap) +
    WEIGHTS.body * Math.min(c.body, config.bodyCap)
  );
}

/** Mentions in the headline and lead, uncapped: what the story says up front. */
export function upFront(c: ZoneCounts, config: ClassifierWeights): number {
  return config.title * c.title + WEIGHTS.lead * c.lead;
}

/** Everything the rules look at, each figure with the terms or actors behind it. */
export interface Evidence {
  analysis: Analysis;
  /** An entity's name, as the registry knows it. */
  nameOf: (id: string) => string;
  /** Weighed mentions of a lexicon family (weigh), and of it up front (upFront). */
  weight: (family: Family) => number;
  front: (family: Family) => number;
  /** Entity ids that counted: Japanese actors, then the others (foreign, unknown country). */
  japanese: string[];
  others: string[];
  /** Names of the AI developers that counted as AI evidence, and of the foreign ones named up front. */
  aiDeveloperNames: string[];
  foreignAiNames: string[];
  /** Names of the Japanese places (prefectures, cities) that counted. */
  placeNames: string[];
  homeOutlet: boolean;
  foreignUpFront: boolean;
  /** A foreign place or actor in the headline: the story's subject is foreign. */
  foreignSubject: boolean;
  foreignInTitle: boolean;
  headlineOnly: boolean;
  /** A headline alone names compute and building or funding it. */
  computeHeadline: boolean;
  strongAi: number;
  weakAi: number;
  ai: number;
  /** Places, place entities and "home-grown" (unless a foreign place is up front). */
  explicitPlace: number;
  /** Japan from where the item comes from (WEIGHTS.outletPrior), or 0. */
  outletPrior: number;
  /** Language evidence, counted only when a Japanese place or actor is in the story. */
  language: number;
  /** Japanese actors' weighed mentions (public ones counted double), before the cap. */
  japaneseActors: number;
  publicActors: number;
  placeEntities: number;
  japaneseAi: number;
  foreignAi: number;
  japan: number;
  foreign: number;
  activity: number;
  negatives: { survey: number; earnings: number; availability: number };
  negative: number;
  score: number;
}

/** An entity's mentions, less those made with contextual aliases when the story is not set in Japan. */
function countsOf(analysis: Analysis, id: string, all: ZoneCounts, setInJapan: boolean): ZoneCounts {
  const part = setInJapan ? undefined : analysis.contextual.get(id);
  return part
    ? { title: all.title - part.title, lead: all.lead - part.lead, body: all.body - part.body }
    : all;
}

export function gatherEvidence(
  analysis: Analysis,
  registry: EntityRegistry,
  config: ClassifierWeights,
  homeOutlets: ReadonlySet<string>,
  context: ItemContext,
): Evidence {
  const f = analysis.families;
  const weight = (family: Family) => weigh(f[family], config);
  const front = (family: Family) => upFront(f[family], config);
  const foreignUpFront = front('foreign') > 0;
  const homeOutlet =
    context.lang === 'ja' || (context.source !== undefined && homeOutlets.has(foldForMatch(context.source)));
  // 政府 or "the Cabinet" are Japan's only in a story set in Japan: a Japanese outlet's or
  // one that says Japan up front, and not one that names another country first.
  const setInJapan = !foreignUpFront && (homeOutlet || front('place') > 0);
  const japanese: string[] = [];
  const others: string[] = [];
  const aiDeveloperNames: string[] = [];
  const foreignAiNames: string[] = [];
  const placeNames: string[] = [];
  let japaneseActors = 0;
  let aiDevelopers = 0;
  let foreignInTitle = false;
  let publicActors = 0;
  let placeEntities = 0;
  let foreignAi = 0;
  let japaneseAi = 0;
  for (const [id, all] of analysis.entities) {
    const entity = registry.get(id);
    if (!entity) continue;
    const counts = countsOf(analysis, id, all, setInJapan);
    if (counts.title + counts.lead + counts.body === 0) continue;
    // A prefecture or city says where, like "Japan" does; it is not an actor.
    if (entity.kind === 'place') {
      if (entity.country === 'JP') {
        placeEntities += weigh(counts, config);
        placeNames.push(entity.name);
      }
      continue;
    }
    // An AI developer makes a story about AI wherever it is from; where it happens is a separate question.
    if (entity.aiFocus) {
      aiDevelopers += weigh(counts, config);
      aiDeveloperNames.push(entity.name);
    }
    if (entity.aiFocus && entity.country !== 'JP') {
      foreignAi += upFront(counts, config);
      if (upFront(counts, config) > 0) foreignAiNames.push(entity.name);
    }
    if (entity.aiFocus && entity.country === 'JP') japaneseAi += upFront(counts, config);
    if (entity.country === 'JP') {
      japanese.push(id);
      // A ministry or public institute governs or builds in Japan; a company may act anywhere.
      const isPublic = entity.kind !== 'company' && entity.kind !== 'investor';
      japaneseActors += (isPublic ? WEIGHTS.publicActor : WEIGHTS.companyActor) * weigh(counts, config);
      if (isPublic) publicActors += weigh(counts, config);
    } else {
      others.push(id);
      if (counts.title > 0) foreignInTitle = true;
    }
  }

  const strongAi = weight('ai') + aiDevelopers;
  const activity = weight('invest') + weight('build');
  // An item that is only a headline names compute by itself ("AWS to invest $15 billion in Japan
  // cloud infrastructure"): a build-out of it or an investment in it counts in full.
  const headlineOnly = !analysis.lead && !analysis.body;
  const computeHeadline = headlineOnly && f.aiWeak.title > 0 && activity > 0;
  const weakAi = weight('aiWeak');
  const ai = strongAi + (computeHeadline ? WEIGHTS.weakAiComputeHeadline : WEIGHTS.weakAi) * weakAi;
  // "Home-grown" is Japanese unless another country is named up front.
  const explicitPlace = weight('place') + placeEntities + (foreignUpFront ? 0 : weight('domestic'));
  // A Japanese outlet marks foreign actors (米オープンAI, "U.S.-based"), so its unmarked
  // stories happen in Japan; such a story must still show building, funding or governing.
  // A foreign actor in the headline is the subject (米オープンAI、…発表); one in the lead is context.
  const foreignSubject = foreignInTitle || f.foreignActor.title > 0;
  const outletPrior = homeOutlet && !foreignUpFront && !foreignSubject ? WEIGHTS.outletPrior : 0;
  const place = explicitPlace + outletPrior;
  // A foreign product that handles Japanese is not Japanese capability: the language
  // counts only when a Japanese actor or place is in the story too.
  const language = place > 0 || japaneseActors > 0 ? weight('language') : 0;
  const japan = place + WEIGHTS.language * language + Math.min(japaneseActors, WEIGHTS.actorsCap);
  // Naming several foreign partners in one headline does not make a story more foreign.
  const foreign = weigh({ ...f.foreign, title: Math.min(f.foreign.title, WEIGHTS.foreignTitleCap) }, config);
  const negatives = {
    survey: front('survey'),
    earnings: front('earnings'),
    availability: front('availability'),
  };
  // A headline about a survey or earnings is about that, whatever else it mentions.
  const negative = WEIGHTS.negativePenalty * (negatives.survey + negatives.earnings + negatives.availability);
  const score =
    Math.min(ai, WEIGHTS.scoreCap) +
    Math.min(japan, WEIGHTS.scoreCap) -
    WEIGHTS.foreignPenalty * foreign -
    negative;
  return {
    analysis,
    nameOf: (id) => registry.nameOf(id),
    weight,
    front,
    japanese,
    others,
    aiDeveloperNames,
    foreignAiNames,
    placeNames,
    homeOutlet,
    foreignUpFront,
    foreignSubject,
    foreignInTitle,
    headlineOnly,
    computeHeadline,
    strongAi,
    weakAi,
    ai,
    explicitPlace,
    outletPrior,
    language,
    japaneseActors,
    publicActors,
    placeEntities,
    japaneseAi,
    foreignAi,
    japan,
    foreign,
    activity,
    negatives,
    negative,
    score,
  };
}
