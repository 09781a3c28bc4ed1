/** Builds the domain core from validated configuration. */
import type { AppConfig } from '../config/index.ts';
import { Analyser } from './analyse.ts';
import { createClassifier, type Classify } from './classify.ts';
import { EntityRegistry } from './entities.ts';

export interface Core {
  registry: EntityRegistry;
  analyser: Analyser;
  classify: Classify;
  dedupe: { windowMs: number; threshold: number; perKey: number; maxCandidates: number };
}

export function createCore(
  config: Pick<AppConfig, 'entities' | 'lexicon' | 'settings'> & Partial<Pick<AppConfig, 'outlets'>>,
): Core {
  const registry = new EntityRegistry(config.entities);
  const { windowDays, threshold, perKey, maxCandidates } = config.settings.dedupe;
  return {
    registry,
    analyser: new Analyser(registry, config.lexicon),
    classify: createClassifier(registry, config.lexicon.weights, config.outlets?.japanese ?? []),
    dedupe: { windowMs: windowDays * 86_400_000, threshold, perKey, maxCandidates },
  };
}
