/** The model's calls, tokens and failures in /metrics, through the service's Prometheus registry. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llmMetricsFrom } from '../../src/llm/metrics.ts';
import { createPrometheusMetrics } from '../../src/metrics/prometheus.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';

const prefix = testPrefix('llm-metrics');
let redis: Redis;

beforeAll(async () => {
  redis = await openTestRedis();
});
afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('model metrics', () => {
  it('counts calls by outcome, tokens by kind and times the calls', async () => {
    const prometheus = createPrometheusMetrics({ redis, prefix });
    const llm = llmMetricsFrom(prometheus.metrics);
    llm.called('ok', { prompt: 120, completion: 30 }, 1.2);
    llm.called('ok', { prompt: 100, completion: 20 }, 0.8);
    llm.called('rate-limited', { prompt: 0, completion: 0 }, 0.1);
    llm.called('over-budget', { prompt: 0, completion: 0 }, 0);
    const { body } = await prometheus.render();
    await prometheus.close();
    expect(body).toContain('aiwatch_llm_calls_total{outcome="ok"} 2');
    expect(body).toContain('aiwatch_llm_calls_total{outcome="rate-limited"} 1');
    expect(body).toContain('aiwatch_llm_calls_total{outcome="over-budget"} 1');
    expect(body).toContain('aiwatch_llm_tokens_total{kind="prompt"} 220');
    expect(body).toContain('aiwatch_llm_tokens_total{kind="completion"} 50');
    expect(body).toContain('aiwatch_llm_call_seconds_count 3');
  });
});
