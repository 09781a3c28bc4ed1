/**
 * Exactly once: a digest window or an alert is posted once under job retries,
 * a worker killed mid-post and two workers at once; alerts go to subscribed
 * channels once per event; schedules follow the registry.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackDigestMessages, type SlackMessage } from '../../src/core/digest-slack.ts';
import { notifyEvent } from '../../src/notify/alerts.ts';
import { deliverOnce, readDelivery } from '../../src/notify/delivery.ts';
import { prepareDigest, runDigest, type NotifyDeps } from '../../src/notify/digest-run.ts';
import { wireApp } from '../../src/app/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import {
  processNotifyJob,
  schedulerId,
  startNotifications,
  syncDigestSchedules,
} from '../../src/notify/service.ts';
import type { ChatPoster } from '../../src/chat/poster.ts';
import { bullPrefix } from '../../src/queue/queues.ts';
import { startDiscordServer, startSlackServer, type ChatServer } from '../helpers/chat-servers.ts';
import { core } from '../helpers/fixtures.ts';
import { seedStore, SEEDS_NOW, testDeps, type EditableStore } from '../helpers/notify.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

type Server = ChatServer & { apiUrl: string };
let redis: Redis;
let redis2: Redis;
let slack: Server;
let discord: Server;
const prefix = testPrefix('notify-once');
let store: EditableStore;
let deps: NotifyDeps;

beforeAll(async () => {
  [redis, redis2, slack, discord] = await Promise.all([
    openTestRedis(),
    openTestRedis(),
    startSlackServer(),
    startDiscordServer(),
  ]);
});
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
  redis2.disconnect();
  await Promise.all([slack.close(), discord.close()]);
});
beforeEach(async () => {
  slack.reset();
  discord.reset();
  store = await seedStore();
  deps = testDeps(redis, prefix, store, { slack, discord });
});

let n = 0;
const newChannel = (platform: 'slack' | 'discord' = 'slack') =>
  deps.registry.ensure(`${platform}:${platform === 'slack' ? 'C' : ''}${200 + ++n}`);

/** A poster that posts for real, then hangs forever: the worker "dies" before recording the post. */
function dyingAfterPost<M>(poster: ChatPoster<M>, afterPosts: number): ChatPoster<M> {
  let posts = 0;
  return {
    ...poster,
    async post(channelId, message, nonce) {
      await poster.post(channelId, message, nonce);
      if (++posts >= afterPosts) await new Promise(() => {});
    },
  };
}

describe('exactly-once digests', () => {
  it('a retried scheduled job posts nothing the second time', async () => {
    const ch = await newChannel();
    const slot = Date.parse('2026-04-15T00:00:00.000Z');
    expect((await runDigest(ch, deps, slot)).status).toBe('sent');
    expect((await runDigest(ch, deps, slot)).status).toBe('already-sent');
    expect(slack.posts()).toHaveLength(1);
  });

  it('two workers running the same digest at once post it once', async () => {
    const ch = await newChannel();
    const second = testDeps(redis2, prefix, store, { slack, discord });
    slack.script({ status: 200, body: { ok: true, ts: '1.1' }, delayMs: 300 });
    const slot = Date.parse('2026-04-15T00:00:00.000Z');
    const outcomes = await Promise.all([runDigest(ch, deps, slot), runDigest(ch, second, slot)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['in-progress', 'sent']);
    expect(slack.posts()).toHaveLength(1);
  });

  it('a worker killed after posting part of a digest: the next run posts the rest, nothing twice', async () => {
    const ch = await newChannel();
    const { digest } = await prepareDigest(ch, deps);
    // Three messages of the same window.
    const messages: SlackMessage[] = [0, 1, 2].map((i) => ({
      ...slackDigestMessages(digest)[0]!,
      text: `part ${i}`,
    }));
    const delivery = { channel: ch.id, platformChannel: ch.channelId, key: 'digest:test-kill', messages };
    const ctx = { redis, prefix, log: deps.log };
    void deliverOnce(ctx, delivery, dyingAfterPost(deps.posters.slack as ChatPoster<SlackMessage>, 2));
    await expect.poll(() => slack.posts().length).toBe(2);

    // While the dead worker's lease lasts, another run leaves it alone.
    expect((await deliverOnce({ ...ctx, redis: redis2 }, delivery, deps.posters.slack)).status).toBe(
      'in-progress',
    );
    // After the lease, the next run takes over: part 0 was recorded, part 1 was in flight (not re-sent
    // on Slack, which has no idempotency key), part 2 is posted.
    const later = { ...ctx, redis: redis2, now: () => Date.now() + 11 * 60_000 };
    expect(await deliverOnce(later, delivery, deps.posters.slack)).toMatchObject({ status: 'sent' });
    expect(slack.posts().map((p) => p.body.text)).toEqual(['part 0', 'part 1', 'part 2']);
    expect(await readDelivery(redis, prefix, ch.id, 'digest:test-kill')).toMatchObject({
      state: 'sent',
      crashed: 1,
    });
  });

  it('on Discord the message in flight is re-sent with its nonce, which Discord de-duplicates', async () => {
    const ch = await newChannel('discord');
    const { digest } = await prepareDigest(ch, deps);
    const messages = deps.posters.discord.renderDigest(digest);
    const delivery = { channel: ch.id, platformChannel: ch.channelId, key: 'digest:kill-discord', messages };
    const ctx = { redis, prefix, log: deps.log };
    void deliverOnce(ctx, delivery, dyingAfterPost(deps.posters.discord, 1));
    await expect.poll(() => discord.posts().length).toBe(1);
    const later = { ...ctx, redis: redis2, now: () => Date.now() + 11 * 60_000 };
    expect(await deliverOnce(later, delivery, deps.posters.discord)).toMatchObject({ status: 'sent' });
    expect(discord.requests).toHaveLength(2);
    expect(discord.posts()).toHaveLength(1);
  });

  it('a job retried after a failed part resumes after the parts already posted', async () => {
    const ch = await newChannel();
    for (let i = 0; i < 70; i++) {
      const base = [...store.events.values()][0]!;
      store.events.set(`e-part-${i}`, {
        ...base,
        id: `e-part-${i}`,
        title: `Part story ${i}`,
        titles: { en: `Part story ${i}` },
        updatedAt: '2026-04-15T05:00:00.000Z',
        lastSeen: '2026-04-15T05:00:00.000Z',
      });
    }
    const big = { ...deps, settings: { maxAgeDays: 3, maxEvents: 72 } };
    slack.script(
      { status: 200, body: { ok: true, ts: '1.1' } },
      ...Array.from({ length: 3 }, () => ({ status: 500, body: 'down' })),
    );
    expect(await runDigest(ch, big)).toMatchObject({ status: 'failed', error: { permanent: false } });
    expect(slack.posts()).toHaveLength(1);
    expect((await runDigest(ch, big)).status).toBe('sent');
    const headers = slack.posts().map((p) => (p.body.blocks as { text: { text: string } }[])[0]!.text.text);
    expect(headers).toEqual(headers.map((_, i) => `Japan AI watch: 72 new (${i + 1}/${headers.length})`));
    expect(headers.length).toBeGreaterThan(1);
  });
});

describe('alerts', () => {
  const pfnEvent = () => [...store.events.values()].find((e) => e.companies.includes('mhi'))!;

  it('a subscribed channel gets one alert for an event, and none when more outlets join it', async () => {
    const ch = await newChannel();
    const other = await newChannel();
    await deps.registry.subscribe(ch.id, 'pfn');
    await deps.registry.subscribe(other.id, 'toyota-not-in-this-event');
    const event = pfnEvent();
    const outcomes = await notifyEvent({ eventId: event.id, itemId: event.itemIds[0]! }, deps);
    expect(outcomes).toEqual([{ channel: ch.id, status: 'sent', posted: 1, resumed: false }]);
    const [post] = slack.posts();
    expect(post!.body.channel).toBe(ch.channelId);
    expect(post!.body.text).toMatch(/^Japan AI watch alert \(Preferred Networks\)/);
    expect(JSON.stringify(post!.body.blocks)).toContain('*Alert:*');

    store.events.set(event.id, { ...event, sources: [...event.sources, 'Nikkei'] });
    const again = await notifyEvent({ eventId: event.id, itemId: 'another-item' }, deps);
    expect(again).toEqual([{ channel: ch.id, status: 'already-sent' }]);
    expect(slack.posts()).toHaveLength(1);
  });

  it('an event merged from one a channel was alerted about is not alerted again', async () => {
    const ch = await newChannel();
    await deps.registry.subscribe(ch.id, 'pfn');
    const event = pfnEvent();
    await notifyEvent({ eventId: event.id, itemId: event.itemIds[0]! }, deps);
    expect(slack.posts()).toHaveLength(1);
    // A bridging article folded that event into another one, which now carries its id in mergedFrom.
    const survivor = {
      ...event,
      id: 'e-survivor',
      mergedFrom: [event.id],
      sources: [...event.sources, 'Kyodo'],
    };
    store.events.delete(event.id);
    store.events.set(survivor.id, survivor);
    const outcomes = await notifyEvent({ eventId: survivor.id, itemId: survivor.itemIds[0]! }, deps);
    expect(outcomes).toContainEqual({ channel: ch.id, status: 'skipped', reason: 'alerted-as-merged' });
    expect(slack.posts()).toHaveLength(1);
  });

  it('does not alert for the backlog of a new feed or for news older than the age limit', async () => {
    const ch = await newChannel();
    await deps.registry.subscribe(ch.id, 'mhi');
    const event = pfnEvent();
    expect(await notifyEvent({ eventId: event.id, itemId: event.itemIds[0]!, backlog: true }, deps)).toEqual([
      { channel: '*', status: 'skipped', reason: 'backlog' },
    ]);
    const later = { ...deps, now: () => new Date(SEEDS_NOW.getTime() + 4 * 86_400_000) };
    expect(await notifyEvent({ eventId: event.id, itemId: event.itemIds[0]! }, later)).toEqual([
      { channel: '*', status: 'skipped', reason: 'too-old' },
    ]);
    expect(slack.requests).toHaveLength(0);
  });

  it('an alert job whose post failed for a while is retried, and posts once', async () => {
    const ch = await newChannel();
    await deps.registry.subscribe(ch.id, 'pfn');
    const event = pfnEvent();
    slack.script(...Array.from({ length: 3 }, () => ({ status: 503, body: 'down' })));
    const job = {
      name: 'alert',
      data: { eventId: event.id, itemId: event.itemIds[0] },
      opts: {},
      timestamp: 0,
    };
    await expect(processNotifyJob(job as never, deps)).rejects.toThrow(/not posted yet/);
    await expect(processNotifyJob(job as never, deps)).resolves.toMatchObject({ status: 'done' });
    await expect(processNotifyJob(job as never, deps)).resolves.toMatchObject({ status: 'done' });
    expect(slack.posts().filter((p) => p.body.channel === ch.channelId)).toHaveLength(1);
  });
});

describe('digest schedules', () => {
  it('one job scheduler per channel with its cron pattern and time zone, following registry changes', async () => {
    const queue = new Queue('notify', { connection: redis, prefix: bullPrefix(prefix) });
    try {
      const a = await newChannel();
      const b = { ...(await newChannel()), schedule: '30 8 * * 1-5', timezone: 'Europe/London' };
      await syncDigestSchedules(queue, [a, b], deps.log);
      expect(await queue.getJobScheduler(schedulerId(a.id))).toMatchObject({
        pattern: '0 9 * * *',
        tz: 'Asia/Tokyo',
        template: { data: { channel: a.id } },
      });
      const next = (await queue.getJobScheduler(schedulerId(b.id)))!.next!;
      expect(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeStyle: 'short' }).format(next),
      ).toBe('08:30');
      await syncDigestSchedules(queue, [{ ...a, schedule: '0 18 * * *' }], deps.log);
      expect((await queue.getJobScheduler(schedulerId(a.id)))!.pattern).toBe('0 18 * * *');
      expect(await queue.getJobScheduler(schedulerId(b.id))).toBeUndefined();
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('a scheduled job posts the digest of its slot once, however often it runs', async () => {
    const ch = await newChannel();
    const job = {
      name: 'digest',
      data: { channel: ch.id },
      opts: { prevMillis: 1776214800000 },
      timestamp: 0,
    };
    await expect(processNotifyJob(job as never, deps)).resolves.toEqual({ status: 'sent' });
    await expect(processNotifyJob(job as never, deps)).resolves.toEqual({ status: 'already-sent' });
    expect(slack.posts()).toHaveLength(1);
  });
});

it('the running service part queues an alert after an item and posts it at once; backlog items alert nobody', async () => {
  const ch = await newChannel();
  await deps.registry.subscribe(ch.id, 'mhi');
  const event = [...store.events.values()].find((e) => e.companies.includes('mhi'))!;
  // The App around this file's store and channels: the worker reports items through app.notices.
  const app = {
    ...wireApp({ redis, prefix, config: loadConfig(), core: core(), log: deps.log, posters: deps.posters }),
    store,
    channels: deps.registry,
  };
  const part = await startNotifications(app);
  try {
    part.deps.now = deps.now!;
    await app.notices.itemDone({ status: 'new-event', itemId: 'i-backlog', eventId: event.id }, true);
    await app.notices.itemDone({ status: 'irrelevant', itemId: 'i-x' });
    await app.notices.itemDone({ status: 'joined-event', itemId: event.itemIds[0]!, eventId: event.id });
    await expect.poll(() => slack.posts().filter((p) => p.body.channel === ch.channelId).length).toBe(1);
    expect(await part.queue.getJobCounts('completed', 'waiting', 'failed')).toMatchObject({
      waiting: 0,
      failed: 0,
    });
    expect(await part.queue.getJob(`alert-${event.id}-i-backlog`)).toBeUndefined();
  } finally {
    await part.close();
    await part.queue.obliterate({ force: true }).catch(() => {});
    await app.close();
  }
});
