/**
 * Bounded requests on the real server process (`aiwatch serve`): bodies over 64 KB get 413
 * before they are read whole, on the Slack and the Discord endpoint, declared or streamed, and
 * the server's memory stays flat under 20 concurrent 100 MB uploads.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { env, spawnAiwatch, waitFor } from '../helpers/aiwatch.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const PUBLIC_HEX = generateKeyPairSync('ed25519')
  .publicKey.export({ format: 'der', type: 'spki' })
  .subarray(12)
  .toString('hex');
const MB = 1024 * 1024;

/** Resident memory of a process, from /proc. */
function rssBytes(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) * 1024;
}

/**
 * Sends up to `total` bytes in 64 KB chunks (with Content-Length when `declared`, else chunked),
 * stopping as soon as the answer comes. Resolves with the status and the bytes written by then.
 */
function upload(port: number, path: string, total: number, declared: boolean) {
  return new Promise<{ status: number; written: number }>((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(declared ? { 'content-length': String(total) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, written });
      req.destroy();
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('request size limits', () => {
  const prefix = testPrefix('limits');
  afterAll(async () => {
    const redis = await openTestRedis();
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('refuses 20 concurrent 100 MB uploads with 413 and keeps memory flat', async () => {
    const child = spawnAiwatch(
      ['serve'],
      env(prefix, { PORT: '0', DISCORD_PUBLIC_KEY: PUBLIC_HEX, SLACK_SIGNING_SECRET: 'secret' }),
    );
    try {
      let port = 0;
      await waitFor(
        () => (port = Number(/"port":(\d+)/.exec(child.stderr())?.[1] ?? 0)) > 0,
        15_000,
        'the server to listen',
      );
      const pid = child.process.pid!;
      // Warm up both paths once, so that the baseline includes what any request loads.
      await upload(port, '/slack/events', MB, true);
      await upload(port, '/discord/interactions', MB, false);
      const before = rssBytes(pid);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          upload(port, i % 2 ? '/slack/events' : '/discord/interactions', 100 * MB, i % 4 < 2),
        ),
      );
      const after = rssBytes(pid);
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(413));
      // Each was cut off long before 100 MB had gone.
      for (const r of results) expect(r.written).toBeLessThan(100 * MB);
      // Reading them whole would take gigabytes; what is left is socket buffers and garbage not yet collected.
      expect(after - before).toBeLessThan(100 * MB);
      // And the server still answers.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  });
});
