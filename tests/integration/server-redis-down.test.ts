/**
 * The command server with Redis down: /healthz says 503 at once instead of hanging, and
 * slash commands answer "temporarily unavailable" instead of leaving the user in silence.
 * The Redis client is the service's (maxRetriesPerRequest: null) pointed at a closed port.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { logger } from '../../src/shared/log.ts';
import { createPrometheusMetrics } from '../../src/metrics/prometheus.ts';
import { wireApp } from '../../src/app/app.ts';
import { startCommandServer, type RunningServer } from '../../src/server/server.ts';
import { core } from '../helpers/fixtures.ts';
import { testPrefix } from '../helpers/redis.ts';
import { slackSignature } from '../helpers/slack.ts';

const SECRET = 'test-signing-secret-down';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUBLIC_HEX = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
const silent = logger.child({}, { level: 'silent' });

let redis: Redis;
let part: Awaited<ReturnType<typeof startCommandServer>>;
let metrics: ReturnType<typeof createPrometheusMetrics>;
let server: RunningServer;

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  redis = new Redis({ port: await closedPort(), host: '127.0.0.1', maxRetriesPerRequest: null });
  redis.on('error', () => {});
  const prefix = testPrefix('down');
  metrics = createPrometheusMetrics({ redis, prefix });
  part = await startCommandServer(
    wireApp({ config: loadConfig(), core: core(), redis, prefix, log: silent }),
    { PORT: '0', SLACK_SIGNING_SECRET: SECRET, DISCORD_PUBLIC_KEY: PUBLIC_HEX },
    { metrics },
  );
  server = part.server!;
});
afterAll(async () => {
  redis.disconnect();
  await part?.close();
});

describe('the command server with Redis down', () => {
  it('answers /healthz with 503 within 1.5 s', async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'store unavailable' });
  });

  it('still serves /metrics, without the figures only Redis could give', async () => {
    const res = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^aiwatch_process_cpu_user_seconds_total /m);
    expect(text).not.toMatch(/^aiwatch_queue_jobs\{/m);
    // NaN, which prom-client writes "Nan" (Prometheus reads it either way).
    expect(text).toMatch(/^aiwatch_redis_roundtrip_seconds nan$/im);
  });

  it('answers a Slack command with one "temporarily unavailable" line', async () => {
    const body = new URLSearchParams({
      team_id: 'T1',
      channel_id: 'C1',
      user_id: 'U1',
      command: '/aiwatch',
      text: 'latest',
      response_url: 'http://127.0.0.1:9/unused',
      trigger_id: '1.2.3',
    }).toString();
    const res = await fetch(`${server.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(SECRET, body) },
      body,
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { text?: string; response_type?: string };
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/^aiwatch is temporarily unavailable[^\n]*$/);
  });

  it('answers a Discord command with one "temporarily unavailable" line', async () => {
    const body = JSON.stringify({
      id: '1',
      type: 2,
      application_id: '1100',
      token: 'interaction-token',
      guild_id: 'G1',
      channel_id: '2200',
      member: { user: { id: '3300' } },
      version: 1,
      data: { name: 'aiwatch', type: 1, options: [{ name: 'latest', type: 1, options: [] }] },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${server.url}/discord/interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
        'x-signature-timestamp': timestamp,
      },
      body,
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as {
      type: number;
      data: { flags?: number; embeds: { title: string }[] };
    };
    expect(reply.type).toBe(4);
    expect(reply.data.flags).toBe(64);
    expect(reply.data.embeds[0]!.title).toMatch(/^aiwatch is temporarily unavailable/);
  });
});
