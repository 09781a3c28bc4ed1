/**
 * The Prometheus adapter of the metrics port, with its own registry (no prom-client globals):
 * counters the service records through the port, and gauges read when /metrics is scraped
 * (queue depths, Redis round trip). Every metric is listed in the README.
 */
import type { RedisClient } from '../redis/client.ts';
import { bullPrefix } from '../redis/queue-prefix.ts';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics, MetricsEndpoint } from './port.ts';

/** BullMQ queues of the service: feed polls, item batches, digests and alerts. */
const QUEUES = ['poll', 'items', 'decide', 'notify'] as const;
/** What a scrape waits for Redis: an outage must not hang or fail the whole scrape. */
const SCRAPE_REDIS_MS = 1000;

/** The value, or undefined when Redis is not connected, fails or takes too long. */
async function fromRedis<T>(redis: RedisClient, read: () => Promise<T>): Promise<T | undefined> {
  if (redis.status !== 'ready') return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>(
    (resolve) => (timer = setTimeout(() => resolve(undefined), SCRAPE_REDIS_MS)),
  );
  try {
    return await Promise.race([read().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export interface PrometheusMetrics extends MetricsEndpoint {
  metrics: Metrics;
  close(): Promise<void>;
}

export function createPrometheusMetrics(options: { redis: RedisClient; prefix: string }): PrometheusMetrics {
  const { redis } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aiwatch_' });
  const registers = [registry];

  // Two counters, so that each one's labels add up: every item is new or a duplicate, and
  // every new item is relevant or not.
  const items = new Counter({
    name: 'aiwatch_items_processed_total',
    help: 'Items through the pipeline by outcome: new (stored) or duplicate (already stored)',
    labelNames: ['outcome'],
    registers,
  });
  const judged = new Counter({
    name: 'aiwatch_items_judged_total',
    help: 'New items by relevance: relevant (joined or created an event) or irrelevant',
    labelNames: ['relevance'],
    registers,
  });
  const events = new Counter({
    name: 'aiwatch_events_total',
    help: 'Events created by a new relevant item, or updated by one joining them',
    labelNames: ['change'],
    registers,
  });
  const polls = new Counter({
    name: 'aiwatch_feed_polls_total',
    help: 'Feed polls by outcome (ok, not-modified, skipped, failed) and kind of failure',
    labelNames: ['outcome', 'kind'],
    registers,
  });
  const posts = new Counter({
    name: 'aiwatch_posts_total',
    help: 'Messages posted to a chat platform by outcome (ok, failed-temporary, failed-permanent)',
    labelNames: ['platform', 'outcome'],
    registers,
  });
  const rateLimits = new Counter({
    name: 'aiwatch_rate_limited_total',
    help: '429 answers from a chat platform',
    labelNames: ['platform'],
    registers,
  });
  const latency = new Histogram({
    name: 'aiwatch_delivery_latency_seconds',
    help: 'Time to deliver one message to a chat platform, retries and 429 waits included',
    labelNames: ['platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const llmCalls = new Counter({
    name: 'aiwatch_llm_calls_total',
    help: 'Calls to the optional language model by outcome (ok, timeout, rate-limited, http, network, malformed, refused), and calls not made (over-budget, unavailable)',
    labelNames: ['outcome'],
    registers,
  });
  const llmTokens = new Counter({
    name: 'aiwatch_llm_tokens_total',
    help: 'Tokens the language model reported, by kind (prompt, completion)',
    labelNames: ['kind'],
    registers,
  });
  const llmLatency = new Histogram({
    name: 'aiwatch_llm_call_seconds',
    help: 'Time of one call to the language model, failed ones included',
    buckets: [0.5, 1, 2.5, 5, 10, 20, 30],
    registers,
  });
  for (const outcome of ['new', 'duplicate']) items.inc({ outcome }, 0);
  for (const relevance of ['relevant', 'irrelevant']) judged.inc({ relevance }, 0);
  for (const change of ['created', 'updated']) events.inc({ change }, 0);

  // BullMQ loads when /metrics is first scraped: `serve` alone does not otherwise need it.
  type QueueView = {
    name: string;
    counts: () => Promise<Record<string, number>>;
    close: () => Promise<void>;
  };
  let queues: Promise<QueueView[]> | undefined;
  const openQueues = () =>
    (queues ??= import('bullmq').then(({ Queue }) =>
      QUEUES.map((name) => {
        const queue = new Queue(name, { connection: redis, prefix: bullPrefix(options.prefix) });
        return { name, counts: () => queue.getJobCounts(...STATES), close: () => queue.close() };
      }),
    ));
  new Gauge({
    name: 'aiwatch_queue_jobs',
    help: 'Jobs in each queue (poll, items, decide, notify) by state: waiting, active, delayed, failed; left out while Redis does not answer',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const { name, counts } of await openQueues()) {
        const byState = await fromRedis(redis, counts);
        if (byState) for (const state of STATES) this.set({ queue: name, state }, byState[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'aiwatch_redis_roundtrip_seconds',
    help: 'Time of a PING to Redis, measured at the scrape; NaN while Redis does not answer',
    registers,
    async collect() {
      const started = performance.now();
      const answered = (await fromRedis(redis, () => redis.ping())) === 'PONG';
      this.set(answered ? (performance.now() - started) / 1000 : NaN);
    },
  });

  const metrics: Metrics = {
    itemProcessed(outcome) {
      if (outcome === 'duplicate') return void items.inc({ outcome: 'duplicate' });
      items.inc({ outcome: 'new' });
      judged.inc({ relevance: outcome === 'irrelevant' ? 'irrelevant' : 'relevant' });
      if (outcome !== 'irrelevant') events.inc({ change: outcome === 'new-event' ? 'created' : 'updated' });
    },
    feedPolled(outcome, kind) {
      polls.inc({ outcome, kind: kind ?? '' });
    },
    posted(platform, outcome, seconds) {
      posts.inc({ platform, outcome });
      if (outcome === 'ok') latency.observe({ platform }, seconds);
    },
    rateLimited(platform) {
      rateLimits.inc({ platform });
    },
    llmCalled(outcome, tokens, seconds) {
      llmCalls.inc({ outcome });
      if (tokens.prompt) llmTokens.inc({ kind: 'prompt' }, tokens.prompt);
      if (tokens.completion) llmTokens.inc({ kind: 'completion' }, tokens.completion);
      if (outcome !== 'over-budget' && outcome !== 'unavailable') llmLatency.observe(seconds);
    },
  };

  return {
    metrics,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    async close() {
      if (queues) await Promise.allSettled((await queues).map((q) => q.close()));
    },
  };
}
