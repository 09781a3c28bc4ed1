/** `aiwatch explain`: how one headline is judged, check by check, as a real command. */
import { describe, expect, it } from 'vitest';
import { aiwatch, env } from '../helpers/aiwatch.ts';
import { testPrefix } from '../helpers/redis.ts';

describe('aiwatch explain', () => {
  const environment = env(testPrefix('explain'));

  it('prints every check with its figures, the failing one marked, and the reasons', async () => {
    const { code, stdout } = await aiwatch(
      [
        'explain',
        'Digital Agency to let civil servants use OpenAI models',
        '--summary',
        "The agency will adopt OpenAI's models for staff.",
      ],
      environment,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^NOT RELEVANT: Digital Agency/);
    expect(stdout).toMatch(/^ {2}FAIL {2}not foreign AI used, resold or hosted$/m);
    expect(stdout).toMatch(/^ {2}pass {2}score \(\d+(\.\d+)? ≥ 3\.5\)$/m);
    expect(stdout).toMatch(/reasons: .*foreign AI used, not built: .*\(OpenAI\)/);
  });

  it('--json gives the decision with its checks; a bad --lang is a usage error', async () => {
    const json = await aiwatch(
      ['explain', 'ソフトバンク、国産LLMを公開', '--lang', 'ja', '--json'],
      environment,
    );
    const verdict = JSON.parse(json.stdout) as { relevant: boolean; checks: { passed: boolean }[] };
    expect(verdict.relevant).toBe(true);
    expect(verdict.checks.every((check) => check.passed)).toBe(true);
    expect((await aiwatch(['explain', 'x', '--lang', 'fr'], environment)).code).toBe(2);
  });
});
