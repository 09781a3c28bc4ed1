/**
 * Order independence of events: every labelled fixture replayed (memory store) in published
 * order, in reverse and in three seeded shuffles. Prints B³ F1 per order, and for each other
 * order how many pairs of relevant items it groups differently from the published order
 * (0: the same partition).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadApp } from '../src/cli/context.ts';
import { FIXTURES } from '../src/shared/paths.ts';
import { readItemsFile } from '../src/replay/items-file.ts';
import { score } from '../src/replay/metrics.ts';
import { parseOrder } from '../src/replay/order.ts';
import { replay, type ReplayLine } from '../src/replay/replay.ts';
import { createMemoryStore } from '../src/store/memory-store.ts';

const ORDERS = ['published', 'reverse', 'shuffle:1', 'shuffle:2', 'shuffle:3'];

/** Pairs of items predicted relevant that one partition puts together and the other apart. */
function pairDifferences(a: ReplayLine[], b: ReplayLine[]): number {
  const eventOf = new Map(b.map((line) => [line.id, line.event]));
  const ids = a.filter((line) => line.event && eventOf.get(line.id));
  let differ = 0;
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const x = ids[i]!;
      const y = ids[j]!;
      if ((x.event === y.event) !== (eventOf.get(x.id) === eventOf.get(y.id))) differ++;
    }
  return differ;
}

export default async function orderBench(): Promise<void> {
  const { core } = loadApp();
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const file of files) {
    const items = readItemsFile(join(FIXTURES, file));
    const gold = items.map((item) => ({
      id: item.id,
      relevant: item.relevant ?? false,
      event: item.event ?? null,
    }));
    const runs = new Map<string, ReplayLine[]>();
    for (const order of ORDERS)
      runs.set(order, await replay(items, core, createMemoryStore(), parseOrder(order)));
    const published = runs.get('published')!;
    const cells = ORDERS.map((order) => {
      const lines = runs.get(order)!;
      const f1 = score(gold, lines).events.f1.toFixed(3);
      return order === 'published'
        ? `published ${f1}`
        : `${order} ${f1} (${pairDifferences(published, lines)} pairs differ)`;
    });
    console.log(`${file.padEnd(16)} ${cells.join(' · ')}`);
  }
}
