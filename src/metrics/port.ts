/**
 * What the service counts, as a port: the worker, the poller and the posters record through
 * it, and only src/metrics/prometheus.ts knows about Prometheus. Commands that run once (poll
 * --once, digest, replay) get `noMetrics`.
 */
export type ItemOutcome = 'duplicate' | 'irrelevant' | 'new-event' | 'joined-event';
export type PollOutcome = 'ok' | 'not-modified' | 'skipped' | 'failed';
export type PostOutcome = 'ok' | 'failed-temporary' | 'failed-permanent';

export interface Metrics {
  /** One item through the pipeline. */
  itemProcessed(outcome: ItemOutcome): void;
  /** One feed poll; `kind` says why a failed one failed (DNS, timeout, HTTP 404...). */
  feedPolled(outcome: PollOutcome, kind?: string): void;
  /** One message posted (or not) to a platform, and how long it took, waits for 429s included. */
  posted(platform: string, outcome: PostOutcome, seconds: number): void;
  /** A 429 answer from a platform (waited out by the client, or failing the post). */
  rateLimited(platform: string): void;
  /**
   * The optional language model (src/llm/): one call by outcome (ok, timeout, rate-limited, http,
   * network, malformed, refused) with its tokens, or one not made (over-budget, unavailable).
   */
  llmCalled?(outcome: string, tokens: { prompt: number; completion: number }, seconds: number): void;
}

export const noMetrics: Metrics = {
  itemProcessed: () => {},
  feedPolled: () => {},
  posted: () => {},
  rateLimited: () => {},
};

/** What GET /metrics serves. */
export interface MetricsEndpoint {
  render(): Promise<{ contentType: string; body: string }>;
}
