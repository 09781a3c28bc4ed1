/**
 * The service's one line per round of polls. Feeds are polled by their own schedulers, and
 * those with one interval come due together: a round is the polls that complete without a
 * pause of `quietMs` between them. The line says how many failed and why, and when the next
 * poll is due, so a service with no network says so once instead of in 17 warnings.
 */
import type { PollResult } from '../feeds/poll.ts';
import { roundCounts, roundText } from '../feeds/poll-report.ts';
import type { Logger } from '../shared/log.ts';

export interface RoundReporter {
  record(result: PollResult): void;
  /** Reports the round in progress, if any (its line is not lost at shutdown). */
  close(): Promise<void>;
}

export interface RoundOptions {
  log: Logger;
  /** When the next poll of any feed is due (ms since epoch), if known. */
  nextPollAt: () => Promise<number | undefined>;
  quietMs?: number;
  now?: () => number;
}

export function whenText(at: number, now: number): string {
  const minutes = Math.max(0, Math.round((at - now) / 60_000));
  const clock = new Date(at).toISOString().slice(11, 16);
  return `next poll in ${minutes < 1 ? 'under a minute' : `${minutes} min`} (${clock} UTC)`;
}

export function createRoundReporter(options: RoundOptions): RoundReporter {
  const quietMs = options.quietMs ?? 3000;
  const now = options.now ?? Date.now;
  let round: PollResult[] = [];
  let timer: NodeJS.Timeout | undefined;

  async function report(): Promise<void> {
    const results = round;
    round = [];
    timer = undefined;
    const next = await options.nextPollAt().catch(() => undefined);
    const counts = roundCounts(results);
    const text = `${roundText(results, counts)}${next ? `; ${whenText(next, now())}` : ''}`;
    const fields = { ...counts, ...(next ? { nextPollAt: new Date(next).toISOString() } : {}) };
    if (counts.failed) options.log.warn(fields, text);
    else options.log.info(fields, text);
  }

  return {
    record(result) {
      round.push(result);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void report(), quietMs);
      timer.unref();
    },
    async close() {
      if (!timer) return;
      clearTimeout(timer);
      await report();
    },
  };
}
