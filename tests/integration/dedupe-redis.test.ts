import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { FeedItem } from '../../src/core/types.ts';
import { processItem, type PipelineDeps } from '../../src/pipeline/process-item.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { core } from '../helpers/fixtures.ts';
import { storeKeys } from '../../src/store/keys.ts';

const base: FeedItem = {
  id: 'kyodo-1',
  source: 'Kyodo News',
  url: 'https://english.kyodonews.net/news/2026/05/abc-ntt-llm.html',
  lang: 'en',
  published: '2026-05-10T03:00:00Z',
  title: 'NTT releases tsuzumi 2, a 30-billion-parameter Japanese LLM',
  summary:
    'NTT said on Sunday it has released tsuzumi 2, a domestic large language model with 30 billion parameters, for Japanese companies.',
  content: '',
};

describe('dedupe against Redis', () => {
  let redis: Redis;
  let second: Redis;
  const prefixes: string[] = [];
  const c = core();
  const deps = (prefix: string, client: Redis = redis): PipelineDeps => ({
    ...c,
    store: createRedisEventStore(client, prefix),
    now: () => new Date('2026-05-10T04:00:00Z'),
  });
  const fresh = (name: string) => {
    const prefix = testPrefix(name);
    prefixes.push(prefix);
    return prefix;
  };

  beforeAll(async () => {
    redis = await openTestRedis();
    second = await openTestRedis();
  });
  afterAll(async () => {
    for (const prefix of prefixes) await cleanup(redis, prefix);
    redis.disconnect();
    second.disconnect();
  });

  it('recognises the same URL (scheme, www, tracking, slash) and the same GUID before any similarity work', async () => {
    const d = deps(fresh('exact'));
    const first = await processItem({ ...base, guid: 'kyodo:123' }, d);
    expect(first.status).toBe('new-event');
    const variant = await processItem(
      { ...base, url: 'http://www.english.kyodonews.net/news/2026/05/abc-ntt-llm.html/?utm_source=rss' },
      d,
    );
    expect(variant).toEqual({ status: 'duplicate', itemId: first.itemId });
    const sameGuid = await processItem(
      { ...base, url: 'https://english.kyodonews.net/amp/abc', guid: 'kyodo:123' },
      d,
    );
    expect(sameGuid.status).toBe('duplicate');
    expect(await d.store.countEvents()).toBe(1);
  });

  it('a retried job changes nothing', async () => {
    const prefix = fresh('retry');
    const d = deps(prefix);
    const first = await processItem(base, d);
    if (first.status !== 'new-event') throw new Error(first.status);
    const before = await redis.get(storeKeys(prefix).event(first.eventId));
    expect((await processItem(base, d)).status).toBe('duplicate');
    expect(await redis.get(storeKeys(prefix).event(first.eventId))).toBe(before);
  });

  it('two workers processing syndicated copies at the same moment make one event', async () => {
    const prefix = fresh('race');
    const one = deps(prefix, redis);
    const two = deps(prefix, second);
    const copies = Array.from({ length: 12 }, (_, i) => ({
      ...base,
      id: `copy-${i}`,
      source: `Outlet ${i}`,
      url: `https://outlet${i}.example/news/ntt-tsuzumi-2`,
      title: i % 2 ? base.title : `${base.title} (update)`,
    }));
    const results = await Promise.all(copies.map((item, i) => processItem(item, i % 2 ? one : two)));
    const events = new Set(results.map((r) => ('eventId' in r ? r.eventId : null)));
    expect(events.size).toBe(1);
    const [eventId] = [...events];
    const event = await one.store.getEvent(eventId!);
    expect(event?.itemIds).toHaveLength(12);
    expect(event?.sources).toHaveLength(12);
  });

  it('a worker that read an event before another worker grew it joins the grown event, never its old copy', async () => {
    const prefix = fresh('cached');
    const one = deps(prefix, redis);
    const two = deps(prefix, second);
    const copy = (i: number) => ({
      ...base,
      id: `cached-${i}`,
      source: `Outlet ${i}`,
      url: `https://outlet${i}.example/news/ntt-tsuzumi-2-cached`,
    });
    const first = await processItem(copy(1), one);
    if (first.status !== 'new-event') throw new Error(first.status);
    // Worker one has read (and keeps) the event at one article; worker two adds two more.
    expect((await processItem(copy(2), two)).status).toBe('joined-event');
    expect((await processItem(copy(3), two)).status).toBe('joined-event');
    // Worker one joins the event as it is now: a stale copy would drop the articles two added.
    expect((await processItem(copy(4), one)).status).toBe('joined-event');
    const event = await one.store.getEvent(first.eventId);
    expect(event?.itemIds).toHaveLength(4);
    expect(event?.sources.sort()).toEqual(['Outlet 1', 'Outlet 2', 'Outlet 3', 'Outlet 4']);
  });

  it('a later article in another language grows the event: new source, new language, newer updatedAt', async () => {
    const prefix = fresh('grow');
    const first = await processItem(base, deps(prefix));
    const later = await processItem(
      {
        ...base,
        id: 'nikkei-ja',
        source: '日本経済新聞',
        lang: 'ja',
        url: 'https://www.nikkei.com/article/ntt-tsuzumi2',
        published: '2026-05-11T01:00:00Z',
        title: 'ＮＴＴ、国産ＬＬＭ「ｔｓｕｚｕｍｉ ２」を公開　300億パラメータ',
        summary: '日本電信電話（ＮＴＴ）は、300億パラメータの大規模言語モデル「tsuzumi 2」を公開した。',
      },
      { ...deps(prefix), now: () => new Date('2026-05-11T02:00:00Z') },
    );
    expect(later.status).toBe('joined-event');
    if (later.status !== 'joined-event' || first.status !== 'new-event') throw new Error('unexpected');
    expect(later.eventId).toBe(first.eventId);
    expect(later.event.langs).toEqual(['en', 'ja']);
    expect(later.event.sources).toEqual(['Kyodo News', '日本経済新聞']);
    expect(later.event.title).toBe(base.title);
    expect(later.event.titles.ja).toMatch(/tsuzumi/);
    expect(later.event.updatedAt > first.event.updatedAt).toBe(true);
  });

  it('an event past the window is no longer a candidate but stays queryable', async () => {
    const prefix = fresh('expire');
    const first = await processItem(base, deps(prefix));
    if (first.status !== 'new-event') throw new Error(first.status);
    const muchLater = await processItem(
      { ...base, id: 'late', url: 'https://other.example/ntt-again', published: '2026-06-01T00:00:00Z' },
      { ...deps(prefix), now: () => new Date('2026-06-01T00:00:00Z') },
    );
    expect(muchLater.status).toBe('new-event');
    expect(await deps(prefix).store.getEvent(first.eventId)).not.toBeNull();
    // The old event's candidate-index entries were pruned when the new one was written.
    const keys = await redis.keys(storeKeys(prefix).index('*'));
    for (const key of keys) expect(await redis.zscore(key, first.eventId)).toBeNull();
  });
});
