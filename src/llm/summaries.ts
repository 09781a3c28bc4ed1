/**
 * Model-written headlines and summaries for the events of a digest or an alert, in one
 * language, or none: the model is optional and never makes a post late or missing.
 *
 * - Cached in Redis per event, language and article set (`text:<event>:<lang>:<set hash>`),
 *   so each text is written once however many channels and workers ask for it.
 * - An event that gained articles is written again at most once per digest window: the last
 *   text of the event (`last:<event>:<lang>`) is reused while it was written within the
 *   window (`notBefore`).
 * - A budget of calls per hour, shared by every process (`calls:<hour>`).
 * - One deadline for the whole batch (the client's timeout): what is not written by then is
 *   left out; after a 429, a 5xx, a timeout or a refused connection the model is left alone
 *   for a while (Retry-After, else a minute) and the batch goes on without it.
 *
 * Redis, under `<prefix>{llm}:` (keys.ts): text:* and last:* strings (JSON, 30 days), calls:<hour>
 * counter (2 hours). The braces are a Redis Cluster hash tag: an event's exact and last text,
 * read and written together, sit in one slot.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/client.ts';
import { execChecked } from '../redis/exec.ts';
import type { EventRecord, Lang, StoredItem } from '../core/types.ts';
import type { GeneratedText } from '../core/untrusted.ts';
import type { Logger } from '../shared/log.ts';
import { LlmError, type Completion, type LlmClient, type LlmFailure } from './client.ts';
import { llmKeys } from './keys.ts';
import type { LlmMetrics } from './metrics.ts';

export type CallOutcome = 'ok' | 'cached' | 'over-budget' | 'unavailable' | LlmFailure;

export interface SummariserOptions {
  client: LlmClient;
  redis: RedisClient;
  prefix: string;
  log: Logger;
  metrics: LlmMetrics;
  maxCallsPerHour: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** The whole batch's deadline (and each call's timeout, in the client). */
  timeoutMs: number;
  now?: () => Date;
}

/** What one batch did, for logs and `digest --dry-run`. */
export interface BatchReport {
  model: string;
  outcomes: Partial<Record<CallOutcome, number>>;
}

export interface TextsOptions {
  /** A text of an earlier article set written after this time (ISO), the window start, is reused: once per window. */
  notBefore?: string;
  /** A shorter deadline than the configured timeout (a slash command must answer within seconds). */
  deadlineMs?: number;
}

export interface Summariser {
  readonly model: string;
  /** Texts by event id; events the model could not write for are absent. */
  textsFor(
    events: readonly EventRecord[],
    items: ReadonlyMap<string, StoredItem>,
    lang: Lang,
    options?: TextsOptions,
  ): Promise<{ texts: Map<string, GeneratedText>; report: BatchReport }>;
}

const TEXT_TTL_SECONDS = 30 * 86_400;
const DEFAULT_PAUSE_MS = 60_000;

interface Stored {
  text: GeneratedText;
  set: string;
  at: string;
}

/** The article set an event's text was written from: its item ids, in any order. */
export function articleSetHash(event: EventRecord): string {
  return createHash('sha256')
    .update([...event.itemIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}

export function createSummariser(options: SummariserOptions): Summariser {
  const { client, redis, prefix, log } = options;
  const now = () => options.now?.() ?? new Date();
  const keys = (event: string, lang: Lang, set: string) => ({
    text: llmKeys(prefix).text(event, lang, set),
    last: llmKeys(prefix).last(event, lang),
  });
  // In memory, per process: a model that just failed is not asked again until then.
  let pausedUntil = 0;

  async function cached(event: EventRecord, lang: Lang, notBefore?: string): Promise<Stored | null> {
    const set = articleSetHash(event);
    const k = keys(event.id, lang, set);
    const [exact, last] = await redis.mget(k.text, k.last);
    if (exact) return JSON.parse(exact) as Stored;
    if (!last || !notBefore) return null;
    const stored = JSON.parse(last) as Stored;
    return Date.parse(stored.at) > Date.parse(notBefore) ? stored : null;
  }

  /** True when this call fits in the hour's budget (counted before the call, by every process). */
  async function withinBudget(): Promise<boolean> {
    const hour = Math.floor(now().getTime() / 3_600_000);
    const key = llmKeys(prefix).calls(hour);
    const [count] = (await execChecked(redis.multi().incr(key).expire(key, 7200))) as [number];
    return count <= options.maxCallsPerHour;
  }

  async function write(
    event: EventRecord,
    items: ReadonlyMap<string, StoredItem>,
    lang: Lang,
    signal: AbortSignal,
    /** The signal is a caller's deadline shorter than the model's own timeout. */
    callersDeadline: boolean,
  ): Promise<{ outcome: CallOutcome; text?: GeneratedText }> {
    const zero = { prompt: 0, completion: 0 };
    if (now().getTime() < pausedUntil) {
      options.metrics.called('unavailable', zero, 0);
      return { outcome: 'unavailable' };
    }
    if (!(await withinBudget())) {
      options.metrics.called('over-budget', zero, 0);
      return { outcome: 'over-budget' };
    }
    const articles = event.itemIds
      .map((id) => items.get(id))
      .filter((item): item is StoredItem => item !== undefined)
      .sort((a, b) => a.published.localeCompare(b.published))
      .map((item) => ({ title: item.title, summary: item.summary }));
    if (!articles.length) articles.push({ title: event.title, summary: '' });
    const started = performance.now();
    let completion: Completion;
    try {
      completion = await client.complete(articles, lang, signal);
    } catch (caught) {
      // Whatever went wrong with the model, the post goes on without its text.
      const error = caught instanceof LlmError ? caught : new LlmError((caught as Error).message, 'network');
      options.metrics.called(error.kind, zero, (performance.now() - started) / 1000);
      // A model that is down or slow is left alone for a while; a deadline of the caller's own
      // (a slash command waits 5 s) says nothing about the model.
      const callerGaveUp = callersDeadline && signal.aborted;
      if (error.kind !== 'malformed' && error.kind !== 'refused' && !callerGaveUp)
        pausedUntil = now().getTime() + (error.retryAfter ? error.retryAfter * 1000 : DEFAULT_PAUSE_MS);
      log.warn(
        { event: event.id, lang, kind: error.kind, status: error.status, err: { message: error.message } },
        'model: no text for this event, its own headline is used',
      );
      return { outcome: error.kind };
    }
    const { text, tokens } = completion;
    options.metrics.called('ok', tokens, (performance.now() - started) / 1000);
    // Redis errors are not the model's: they fail the job loudly, like any other store outage.
    const stored: Stored = { text, set: articleSetHash(event), at: now().toISOString() };
    const k = keys(event.id, lang, stored.set);
    const json = JSON.stringify(stored);
    await execChecked(
      redis.multi().set(k.text, json, 'EX', TEXT_TTL_SECONDS).set(k.last, json, 'EX', TEXT_TTL_SECONDS),
    );
    return { outcome: 'ok', text };
  }

  return {
    model: client.model,
    async textsFor(events, items, lang, { notBefore, deadlineMs } = {}) {
      const texts = new Map<string, GeneratedText>();
      const outcomes: BatchReport['outcomes'] = {};
      const count = (outcome: CallOutcome) => (outcomes[outcome] = (outcomes[outcome] ?? 0) + 1);
      const todo: EventRecord[] = [];
      for (const event of events) {
        const hit = await cached(event, lang, notBefore);
        if (hit) {
          texts.set(event.id, hit.text);
          count('cached');
        } else todo.push(event);
      }
      const controller = new AbortController();
      const callersDeadline = deadlineMs !== undefined && deadlineMs < options.timeoutMs;
      const deadline = setTimeout(
        () => controller.abort(),
        Math.min(deadlineMs ?? options.timeoutMs, options.timeoutMs),
      );
      const work = async () => {
        for (let event = todo.shift(); event; event = todo.shift()) {
          // Past the deadline every event still waiting goes without its text, and is counted.
          if (controller.signal.aborted) {
            count('timeout');
            continue;
          }
          const { outcome, text } = await write(event, items, lang, controller.signal, callersDeadline);
          count(outcome);
          if (text) texts.set(event.id, text);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, work));
      } finally {
        clearTimeout(deadline);
      }
      const report = { model: client.model, outcomes };
      if (events.length) log.info({ lang, ...outcomes }, 'model texts');
      return { texts, report };
    },
  };
}
