/**
 * What merged events mean for what a channel was shown: an event that absorbed others was shown
 * to the channel under their ids, so it counts as shown with the most outlets any of them had.
 * A merged event then comes back in a digest only as an update, once it has more outlets.
 */
import type { EventRecord } from './types.ts';

export function shownThroughMerges(
  shown: ReadonlyMap<string, number>,
  events: readonly Pick<EventRecord, 'id' | 'mergedFrom'>[],
): Map<string, number> {
  const result = new Map(shown);
  for (const event of events) {
    const counts = [event.id, ...(event.mergedFrom ?? [])]
      .map((id) => shown.get(id))
      .filter((n): n is number => n !== undefined);
    if (counts.length) result.set(event.id, Math.max(...counts));
  }
  return result;
}
