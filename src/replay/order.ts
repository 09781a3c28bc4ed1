/**
 * The order a replay takes its items in: `published` (the stream order, and the contract for
 * scoring), `reverse` (newest first), or `shuffle[:SEED]` (a seeded permutation, the same for
 * the same seed). Each decision still uses only what came before it in that order.
 */
import { UsageError } from '../shared/errors.ts';
import { inPublishedOrder } from './items-file.ts';
import { seededRandom } from '../core/random.ts';

export type ReplayOrder = { kind: 'published' } | { kind: 'reverse' } | { kind: 'shuffle'; seed: number };

export function parseOrder(text: string): ReplayOrder {
  if (text === 'published' || text === 'reverse') return { kind: text };
  const shuffle = /^shuffle(?::(\d{1,9}))?$/.exec(text);
  if (shuffle) return { kind: 'shuffle', seed: Number(shuffle[1] ?? 1) };
  throw new UsageError(`--order must be published, reverse or shuffle[:SEED], not "${text}"`);
}

export function orderItems<T extends { published: string }>(items: T[], order: ReplayOrder): T[] {
  const published = inPublishedOrder(items);
  if (order.kind === 'published') return published;
  if (order.kind === 'reverse') return published.reverse();
  const next = seededRandom(order.seed);
  const shuffled = [...published];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}
