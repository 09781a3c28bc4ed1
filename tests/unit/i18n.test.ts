/** The message catalogue, times in the channel's language, and model text made safe to post. */
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../src/core/i18n/time.ts';
import { messages } from '../../src/core/i18n/messages.ts';
import { sanitiseGenerated, sanitiseModelText } from '../../src/core/untrusted.ts';
import { LlmError, parseCompletion } from '../../src/llm/client.ts';
import { pino } from 'pino';
import { UserError } from '../../src/shared/errors.ts';
import { summariserFromEnv } from '../../src/llm/env.ts';
import { userPrompt } from '../../src/llm/prompt.ts';
import { feedDownText } from '../../src/notify/operations.ts';

describe('times', () => {
  const at = '2026-12-06T00:00:00.000Z';
  it('reads JST in both languages, never GMT+9', () => {
    expect(formatTime(at, 'Asia/Tokyo', 'en')).toBe('2026-12-06 09:00 JST');
    expect(formatTime(at, 'Asia/Tokyo', 'ja', '2026-12-07T00:00:00Z')).toBe('12月6日 09:00 JST');
    expect(formatTime(at, 'Asia/Tokyo', 'ja', '2027-01-07T00:00:00Z')).toBe('2026年12月6日 09:00 JST');
    expect(formatTime(at, 'UTC', 'en')).toBe('2026-12-06 00:00 UTC');
    expect(formatTime(at, 'Not/AZone', 'en')).toBe('2026-12-06 00:00 UTC');
  });
});

describe('the catalogue', () => {
  it('counts articles in both languages, the channel’s first', () => {
    const counts = [
      { lang: 'ja', count: 3 },
      { lang: 'en', count: 2 },
    ] as const;
    expect(messages('ja').digest.articles(counts)).toBe('日本語記事 3件 · English 2');
    expect(messages('en').digest.articles([counts[1], counts[0]])).toBe('2 English articles · 日本語 3件');
  });
});

describe('the operations report', () => {
  const report = {
    name: 'Nikkei',
    url: 'https://n.example/rss',
    failingSince: '2026-12-05T00:00:00.000Z',
    lastError: 'HTTP 503',
  };
  it('in an operations channel’s language', () => {
    expect(feedDownText(report)).toBe(
      'Feed Nikkei (https://n.example/rss) has been failing since 2026-12-05T00:00:00.000Z: HTTP 503',
    );
    expect(feedDownText(report, 'ja')).toBe(
      'フィード Nikkei（https://n.example/rss）が2026年12月5日 09:00 JSTから取得に失敗しています：HTTP 503',
    );
  });
});

describe('model output is untrusted', () => {
  it('cannot ping, link a script, carry markup or control characters', () => {
    const text = sanitiseModelText(
      '@everyone <!channel> <@U123> <#C1> [click](javascript:alert(1)) **bold** `x` \u202eevil <https://a.example|site> data:text/html,x',
      400,
    );
    expect(text).not.toMatch(/@everyone|<!channel>|<@U123>|<#C1>|javascript:|data:|\*\*|`|\u202e/);
    expect(text).toContain('click');
    expect(text).toContain('site');
  });

  it('is cut to the platform limits and needs a headline', () => {
    expect([...sanitiseModelText('あ'.repeat(500), 200)]).toHaveLength(200);
    expect(sanitiseGenerated({ headline: '  ', summary: 'x' })).toBeNull();
  });
});

describe('chat-completions answers', () => {
  const completion = (content: unknown, extra: object = {}) =>
    JSON.stringify({
      choices: [{ message: { content, ...extra } }],
      usage: { prompt_tokens: 7, completion_tokens: 3 },
    });

  it('reads the structured answer and the tokens', () => {
    const parsed = parseCompletion(completion(JSON.stringify({ headline: 'H', summary: 'S.' })));
    expect(parsed).toEqual({ text: { headline: 'H', summary: 'S.' }, tokens: { prompt: 7, completion: 3 } });
  });

  it('turns nonsense into a typed failure, never an exception of another kind', () => {
    for (const raw of ['{"choices": [', completion('not json'), completion('{"headline": 1}'), '{}'])
      expect(() => parseCompletion(raw)).toThrow(LlmError);
    expect(() => parseCompletion(completion(null, { refusal: 'no' }))).toThrow(/refused/);
  });

  it('sends titles and summaries only, the summaries cut', () => {
    const prompt = userPrompt([{ title: 'T', summary: 'x'.repeat(2000) }]);
    expect(prompt).toContain('"title": "T"');
    expect(prompt.length).toBeLessThan(800);
  });
});

describe('the model from the environment', () => {
  const wiring = {
    redis: {} as never,
    prefix: 'x:',
    log: pino({ level: 'silent' }),
    settings: { maxCallsPerHour: 1, timeoutMs: 1000, concurrency: 1 },
  };
  it('is off without AIWATCH_LLM_URL and AIWATCH_LLM_MODEL, on with both', () => {
    expect(summariserFromEnv({}, wiring)).toBeUndefined();
    const on = summariserFromEnv(
      { AIWATCH_LLM_URL: 'http://127.0.0.1:11434/v1', AIWATCH_LLM_MODEL: 'm' },
      wiring,
    );
    expect(on?.model).toBe('m');
  });
  it('says in one line what is wrong with half a configuration or a bad URL', () => {
    expect(() => summariserFromEnv({ AIWATCH_LLM_MODEL: 'm' }, wiring)).toThrow(UserError);
    for (const url of ['ftp://x.example', 'not a url', 'http://['])
      expect(() => summariserFromEnv({ AIWATCH_LLM_URL: url, AIWATCH_LLM_MODEL: 'm' }, wiring)).toThrow(
        /AIWATCH_LLM_URL: expected an http\(s\) base URL/,
      );
  });
});
