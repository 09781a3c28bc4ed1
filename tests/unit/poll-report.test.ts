import { describe, expect, it } from 'vitest';
import type { PollResult } from '../../src/feeds/poll.ts';
import { failureKind, roundText } from '../../src/feeds/poll-report.ts';
import { createRoundReporter, whenText } from '../../src/worker/poll-rounds.ts';
import type { Logger } from '../../src/shared/log.ts';

const failed = (error: string): PollResult => ({
  feed: 'https://f.example/rss',
  status: 'failed',
  code: '',
  error,
});
const dns = failed('network: ENOTFOUND: getaddrinfo ENOTFOUND f.example (https://f.example/rss)');

describe('the poll round line', () => {
  it('groups failures by kind', () => {
    expect(failureKind(dns.status === 'failed' ? dns.error : '')).toBe('DNS');
    expect(failureKind('network: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (http://x)')).toBe(
      'connection refused',
    );
    expect(failureKind('http: HTTP 404 (https://x)')).toBe('HTTP 404');
    expect(failureKind('timeout: no complete answer within 15000 ms (https://x)')).toBe('timeout');
    expect(failureKind('not-a-feed: an HTML page (https://x)')).toBe('not-a-feed');
  });

  it('says "17 of 17 feeds failing: DNS" when the network is gone', () => {
    expect(roundText(Array.from({ length: 17 }, () => dns))).toBe('17 of 17 feeds failing: DNS');
  });

  it('counts each kind when they differ, and says when none fail', () => {
    const ok: PollResult = {
      feed: 'a',
      status: 'ok',
      entries: 3,
      known: 0,
      queued: 3,
      dropped: 0,
      jobIds: [],
    };
    expect(roundText([dns, dns, failed('http: HTTP 503 (https://x)'), ok])).toBe(
      '3 of 4 feeds failing: DNS 2, HTTP 503 1',
    );
    expect(roundText([ok, { feed: 'b', status: 'not-modified' }])).toBe(
      '2 feeds polled, none failing (1 read, 1 not modified)',
    );
  });

  it('says when the next poll is', () => {
    const now = Date.parse('2026-12-06T06:50:00Z');
    expect(whenText(now + 10 * 60_000, now)).toBe('next poll in 10 min (07:00 UTC)');
  });
});

describe('the round reporter', () => {
  it('logs the polls of a round as one line, and the round in progress when it is closed', async () => {
    const lines: string[] = [];
    const log = {
      warn: (_: unknown, text: string) => lines.push(text),
      info: (_: unknown, text: string) => lines.push(text),
    };
    const rounds = createRoundReporter({
      log: log as unknown as Logger,
      nextPollAt: async () => undefined,
      quietMs: 60_000,
    });
    rounds.record(dns);
    rounds.record(dns);
    expect(lines).toEqual([]);
    await rounds.close();
    expect(lines).toEqual(['2 of 2 feeds failing: DNS']);
    await rounds.close();
    expect(lines).toHaveLength(1);
  });
});
