/**
 * Candidate selection shared by both stores: each index key yields its most
 * recent events; the events found under the most keys are the ones worth
 * reading and scoring. This bounds the work per item however many events
 * a popular key (a big company, a common word) holds. The Redis store runs the
 * same rule inside its candidates script (lua/candidates.lua); a replay test keeps
 * the two stores' decisions identical.
 */
export function selectCandidates(rangesPerKey: readonly (readonly string[])[], max: number): string[] {
  const hits = new Map<string, { count: number; first: number }>();
  let position = 0;
  for (const range of rangesPerKey)
    for (const id of range) {
      const seen = hits.get(id);
      if (seen) seen.count++;
      else hits.set(id, { count: 1, first: position });
      position++;
    }
  return [...hits.entries()]
    .sort(([a, x], [b, y]) => y.count - x.count || x.first - y.first || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max)
    .map(([id]) => id)
    .sort();
}
