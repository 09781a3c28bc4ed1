/**
 * Slack request verification done before Bolt sees a request, for what Bolt's receiver lets
 * through: a timestamp more than five minutes in the future, and a signed request sent again
 * within the window (a replay). The signature is checked here first, so only genuine requests
 * are remembered; each is remembered for the whole window in which its timestamp is accepted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Slack's window: a request is accepted while its timestamp is within five minutes of now. */
export const SLACK_WINDOW_SECONDS = 300;

/** Remembers keys for a while: true the first time a key is seen, false while it is remembered. */
export interface ReplayGuard {
  firstUse(key: string, ttlSeconds: number): Promise<boolean>;
}

export type SlackVerdict = { ok: true } | { ok: false; status: 401; error: string };

const reject = (error: string): SlackVerdict => ({ ok: false, status: 401, error });

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return typeof value === 'string' ? value : '';
}

export async function verifySlackRequest(
  signingSecret: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  guard: ReplayGuard,
  nowMs = Date.now(),
): Promise<SlackVerdict> {
  const timestamp = header(headers, 'x-slack-request-timestamp');
  const signature = header(headers, 'x-slack-signature');
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature))
    return reject('missing or malformed Slack signature headers');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_WINDOW_SECONDS)
    return reject('request timestamp more than five minutes from now');
  const expected = `v0=${createHmac('sha256', signingSecret)
    .update(`v0:${timestamp}:`)
    .update(body)
    .digest('hex')}`;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
    return reject('invalid request signature');
  // Remembered for twice the window: its timestamp stays acceptable from 5 min before to 5 min after.
  if (!(await guard.firstUse(`slack:${signature}`, 2 * SLACK_WINDOW_SECONDS)))
    return reject('request already received (replayed signature)');
  return { ok: true };
}

/** In one process only: for a server with no Redis (tests of the server alone). */
export function createMemoryReplayGuard(now = () => Date.now()): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    async firstUse(key, ttlSeconds) {
      const at = now();
      for (const [k, until] of seen) if (until <= at) seen.delete(k);
      if (seen.has(key)) return false;
      seen.set(key, at + ttlSeconds * 1000);
      return true;
    },
  };
}
