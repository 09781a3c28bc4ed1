/**
 * The model from the environment, or none (the default): AIWATCH_LLM_URL (an OpenAI-compatible
 * base URL), AIWATCH_LLM_MODEL and, when the endpoint needs one, AIWATCH_LLM_API_KEY. The key
 * goes into request headers only: it is never logged, stored or put in a prompt.
 */
import type { RedisClient } from '../redis/client.ts';
import type { Settings } from '../config/index.ts';
import { UserError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { Metrics } from '../metrics/port.ts';
import { createLlmClient } from './client.ts';
import { llmMetricsFrom } from './metrics.ts';
import { createSummariser, type Summariser } from './summaries.ts';

export interface LlmWiring {
  redis: RedisClient;
  prefix: string;
  log: Logger;
  settings: Settings['llm'];
  metrics?: Metrics;
}

export function summariserFromEnv(env: NodeJS.ProcessEnv, wiring: LlmWiring): Summariser | undefined {
  const url = env.AIWATCH_LLM_URL?.trim();
  const model = env.AIWATCH_LLM_MODEL?.trim();
  if (!url && !model) return undefined;
  if (!url || !model)
    throw new UserError('AIWATCH_LLM_URL and AIWATCH_LLM_MODEL go together: set both, or neither');
  const host = httpHost(url);
  if (!host)
    throw new UserError('AIWATCH_LLM_URL: expected an http(s) base URL like https://api.openai.com/v1');
  const apiKey = env.AIWATCH_LLM_API_KEY?.trim();
  const log = wiring.log.child({ part: 'llm' });
  const summariser = createSummariser({
    client: createLlmClient({
      baseUrl: url,
      model,
      ...(apiKey ? { apiKey } : {}),
      timeoutMs: wiring.settings.timeoutMs,
    }),
    redis: wiring.redis,
    prefix: wiring.prefix,
    log,
    metrics: llmMetricsFrom(wiring.metrics),
    maxCallsPerHour: wiring.settings.maxCallsPerHour,
    concurrency: wiring.settings.concurrency,
    timeoutMs: wiring.settings.timeoutMs,
  });
  log.debug({ model, host }, 'model texts on');
  return summariser;
}

function httpHost(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) && parsed.host ? parsed.host : undefined;
  } catch {
    return undefined;
  }
}
