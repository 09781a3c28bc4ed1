/** What the model costs and how it fails: counted through the service's metrics port, and logged. */
import type { Metrics } from '../metrics/port.ts';
import type { CallOutcome } from './summaries.ts';

export type CountedOutcome = Exclude<CallOutcome, 'cached'>;

export interface LlmMetrics {
  /** One call to the model, or one not made (over-budget, unavailable); cache hits are not counted. */
  called(outcome: CountedOutcome, tokens: { prompt: number; completion: number }, seconds: number): void;
}

export const noLlmMetrics: LlmMetrics = { called: () => {} };

export function llmMetricsFrom(metrics: Metrics | undefined): LlmMetrics {
  const record = metrics?.llmCalled?.bind(metrics);
  return record ? { called: record } : noLlmMetrics;
}
