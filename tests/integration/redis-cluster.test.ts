/**
 * The service on a local three-master Redis Cluster (REDIS_CLUSTER_NODES, with REDIS_URL
 * pointing nowhere) gives what it gives on one Redis: the same poll, events, replay, digest
 * and slash-command answers, every command run as a user runs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { toRss2 } from '../../src/feeds/local.ts';
import { scanKeys } from '../../src/redis/client.ts';
import { storeKeys } from '../../src/store/keys.ts';
import {
  aiwatch,
  configDir,
  env,
  jsonLines,
  spawnAiwatch,
  syntheticItems,
  waitFor,
  type Child,
} from '../helpers/aiwatch.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { devset, FIXTURES, seeds } from '../helpers/fixtures.ts';
import { recordingServer } from '../helpers/http.ts';
import { startRedisCluster, type RedisCluster } from '../helpers/redis-cluster.ts';
import { cleanup, openTestRedis, REDIS_URL, testPrefix } from '../helpers/redis.ts';
import { nextTriggerId, slackCommandForm, slackSignature } from '../helpers/slack.ts';

const SECRET = 'cluster-signing-secret-0123456789abcdef';
const single = testPrefix('cluster-single');
const onCluster = testPrefix('cluster');
let cluster: RedisCluster;
let redis: Redis;
let feeds: FeedServer;
let dir: string;
let responses: Awaited<ReturnType<typeof recordingServer>>;

type Where = 'single' | 'cluster';
const WHERE: Where[] = ['single', 'cluster'];

function envOf(where: Where, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment =
    where === 'single'
      ? env(single, extra)
      : // Nothing may use REDIS_URL on a cluster: it points at a port where no Redis listens.
        env(onCluster, { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: 'redis://127.0.0.1:1', ...extra });
  for (const name of [
    'SLACK_BOT_TOKEN',
    'DISCORD_BOT_TOKEN',
    'SLACK_API_URL',
    'DISCORD_API_URL',
    'PUBLIC_URL',
  ])
    if (!(name in extra)) delete environment[name];
  return environment;
}

/** Runs the same command on one Redis and on the cluster, at once; both must succeed. */
async function both(args: string[]): Promise<Record<Where, string>> {
  const [a, b] = await Promise.all(WHERE.map((where) => aiwatch(args, envOf(where))));
  for (const [where, result] of [
    ['single', a!],
    ['cluster', b!],
  ] as const)
    expect(result.code, `${where}: aiwatch ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return { single: a!.stdout, cluster: b!.stdout };
}

beforeAll(async () => {
  [cluster, redis, feeds, responses] = await Promise.all([
    startRedisCluster(),
    openTestRedis(),
    startFeedServer(),
    recordingServer(),
  ]);
  // The seeds and the devset as if the newest had been published an hour ago, one feed per source.
  const items = [...seeds(), ...devset()];
  const newest = Math.max(...items.map((item) => Date.parse(item.published)));
  const shift = Date.now() - 3600_000 - newest;
  const bySource = new Map<string, typeof items>();
  for (const item of items) {
    const recent = { ...item, published: new Date(Date.parse(item.published) + shift).toISOString() };
    bySource.set(item.source, [...(bySource.get(item.source) ?? []), recent]);
  }
  const feedList = [...bySource].map(([source, sourceItems], i) => {
    feeds.route(`/feed${i}.xml`, (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(toRss2(source, sourceItems)),
    );
    return { name: source, url: feeds.url(`/feed${i}.xml`), lang: sourceItems[0]?.lang ?? 'en' };
  });
  dir = configDir(feedList);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([feeds?.close(), responses?.close(), cluster?.stop()]);
  if (redis) {
    await cleanup(redis, single);
    redis.disconnect();
  }
});

describe('on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  it('poll --once stores the same events as on one Redis, its keys spread over the masters', async () => {
    const polled = await both(['poll', '--once', '--config', dir, '--json']);
    const summary = (stdout: string) => {
      const { feeds: feedCounts, items } = JSON.parse(stdout) as { feeds: unknown; items: unknown };
      return { feeds: feedCounts, items };
    };
    expect(summary(polled.cluster)).toEqual(summary(polled.single));
    expect(JSON.stringify(summary(polled.single))).toMatch(/"new":157/);

    // The same events, articles and merges; only when each was written differs.
    const events = await both(['events', '--json']);
    const stored = (stdout: string) => jsonLines(stdout).map(({ updatedAt: _, ...event }) => event);
    expect(stored(events.single).length).toBeGreaterThan(15);
    expect(stored(events.cluster)).toEqual(stored(events.single));

    // The store, the search index, the queues and the channels each hash to a slot of their own.
    const holding = await Promise.all(
      cluster.ports.map(async (port) => {
        const node = new Redis({ port, host: '127.0.0.1' });
        const [, keys] = await node.scan('0', 'MATCH', `${onCluster}*`, 'COUNT', 100_000);
        node.disconnect();
        return keys.length;
      }),
    );
    expect(holding.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('replay --store redis gives the memory replay, line for line', async () => {
    const file = `${FIXTURES}/devset.jsonl`;
    const [memory, viaRedis] = await Promise.all([
      aiwatch(['replay', file], envOf('single')),
      both(['replay', file, '--store', 'redis']),
    ]);
    expect(jsonLines(viaRedis.single)).toEqual(jsonLines(memory.stdout));
    expect(jsonLines(viaRedis.cluster)).toEqual(jsonLines(memory.stdout));
  });

  it('digest --dry-run prints the same digest, and a digest delivered once says nothing new next time', async () => {
    const preview = await both(['digest', '--channel', 'slack:CDRY', '--dry-run']);
    expect(preview.single).toMatch(/^Japan AI watch for slack:CDRY: \d+ new/);
    expect(preview.cluster).toBe(preview.single);

    // Without a token the digest goes to the console, through the same exactly-once delivery.
    const posted = await both(['digest', '--channel', 'discord:4242']);
    expect(posted.single).toMatch(/^Japan AI watch for discord:4242: \d+ new/);
    expect(posted.cluster).toBe(posted.single);
    const [single, onCluster] = await Promise.all(
      WHERE.map((where) => aiwatch(['digest', '--channel', 'discord:4242'], envOf(where))),
    );
    expect(single!.stderr).toContain('nothing new for discord:4242');
    expect(onCluster!.stderr).toContain('nothing new for discord:4242');
  });

  it('serve answers slash commands alike, subscriptions included', async () => {
    const servers = await Promise.all(WHERE.map((where) => startServe(where)));
    try {
      const latest = await slash(servers[0]!.port, 'latest 3');
      const firstEvent = JSON.stringify(latest).match(/e-[0-9a-f]{12}/)?.[0];
      expect(firstEvent).toBeDefined();
      const script: [string, Record<string, string>?][] = [
        ['latest 3'],
        ['search 生成AI'],
        ['company 三菱重工'],
        [`event ${firstEvent}`],
        ['subscribe ソフトバンク', { channel_id: 'C0SUBS' }],
        ['subscriptions', { channel_id: 'C0SUBS' }],
        ['unsubscribe ソフトバンク', { channel_id: 'C0SUBS' }],
      ];
      for (const [text, over] of script) {
        const [a, b] = await Promise.all(servers.map(({ port }) => slash(port, text, over)));
        expect(b, text).toEqual(a);
      }
    } finally {
      for (const server of servers) server.child.process.kill('SIGTERM');
      expect(await Promise.all(servers.map(({ child }) => child.exited))).toEqual([0, 0]);
    }
  });

  it('start runs the whole service on it: scheduled polls, items stored, /healthz ok, a clean stop', async () => {
    const prefix = testPrefix('cluster-start');
    feeds.route('/start.xml', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(toRss2('Start', syntheticItems(10, 'Start', 'start.example'))),
    );
    const startDir = configDir([{ name: 'Start', url: feeds.url('/start.xml'), lang: 'en' }]);
    const child = spawnAiwatch(['start', '--config', startDir], {
      ...envOf('cluster', { PORT: '0', SLACK_SIGNING_SECRET: SECRET }),
      AIWATCH_PREFIX: prefix,
    });
    const client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
    const items = async () => {
      let count = 0;
      for await (const { keys } of scanKeys(client, storeKeys(prefix).itemPattern)) count += keys.length;
      return count;
    };
    try {
      let port = 0;
      await waitFor(
        () => {
          if (child.process.exitCode !== null) throw new Error(`start exited: ${child.stderr()}`);
          port = Number(/"port":(\d+)/.exec(child.stderr())?.[1] ?? 0);
          return port > 0;
        },
        20_000,
        'start to listen',
      );
      await waitFor(async () => (await items()) === 10, 30_000, 'the feed polled and its items stored');
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toMatchObject({ status: 'ok' });
    } finally {
      child.process.kill('SIGTERM');
      client.disconnect();
    }
    expect(await child.exited, child.stderr()).toBe(0);
    expect(child.stderr()).not.toMatch(/CROSSSLOT|non local key|No way to dispatch/);
  });

  it('a bad REDIS_CLUSTER_NODES or a cluster that does not answer is one line naming it', async () => {
    const bad = await aiwatch(['events'], envOf('cluster', { REDIS_CLUSTER_NODES: '127.0.0.1' }));
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^aiwatch: REDIS_CLUSTER_NODES: "127\.0\.0\.1" is not host:port/);
    const down = await aiwatch(['events'], envOf('cluster', { REDIS_CLUSTER_NODES: '127.0.0.1:1' }));
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toMatch(
      /^aiwatch: no Redis Cluster answers at 127\.0\.0\.1:1 \(REDIS_CLUSTER_NODES\)/,
    );
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    // The one Redis of REDIS_URL named as a cluster node by mistake.
    const single = new URL(REDIS_URL);
    const plain = await aiwatch(
      ['events'],
      envOf('cluster', { REDIS_CLUSTER_NODES: `${single.hostname}:${single.port || 6379}` }),
    );
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim()).toMatch(/is it a Redis Cluster\? A single Redis goes in REDIS_URL/);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
  });
});

async function startServe(where: Where): Promise<{ child: Child; port: number }> {
  const child = spawnAiwatch(['serve'], envOf(where, { PORT: '0', SLACK_SIGNING_SECRET: SECRET }));
  let port = 0;
  await waitFor(
    () => {
      if (child.process.exitCode !== null) throw new Error(`serve (${where}) exited: ${child.stderr()}`);
      port = Number(/"port":(\d+)/.exec(child.stderr())?.[1] ?? 0);
      return port > 0;
    },
    20_000,
    `serve (${where}) to listen`,
  );
  return { child, port };
}

/** A signed /aiwatch command; the answer from the acknowledgement or, when it came later, the response_url. */
async function slash(port: number, text: string, over: Record<string, string> = {}): Promise<unknown> {
  const trigger = nextTriggerId();
  const body = slackCommandForm(text, `${responses.url}/commands/${trigger}`, {
    trigger_id: trigger,
    ...over,
  });
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SECRET, body) },
    body,
  });
  expect(res.status).toBe(200);
  const raw = await res.text();
  if (raw) return JSON.parse(raw);
  const path = `/commands/${trigger}`;
  await waitFor(() => responses.requests.some((r) => r.url === path), 10_000, `the answer to ${text}`);
  const { replace_original: _, ...answer } = responses.requests.find((r) => r.url === path)!.json() as Record<
    string,
    unknown
  >;
  return answer;
}
