import { generateKeyPairSync, sign } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { CommandDeps } from '../../src/slash/types.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { devsetDeps, slowed } from '../helpers/commands.ts';
import { recordingServer } from '../helpers/http.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'aiwatch.js');
const log = pino({ level: 'silent' });
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUBLIC_HEX = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
const stranger = generateKeyPairSync('ed25519').privateKey;

interface Embed {
  title: string;
  description?: string;
  footer?: { text: string };
  fields?: { name: string; value: string }[];
}
interface Reply {
  type: number;
  data?: {
    embeds?: Embed[];
    flags?: number;
    allowed_mentions?: { parse: string[] };
    components?: { components: { custom_id: string; label: string }[] }[];
    choices?: { name: string; value: string }[];
  };
}

function headers(body: string, { key = privateKey, ageSeconds = 0 } = {}) {
  const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
  const signature = sign(null, Buffer.from(timestamp + body), key).toString('hex');
  return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
}

const base = {
  application_id: '1100',
  token: 'interaction-token',
  guild_id: 'G1',
  channel_id: '2200',
  member: { user: { id: '3300' } },
  version: 1,
};

function slash(sub: string, options: Record<string, string | number> = {}, over: object = {}) {
  return {
    ...base,
    id: '1',
    type: 2,
    data: {
      name: 'aiwatch',
      type: 1,
      options: [
        {
          name: sub,
          type: 1,
          options: Object.entries(options).map(([name, value]) => ({
            name,
            value,
            type: typeof value === 'number' ? 4 : 3,
          })),
        },
      ],
    },
    ...over,
  };
}

describe('Discord: /aiwatch through the interactions endpoint', () => {
  let redis: Redis;
  let deps: CommandDeps;
  let server: RunningServer;
  let slow: RunningServer;
  let api: Awaited<ReturnType<typeof recordingServer>>;
  const prefix = testPrefix('discord');

  async function post(target: RunningServer, payload: object, sign: Record<string, string> | null = null) {
    const body = JSON.stringify(payload);
    const res = await fetch(`${target.url}/discord/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sign ?? headers(body)) },
      body,
    });
    return { status: res.status, body: (await res.json()) as Reply };
  }
  const ask = async (payload: object) => {
    const res = await post(server, payload);
    expect(res.status).toBe(200);
    return res.body;
  };
  const embed = (reply: Reply) => reply.data!.embeds![0]!;

  beforeAll(async () => {
    redis = await openTestRedis();
    ({ deps } = await devsetDeps(redis, prefix));
    api = await recordingServer((req) => ({
      body: req.method === 'PUT' ? [{ id: '9', name: 'aiwatch' }] : { id: '5' },
    }));
    server = await startServer({ commands: deps, log, port: 0, discord: { publicKey: PUBLIC_HEX } });
    slow = await startServer({
      commands: slowed(deps, 400),
      log,
      port: 0,
      discord: { publicKey: PUBLIC_HEX, apiUrl: `${api.url}/api`, ackBudgetMs: 100 },
    });
  });
  afterAll(async () => {
    await Promise.all([server?.close(), slow?.close(), api?.close()]);
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('answers PING with PONG', async () => {
    expect(await ask({ ...base, id: '1', type: 1 })).toEqual({ type: 1 });
  });

  it('latest n=2 answers at once, visible to the asker only, pinging nobody', async () => {
    const reply = await ask(slash('latest', { n: 2 }));
    expect(reply.type).toBe(4);
    expect(reply.data).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    expect(embed(reply).title).toBe('The latest 2 events');
    expect(embed(reply).description!.match(/\]\(https:\/\//g)).toHaveLength(2);
  });

  it('search text=生成AI and company name=ソフトバンク work from Japanese input', async () => {
    expect(embed(await ask(slash('search', { text: '生成AI' }))).description).toMatch(
      /KDDI to take control of AI startup ELYZA/,
    );
    const softbank = embed(await ask(slash('company', { name: 'ソフトバンク' })));
    expect(softbank.title).toBe('SoftBank');
    expect(softbank.description).toMatch(/SoftBank unit releases 460bn\\?-parameter Japanese AI model/);
  });

  it('event id=… lists its articles, outlets and languages within the embed limits', async () => {
    const detail = embed(await ask(slash('event', { id: 'e-238e69f0dd07' })));
    expect(detail.description).toMatch(/Why it is relevant/);
    expect(detail.fields?.find((f) => f.name === 'Languages')?.value).toMatch(/English/);
    expect(detail.fields?.find((f) => f.name.startsWith('Outlets'))?.value).toMatch(/Nikkei Asia/);
    const size = detail.title.length + (detail.description?.length ?? 0) + (detail.footer?.text.length ?? 0);
    expect(size).toBeLessThanOrEqual(6000);
  });

  it('subscribe company=三菱重工 is public and stored with the guild; twice is harmless; unsubscribe twice says so', async () => {
    const first = await ask(slash('subscribe', { company: '三菱重工' }));
    expect(first.data?.flags).toBeUndefined();
    expect(embed(first).title).toBe('Following Mitsubishi Heavy Industries');
    expect(await deps.channels.get('discord:2200')).toMatchObject({
      workspace: 'G1',
      subscriptions: ['mhi'],
    });
    expect(embed(await ask(slash('subscribe', { company: 'MHI' }))).title).toBe(
      'Already following Mitsubishi Heavy Industries',
    );
    expect(embed(await ask(slash('subscriptions'))).description).toMatch(/Mitsubishi Heavy Industries/);
    expect(embed(await ask(slash('unsubscribe', { company: 'mhi' }))).title).toBe(
      'Stopped following Mitsubishi Heavy Industries',
    );
    expect(embed(await ask(slash('unsubscribe', { company: 'mhi' }))).description).toMatch(/does not follow/);
    const intruder = await ask(slash('subscriptions', {}, { guild_id: 'G2' }));
    expect(embed(intruder).title).toBe('Not available here');
  });

  it('unknown subcommands, unknown companies and empty results each say so; help lists the verbs', async () => {
    expect(embed(await ask(slash('frobnicate'))).description).toMatch(/There is no command “frobnicate”/);
    expect(embed(await ask(slash('company', { name: 'Sofbank' }))).description).toMatch(
      /Closest known names: SoftBank/,
    );
    expect(embed(await ask(slash('search', { text: 'quantum teleportation' }))).description).toMatch(
      /Nothing matches/,
    );
    expect(embed(await ask(slash('help'))).description).toMatch(/\/aiwatch unsubscribe <company>/);
  });

  it('user text cannot format or mention: escaped, and allowed_mentions is empty', async () => {
    const reply = await ask(slash('search', { text: '@everyone **bold** [x](https://evil.example)' }));
    const { title, description } = embed(reply);
    expect(title).toContain('\\@everyone \\*\\*bold\\*\\* \\[x\\]');
    expect(description).not.toMatch(/(^|[^\\])\[x\]/);
    expect(reply.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it('a bad, missing or stale signature gets 401 and changes nothing', async () => {
    const forged = slash('subscribe', { company: 'NEC' }, { channel_id: '4400' });
    const body = JSON.stringify(forged);
    expect((await post(server, forged, headers(body, { key: stranger }))).status).toBe(401);
    expect((await post(server, forged, {})).status).toBe(401);
    expect((await post(server, forged, headers(body, { ageSeconds: 6 * 60 }))).status).toBe(401);
    const other = JSON.stringify(slash('subscribe', { company: 'Sony' }, { channel_id: '4400' }));
    expect((await post(server, forged, headers(other))).status).toBe(401);
    expect(await deps.channels.get('discord:4400')).toBeNull();
  });

  it('a slow answer is deferred, then written into the original response through the REST client', async () => {
    const before = api.requests.length;
    const res = await post(slow, slash('company', { name: 'SoftBank' }));
    expect(res.body).toEqual({ type: 5, data: { flags: 64 } });
    const [edit] = (await api.received(before + 1)).slice(before);
    expect(edit!.method).toBe('PATCH');
    expect(edit!.url).toBe('/api/v10/webhooks/1100/interaction-token/messages/@original');
    expect((edit!.json() as { embeds: Embed[] }).embeds[0]!.title).toBe('SoftBank');
  });

  it('the Next button updates the message with the next page', async () => {
    const first = await ask(slash('latest', { n: 12 }));
    const next = first.data!.components![0]!.components.find((b) => b.label.startsWith('Next'))!;
    const reply = await ask({
      ...base,
      id: '2',
      type: 3,
      data: { custom_id: next.custom_id, component_type: 2 },
    });
    expect(reply.type).toBe(7);
    expect(embed(reply).footer?.text).toBe('11–12 of 12 · page 2 of 2');
  });

  it('autocompletes company names from any alias', async () => {
    const reply = await ask({
      ...base,
      id: '3',
      type: 4,
      data: {
        name: 'aiwatch',
        options: [
          {
            name: 'subscribe',
            type: 1,
            options: [{ name: 'company', type: 3, value: 'ソフト', focused: true }],
          },
        ],
      },
    });
    expect(reply.type).toBe(8);
    expect(reply.data?.choices?.[0]).toEqual({ name: 'SoftBank', value: 'softbank' });
  });

  it('npx aiwatch register-commands PUTs /aiwatch with one subcommand per verb', async () => {
    const before = api.requests.length;
    const { stdout } = await run('node', [BIN, 'register-commands', '--guild', '77'], {
      env: {
        ...process.env,
        DISCORD_APPLICATION_ID: '1100',
        DISCORD_BOT_TOKEN: 'bot-token',
        DISCORD_API_URL: `${api.url}/api`,
      },
    });
    expect(stdout).toMatch(/registered \/aiwatch in guild 77/);
    const put = api.requests.slice(before).find((r) => r.method === 'PUT')!;
    expect(put.url).toBe('/api/v10/applications/1100/guilds/77/commands');
    expect(put.headers.authorization).toBe('Bot bot-token');
    const [command] = put.json() as {
      name: string;
      options: { name: string; options?: { name: string }[] }[];
    }[];
    expect(
      command!.options.map((o) => `${o.name}:${(o.options ?? []).map((p) => p.name).join(',')}`),
    ).toEqual([
      'latest:n',
      'search:text',
      'company:name',
      'event:id',
      'subscribe:company',
      'unsubscribe:company',
      'subscriptions:',
      'digest:',
      'help:',
    ]);
  });
});
