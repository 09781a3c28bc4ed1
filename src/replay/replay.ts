/** Replays items as a live stream would see them, through the worker's own pipeline. */
import type { Core } from '../core/index.ts';
import { processItem } from '../pipeline/process-item.ts';
import type { EventStore } from '../store/types.ts';
import { inPublishedOrder, type LabelledItem } from './items-file.ts';

export interface ReplayLine {
  id: string;
  relevant: boolean;
  event: string | null;
  reasons: string[];
}

export async function replay(items: LabelledItem[], core: Core, store: EventStore): Promise<ReplayLine[]> {
  const lines: ReplayLine[] = [];
  for (const item of inPublishedOrder(items)) {
    // "Now" is the item's publication time, so a replay decides exactly as the live stream did.
    const published = new Date(Date.parse(item.published) || 0);
    const result = await processItem(item, { ...core, store, now: () => published });
    if (result.status === 'duplicate') {
      const [original] = await store.getItems([result.itemId]);
      lines.push({
        id: item.id,
        relevant: original?.relevant ?? false,
        event: original?.event ?? null,
        reasons: ['duplicate of an item already stored', ...(original?.reasons ?? [])],
      });
    } else {
      lines.push({
        id: item.id,
        relevant: result.status !== 'irrelevant',
        event: result.status === 'irrelevant' ? null : result.eventId,
        reasons: result.classification.reasons,
      });
    }
  }
  return lines;
}
