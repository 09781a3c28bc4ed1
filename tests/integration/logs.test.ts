/** What an operator reads: each feed failure once, a line per poll round, a start summary, pretty or JSON. */
import { createServer, type AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiwatch, configDir, env, jsonLines, spawnAiwatch, waitFor } from '../helpers/aiwatch.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

let redis: Redis;
const prefixes: string[] = [];
const newPrefix = (name: string) => {
  const prefix = testPrefix(name);
  prefixes.push(prefix);
  return prefix;
};
const noChat = {
  SLACK_SIGNING_SECRET: '',
  DISCORD_PUBLIC_KEY: '',
  SLACK_BOT_TOKEN: '',
  DISCORD_BOT_TOKEN: '',
};

/** A local port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  redis = await openTestRedis();
});
afterAll(async () => {
  for (const prefix of prefixes) await cleanup(redis, prefix);
  redis.disconnect();
});

describe('logs', () => {
  it('poll --once logs each feed failure once and sums them up by kind', async () => {
    const port = await closedPort();
    const urls = ['a', 'b', 'c'].map((name) => `http://127.0.0.1:${port}/${name}.xml`);
    const { code, stdout, stderr } = await aiwatch(
      ['poll', '--once', ...urls.flatMap((url) => ['--feed', url])],
      env(newPrefix('logs-once'), { LOG_FORMAT: '' }),
    );
    expect(code).toBe(0);
    // stderr is a pipe here: JSON lines, one failure each.
    const failures = jsonLines(stderr).filter((line) => /^feed failed/.test(String(line.msg)));
    expect(failures.map((line) => line.url).sort()).toEqual(urls);
    expect(stdout).toContain('failing: 3 of 3 feeds: connection refused');
    for (const url of urls) expect(stdout).not.toContain(url);
  });

  it('are readable single lines with LOG_FORMAT=pretty', async () => {
    const port = await closedPort();
    const { stderr } = await aiwatch(
      ['poll', '--once', '--feed', `http://127.0.0.1:${port}/p.xml`],
      env(newPrefix('logs-pretty'), { LOG_FORMAT: 'pretty' }),
    );
    const lines = stderr.trim().split('\n');
    expect(lines.some((line) => line.startsWith('{'))).toBe(false);
    expect(stderr).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: feed failed: network: ECONNREFUSED/m);
  });

  it('start says what it runs, then one line per poll round with the next poll time', async () => {
    const port = await closedPort();
    const dir = configDir([
      { name: 'One', url: `http://127.0.0.1:${port}/one.xml`, lang: 'en' },
      { name: 'Two', url: `http://127.0.0.1:${port}/two.xml`, lang: 'ja' },
    ]);
    const child = spawnAiwatch(
      ['start', '--config', dir],
      env(newPrefix('logs-start'), { PORT: '0', ...noChat }),
    );
    try {
      await waitFor(
        () => jsonLines(child.stderr()).some((line) => /^2 of 2 feeds failing/.test(String(line.msg))),
        30_000,
        'the poll round line',
      );
      const lines = jsonLines(child.stderr());
      const running = lines.find((line) => /^running: /.test(String(line.msg)));
      expect(running?.msg).toBe(
        'running: 2 feeds (every 10 min); 0 channels (0 Slack, 0 Discord); ' +
          'Slack via console (no SLACK_BOT_TOKEN), Discord via console (no DISCORD_BOT_TOKEN)',
      );
      const round = lines.find((line) => /feeds failing/.test(String(line.msg)));
      expect(round?.msg).toMatch(
        /^2 of 2 feeds failing: connection refused; next poll in (9|10) min \(\d\d:\d\d UTC\)$/,
      );
      expect(round).toMatchObject({ level: 40, failed: 2, kinds: { 'connection refused': 2 } });
    } finally {
      child.process.kill('SIGTERM');
    }
    expect(await child.exited).toBe(0);
  });
});
