import { describe, expect, it } from 'vitest';
import type { PollResult } from '../../src/feeds/poll.ts';
import { failureKind, roundText } from '../../src/feeds/poll-report.ts';
import { whenText } from '../../src/worker/poll-rounds.ts';

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
