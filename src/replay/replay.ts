/** Replays items as a live stream would see them, through the worker's own pipeline. */
import type { Core } from '../core/index.ts';
import {
  prepareItem,
  storePrepared,
  type PipelineDeps,
  type PreparedItem,
} from '../pipeline/process-item.ts';
import type { EventStore } from '../store/types.ts';
import type { LabelledItem } from './items-file.ts';
import { orderItems, type ReplayOrder } from './order.ts';

const SURVIVOR_CHUNK = 500;

export interface ReplayLine {
  id: string;
  relevant: boolean;
  event: string | null;
  reasons: string[];
}

export async function replay(
  items: LabelledItem[],
  core: Core,
  store: EventStore,
  order: ReplayOrder = { kind: 'published' },
): Promise<ReplayLine[]> {
  const lines: ReplayLine[] = [];
  const ordered = orderItems(items, order);
  // "Now" is the item's publication time, so a replay decides exactly as the live stream did.
  const base = { analyser: core.analyser, classify: core.classify, dedupe: core.dedupe, store };
  const prepare = (i: number): { prepared: PreparedItem; deps: PipelineDeps } | undefined => {
    const item = ordered[i];
    if (!item) return undefined;
    const published = new Date(Date.parse(item.published) || 0);
    const deps = { ...base, now: () => published };
    return { prepared: prepareItem(item, deps), deps };
  };
  let next = prepare(0);
  for (let i = 0; next; i++) {
    const { item } = next.prepared;
    // The next item is analysed while the store works on this one (its analysis needs no store).
    const storing = storePrepared(next.prepared, next.deps);
    next = prepare(i + 1);
    const result = await storing;
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
  // An event merged into another later in the stream: its items are reported under the survivor.
  // Looked up a chunk at a time, concurrently: one round trip per event made a Redis replay of
  // thousands of events wait on thousands of round trips after the last item.
  const survivors = new Map<string, string>();
  const events = [...new Set(lines.flatMap((line) => (line.event ? [line.event] : [])))];
  for (let i = 0; i < events.length; i += SURVIVOR_CHUNK) {
    const chunk = events.slice(i, i + SURVIVOR_CHUNK);
    const found = await Promise.all(chunk.map((id) => store.getEvent(id)));
    chunk.forEach((id, k) => survivors.set(id, found[k]?.id ?? id));
  }
  for (const line of lines) if (line.event) line.event = survivors.get(line.event) ?? line.event;
  return lines;
}
