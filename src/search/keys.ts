/**
 * Where the search index keeps its data in Redis: every key under `<prefix>{search}:`, one
 * Redis Cluster hash tag for the whole index, so that a query intersects its terms' sets on one
 * node. It is a store of its own: the event store ({store}) may sit on another node.
 *
 *   t:<term>    zset event id → event updatedAt ms (words, Japanese bigrams, @entity)
 *   ev:<id>     the terms an event is indexed under, space-separated
 */
export const SEARCH_TAG = '{search}';

export interface SearchKeys {
  term(term: string): string;
  event(id: string): string;
}

export function searchKeys(prefix: string): SearchKeys {
  const base = `${prefix}${SEARCH_TAG}:`;
  return {
    term: (term) => `${base}t:${term}`,
    event: (id) => `${base}ev:${id}`,
  };
}
