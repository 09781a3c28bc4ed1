import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aiwatch, env } from '../helpers/aiwatch.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const prefix = testPrefix('demo');
let redis: Redis;

beforeAll(async () => {
  redis = await openTestRedis();
});
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
});

it('npm run demo: the seeds make the two expected events, printed as the digest and posted nowhere', async () => {
  // A Slack token in the environment must not make the demo post: nothing answers at this URL.
  const { code, stdout } = await aiwatch(
    ['demo'],
    env(prefix, { SLACK_BOT_TOKEN: 'xoxb-demo', SLACK_API_URL: 'http://127.0.0.1:9/api/' }),
  );
  expect(code).toBe(0);
  expect(stdout).toMatch(/^items: 5 new, 0 duplicate, 5 relevant$/m);
  expect(stdout).toMatch(/^Result: 2 events from 5 relevant articles \(4 \+ 1\)/m);
  expect(stdout).toMatch(/^Japan AI watch for slack:DEMO: 2 new/m);
  expect(stdout).toMatch(/^1\. \[NEW\] .*\n.*\n {3}4 outlets \(English\)/m);
  // The demo removes its keys.
  expect(await redis.keys(`${prefix}demo:*`)).toEqual([]);
});
