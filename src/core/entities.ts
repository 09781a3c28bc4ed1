/** The entity registry: canonical companies and institutions with their aliases. */
import { foldForMatch } from './normalise.ts';
import { editDistance } from './edit-distance.ts';

export interface Entity {
  id: string;
  name: string;
  kind: 'company' | 'government' | 'research' | 'university' | 'investor' | 'place';
  country: string;
  aiFocus: boolean;
  parent?: string;
  aliases: { en: string[]; ja: string[]; contextual?: string[] };
}

export class EntityRegistry {
  private readonly byId = new Map<string, Entity>();
  private readonly byAlias = new Map<string, Entity>();

  constructor(readonly entities: readonly Entity[]) {
    for (const entity of entities) {
      this.byId.set(entity.id, entity);
      for (const alias of [
        entity.name,
        entity.id,
        ...entity.aliases.en,
        ...entity.aliases.ja,
        ...(entity.aliases.contextual ?? []),
      ]) {
        const key = foldForMatch(alias);
        if (!this.byAlias.has(key)) this.byAlias.set(key, entity);
      }
    }
  }

  get(id: string): Entity | undefined {
    return this.byId.get(id);
  }

  isJapanese(id: string): boolean {
    return this.byId.get(id)?.country === 'JP';
  }

  parentOf(id: string): string | undefined {
    return this.byId.get(id)?.parent;
  }

  nameOf(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }

  /** The name a reader of `lang` knows: in Japanese the first Japanese alias (ソフトバンク), else the name. */
  nameIn(id: string, lang: 'en' | 'ja'): string {
    const entity = this.byId.get(id);
    return (lang === 'ja' ? entity?.aliases.ja[0] : undefined) ?? entity?.name ?? id;
  }

  /** Every alias of every entity once, in the form the phrase index takes. */
  *aliasEntries(): Iterable<{ phrase: string; entity: Entity; contextual: boolean }> {
    for (const entity of this.entities) {
      const seen = new Set<string>();
      const contextual = new Set((entity.aliases.contextual ?? []).map((a) => a.normalize('NFKC')));
      for (const alias of [entity.name, ...entity.aliases.en, ...entity.aliases.ja, ...contextual]) {
        const key = alias.normalize('NFKC');
        if (seen.has(key)) continue;
        seen.add(key);
        yield { phrase: alias, entity, contextual: contextual.has(key) };
      }
    }
  }

  /** Resolves a user-typed name in either script (ソフトバンク, MHI, sb-intuitions). */
  resolve(name: string): Entity | undefined {
    return this.byAlias.get(foldForMatch(name));
  }

  /** The closest known names to an unknown one, for "did you mean". */
  suggest(name: string, limit = 3): string[] {
    const query = foldForMatch(name);
    const scored = this.entities.map((entity) => {
      const names = [entity.name, ...entity.aliases.en, ...entity.aliases.ja].map(foldForMatch);
      const best = Math.min(...names.map((candidate) => editDistance(query, candidate)));
      const prefix = names.some((candidate) => candidate.startsWith(query) || query.startsWith(candidate));
      return { name: entity.name, score: prefix ? best - 2 : best };
    });
    scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
    return scored.slice(0, limit).map((s) => s.name);
  }
}
