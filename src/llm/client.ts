/**
 * A minimal client for any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI,
 * vLLM, Ollama, a Japanese model's API): one POST, no retries, a hard timeout. A digest must
 * never wait on the model, so every failure is an LlmError the caller turns into "no text".
 */
import { z } from 'zod';
import type { Lang } from '../core/types.ts';
import type { GeneratedText } from '../core/untrusted.ts';
import { ANSWER_SCHEMA, systemPrompt, userPrompt, type PromptArticle } from './prompt.ts';

export type LlmFailure = 'timeout' | 'rate-limited' | 'http' | 'network' | 'malformed' | 'refused';

export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    message: string,
    readonly kind: LlmFailure,
    readonly status?: number,
    /** Seconds the endpoint asked us to wait (Retry-After), when it said. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface LlmClientOptions {
  /** Base URL: `${baseUrl}/chat/completions` is called. */
  baseUrl: string;
  model: string;
  /** Sent as a bearer token (and as api-key, which Azure OpenAI reads); never logged. */
  apiKey?: string;
  timeoutMs: number;
}

export interface Completion {
  text: GeneratedText;
  tokens: { prompt: number; completion: number };
}

export interface LlmClient {
  readonly model: string;
  complete(articles: readonly PromptArticle[], lang: Lang, signal?: AbortSignal): Promise<Completion>;
}

const answerSchema = z.object({ headline: z.string(), summary: z.string() });
const responseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullable().optional(),
          refusal: z.string().nullable().optional(),
        }),
      }),
    )
    .min(1),
  usage: z
    .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
    .nullable()
    .optional(),
});

/** Response bodies larger than this are not a headline and a sentence. */
const MAX_RESPONSE_BYTES = 256 * 1024;

export function createLlmClient(options: LlmClientOptions): LlmClient {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) {
    headers.authorization = `Bearer ${options.apiKey}`;
    headers['api-key'] = options.apiKey;
  }
  return {
    model: options.model,
    async complete(articles, lang, signal) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const body = JSON.stringify({
        model: options.model,
        messages: [
          { role: 'system', content: systemPrompt(lang) },
          { role: 'user', content: userPrompt(articles) },
        ],
        temperature: 0.2,
        max_tokens: 400,
        response_format: { type: 'json_schema', json_schema: ANSWER_SCHEMA },
      });
      let response: Response;
      let raw: string;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        raw = await readCapped(response, MAX_RESPONSE_BYTES);
      } catch (error) {
        if (error instanceof LlmError) throw error;
        if (timeout.aborted || signal?.aborted)
          throw new LlmError(`no answer within ${options.timeoutMs} ms`, 'timeout');
        throw new LlmError(`request failed: ${(error as Error).message}`, 'network');
      }
      if (response.status === 429)
        throw new LlmError('rate limited (429)', 'rate-limited', 429, retryAfter(response));
      if (!response.ok) throw new LlmError(`HTTP ${response.status}`, 'http', response.status);
      return parseCompletion(raw);
    },
  };
}

function retryAfter(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      // The model's answer, not the network, is wrong: no pause, the post goes on without it.
      throw new LlmError(`response larger than ${max} bytes`, 'malformed');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseCompletion(raw: string): Completion {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new LlmError('response is not JSON', 'malformed');
  }
  const response = responseSchema.safeParse(json);
  if (!response.success) throw new LlmError('response is not a chat completion', 'malformed');
  const message = response.data.choices[0]!.message;
  if (message.refusal) throw new LlmError('the model refused', 'refused');
  let answer: unknown;
  try {
    answer = JSON.parse(message.content ?? '');
  } catch {
    throw new LlmError('the answer is not JSON', 'malformed');
  }
  const text = answerSchema.safeParse(answer);
  if (!text.success || !text.data.headline.trim())
    throw new LlmError('the answer lacks a headline or summary', 'malformed');
  const usage = response.data.usage;
  return {
    text: text.data,
    tokens: { prompt: usage?.prompt_tokens ?? 0, completion: usage?.completion_tokens ?? 0 },
  };
}
