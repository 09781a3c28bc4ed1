/**
 * The order a replay takes its items in: `published` (the stream order, and the contract for
 * scoring), `reverse` (newest first), or `shuffle[:SEED]` (a seeded permutation, the same for
 * the same seed). Each decision still uses only what came before it in that order.
 */
import { UsageError } from '../errors.ts';
import { inPublishedOrder } from './items-file.ts';

export type ReplayOrder = { kind: 'published' } | { kind: 'reverse' } | { kind: 'shuffle'; seed: number };

export function parseOrder(text: string): ReplayOrder {
  if (text === 'published' || text === 'reverse') return { kind: text };
  const shuffle = /^shuffle(?::(\d{1,9}))?$/.exec(text);
  if (shuffle) return { kind: 'shuffle', seed: Number(shuffle[1] ?? 1) };
  throw new UsageError(`--order must be published, reverse or shuffle[:SEED], not "${text}"`);
}

/** A small deterministic generator (mulberry32): the same seed gives the same order everywhere. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function orderItems<T extends { published: string }>(items: T[], order: ReplayOrder): T[] {
  const published = inPublishedOrder(items);
  if (order.kind === 'published') return published;
  if (order.kind === 'reverse') return published.reverse();
  const next = random(order.seed);
  const shuffled = [...published];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}
