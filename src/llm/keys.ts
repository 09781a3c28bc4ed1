/**
 * Where the model's texts are cached in Redis: every key under `<prefix>{llm}:`. The braces are
 * a Redis Cluster hash tag: an event's exact and last text, read and written together, sit in
 * one slot.
 *
 *   text:<event>:<lang>:<article set>   JSON text written from exactly that set of articles (30 days)
 *   last:<event>:<lang>                 JSON of the latest text of the event in that language (30 days)
 *   calls:<hour>                        calls made in that hour, by every process (2 hours)
 */
export const LLM_TAG = '{llm}';

export interface LlmKeys {
  text(event: string, lang: string, articleSet: string): string;
  last(event: string, lang: string): string;
  /** `hour`: epoch hours. */
  calls(hour: number): string;
}

export function llmKeys(prefix: string): LlmKeys {
  const base = `${prefix}${LLM_TAG}:`;
  return {
    text: (event, lang, articleSet) => `${base}text:${event}:${lang}:${articleSet}`,
    last: (event, lang) => `${base}last:${event}:${lang}`,
    calls: (hour) => `${base}calls:${hour}`,
  };
}
