/**
 * One line about a round of polls, for an operator: how many feeds fail and why, grouped
 * by kind ("17 of 17 feeds failing: DNS"), instead of one line per feed to add up. Pure.
 */
import type { PollResult } from './poll.ts';

/**
 * The kind of a feed failure from its message (`<code>: <reason> (<url>)`, see FeedError):
 * the code, made finer where the reason tells more (DNS, refused, TLS, the HTTP status).
 */
export function failureKind(message: string): string {
  const code = /^([a-z-]+):/.exec(message)?.[1] ?? 'error';
  if (code === 'network') {
    if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(message)) return 'DNS';
    if (/ECONNREFUSED/.test(message)) return 'connection refused';
    if (/ECONNRESET|socket hang up|other side closed/i.test(message)) return 'connection reset';
    if (/certificate|CERT_|SSL|TLS/i.test(message)) return 'TLS';
    return 'network';
  }
  if (code === 'http') return /HTTP (\d{3})/.exec(message)?.[0] ?? 'HTTP';
  return code;
}

/** Failures by kind, each message classified once. */
function countKinds(messages: string[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const message of messages) {
    const kind = failureKind(message);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

/** "DNS" when every failure is of one kind, else "DNS 3, timeout 2" (most frequent first). */
function formatKinds(kinds: Record<string, number>): string {
  const sorted = Object.entries(kinds).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return sorted.length === 1 ? sorted[0]![0] : sorted.map(([kind, n]) => `${kind} ${n}`).join(', ');
}

export const kindsText = (messages: string[]): string => formatKinds(countKinds(messages));

export interface RoundCounts {
  feeds: number;
  ok: number;
  notModified: number;
  skipped: number;
  failed: number;
  /** Failures by kind, e.g. { DNS: 17 }. */
  kinds: Record<string, number>;
}

export function roundCounts(results: PollResult[]): RoundCounts {
  const failures = results.flatMap((r) => (r.status === 'failed' ? [r.error] : []));
  const kinds = countKinds(failures);
  return {
    feeds: results.length,
    ok: results.filter((r) => r.status === 'ok').length,
    notModified: results.filter((r) => r.status === 'not-modified').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    failed: failures.length,
    kinds,
  };
}

/** "17 of 17 feeds failing: DNS" or "12 feeds polled, none failing (9 new, 3 not modified)". */
export function roundText(results: PollResult[], c: RoundCounts = roundCounts(results)): string {
  const skipped = c.skipped ? `, ${c.skipped} backing off after failures` : '';
  if (!c.failed)
    return `${c.feeds} feed${c.feeds === 1 ? '' : 's'} polled, none failing (${c.ok} read, ${c.notModified} not modified${skipped})`;
  return `${c.failed} of ${c.feeds} feeds failing: ${formatKinds(c.kinds)}${skipped}`;
}
