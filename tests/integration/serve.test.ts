import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { env, spawnAiwatch, waitFor } from '../helpers/aiwatch.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const PUBLIC_HEX = generateKeyPairSync('ed25519')
  .publicKey.export({ format: 'der', type: 'spki' })
  .subarray(12)
  .toString('hex');

describe('npx aiwatch serve', () => {
  const prefix = testPrefix('serve');
  afterAll(async () => {
    const redis = await openTestRedis();
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('serves /healthz and a verifying Discord endpoint on PORT, and stops on SIGTERM', async () => {
    const child = spawnAiwatch(
      ['serve'],
      env(prefix, { PORT: '0', DISCORD_PUBLIC_KEY: PUBLIC_HEX, SLACK_SIGNING_SECRET: '' }),
    );
    let port = 0;
    await waitFor(
      () => {
        port = Number(/"port":(\d+)/.exec(child.stderr())?.[1] ?? 0);
        return port > 0;
      },
      10_000,
      `the server to listen (stderr: ${child.stderr()})`,
    );
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', slack: 'off', discord: 'on' });
    const unsigned = await fetch(`http://127.0.0.1:${port}/discord/interactions`, {
      method: 'POST',
      body: '{"type":1}',
    });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST' })).status).toBe(404);
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });

  it('starts whatever DISCORD_WEBHOOK_* holds: it builds no chat client to preview digests', async () => {
    const child = spawnAiwatch(
      ['serve'],
      env(prefix, { PORT: '0', DISCORD_PUBLIC_KEY: PUBLIC_HEX, DISCORD_WEBHOOK_4242: 'not a webhook URL' }),
    );
    try {
      let port = 0;
      await waitFor(
        async () => {
          const code = await Promise.race([child.exited, Promise.resolve('running')]);
          if (code !== 'running') throw new Error(`serve exited: ${child.stderr()}`);
          port = Number(/"port":(\d+)/.exec(child.stderr())?.[1] ?? 0);
          return port > 0;
        },
        10_000,
        'the server to listen',
      );
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      child.process.kill('SIGTERM');
    }
    expect(await child.exited).toBe(0);
  });

  it('refuses a malformed DISCORD_PUBLIC_KEY in one line', async () => {
    const child = spawnAiwatch(['serve'], env(prefix, { PORT: '0', DISCORD_PUBLIC_KEY: 'not-hex' }));
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/^aiwatch: DISCORD_PUBLIC_KEY must be the 64 hex characters/m);
  });
});
