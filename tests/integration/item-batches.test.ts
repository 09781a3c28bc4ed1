/** Item jobs as batches: deterministic ids, every item counted once, re-runs report what was stored. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemJobSchema, ITEM_BATCH_SIZE } from '../../src/queue/jobs.ts';
import { createQueues, enqueueRound, type Queues } from '../../src/queue/queues.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { summarise } from '../../src/worker/poll-once.ts';
import { processJobItem } from '../../src/worker/workers.ts';
import { syntheticItems } from '../helpers/aiwatch.ts';
import { core, seeds } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const prefix = testPrefix('item-batches');
let redis: Redis;
let queues: Queues;

beforeAll(async () => {
  redis = await openTestRedis();
  queues = createQueues(redis, prefix);
});
afterAll(async () => {
  await queues.close();
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('item batches', () => {
  it('queues a round: a feed’s items in batches, each article once, under one decide job', async () => {
    const items = syntheticItems(60, 'Batch', 'batch.example');
    const { round, batches } = await enqueueRound(queues, [{ items: [...items, items[0]!], backlog: true }]);
    expect(batches).toHaveLength(3);
    expect(await queues.items.getWaitingCount()).toBe(3);
    expect(await queues.decide.getJobState(round)).toBe('waiting-children');
    const jobs = await Promise.all(batches.map((id) => queues.items.getJob(id)));
    expect(jobs.map((job) => job!.data.items.length)).toEqual([ITEM_BATCH_SIZE, ITEM_BATCH_SIZE, 10]);
    expect(jobs.flatMap((job) => job!.data.items.map((i) => i.url))).toEqual(items.map((i) => i.url));
    expect(jobs.every((job) => job!.data.backlog === true && job!.data.decideLater === true)).toBe(true);
  });

  it('reads a one-item job of the earlier format as a batch of one', () => {
    const [item] = syntheticItems(1, 'Old', 'old.example');
    expect(itemJobSchema.parse({ item })).toEqual({ items: [item] });
  });

  it('a re-run reports an item it already stored as stored, not as a duplicate', async () => {
    const c = core();
    const pipeline = { ...c, store: createMemoryStore(), now: () => new Date('2026-04-15T06:00:00Z') };
    const items = seeds().sort((a, b) => a.published.localeCompare(b.published));
    const first = [];
    for (const item of items) first.push(await processJobItem(item, pipeline));
    const again = [];
    for (const item of items) again.push(await processJobItem(item, pipeline));
    expect(again).toEqual(first);
    expect(first.filter((r) => r.status === 'new-event')).toHaveLength(2);
  });

  it('counts an article reported by two batches once', () => {
    const a = { status: 'new-event' as const, itemId: 'i-1', eventId: 'e-1' };
    const b = { status: 'joined-event' as const, itemId: 'i-2', eventId: 'e-1' };
    const summary = summarise(
      [],
      [
        { status: 'done', results: [a, b] },
        { status: 'done', results: [b, { status: 'duplicate', itemId: 'i-9' }] },
        { status: 'failed', reason: 'boom', items: 3 },
      ],
      5,
    );
    expect(summary.items).toEqual({ new: 2, duplicate: 1, relevant: 2, failed: 3 });
    expect(summary.events).toEqual({ new: 1, updated: 0 });
  });
});
