/**
 * Fetches one feed like a good citizen: conditional GET (a 304 costs nothing),
 * a User-Agent naming the project, connect and total timeouts, a size cap on
 * the decoded body (the stream is aborted when exceeded), at most N redirects,
 * gzip/brotli. Every failure is a FeedError with a short code and the URL.
 */
import { Agent, fetch } from 'undici';
import { FeedError } from './errors.ts';

export const USER_AGENT = 'japan-ai-watch/0.1 (feed reader; +https://github.com/japan-ai-watch)';

export interface FetchOptions {
  connectTimeoutMs: number;
  fetchTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

/** The fetch limits of settings.yaml's worker section: the same for the worker and check-feed. */
export function fetchOptions(worker: {
  connectTimeoutMs: number;
  fetchTimeoutMs: number;
  maxFeedBytes: number;
  maxRedirects: number;
}): FetchOptions {
  return {
    connectTimeoutMs: worker.connectTimeoutMs,
    fetchTimeoutMs: worker.fetchTimeoutMs,
    maxBytes: worker.maxFeedBytes,
    maxRedirects: worker.maxRedirects,
  };
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | { status: 'not-modified'; url: string }
  | { status: 'ok'; url: string; body: Buffer; contentType: string; validators: Validators };

/** One connection pool per connect timeout, shared by every poll in the process. */
const agents = new Map<number, Agent>();
function agentFor(connectTimeoutMs: number): Agent {
  let agent = agents.get(connectTimeoutMs);
  if (!agent) {
    agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 10_000 });
    agents.set(connectTimeoutMs, agent);
  }
  return agent;
}

/** Closes the shared connection pools (shutdown). */
export async function closeFetchAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.allSettled(all.map((agent) => agent.close()));
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

function classify(url: string, error: unknown, signal: AbortSignal, options: FetchOptions): FeedError {
  if (error instanceof FeedError) return error;
  if (signal.aborted)
    return new FeedError('timeout', url, `no complete answer within ${options.fetchTimeoutMs} ms`);
  const code = causeCode(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new FeedError('timeout', url, `could not connect within ${options.connectTimeoutMs} ms`);
  const reason = (error as { cause?: Error }).cause?.message ?? (error as Error).message ?? String(error);
  return new FeedError('network', url, `${code ? `${code}: ` : ''}${reason}`);
}

async function readCapped(url: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes)
      throw new FeedError('too-large', url, `body exceeds the ${maxBytes}-byte cap; download stopped`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function fetchFeed(
  url: string,
  validators: Validators,
  options: FetchOptions,
): Promise<FetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.fetchTimeoutMs);
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept:
      'application/rss+xml, application/rdf+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
    'accept-encoding': 'gzip, br, deflate',
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let current = url;
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(current, {
        headers,
        redirect: 'manual',
        signal: controller.signal,
        dispatcher: agentFor(options.connectTimeoutMs),
      });
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location) throw new FeedError('http', current, `HTTP ${response.status} without a Location`);
        if (redirects >= options.maxRedirects)
          throw new FeedError('too-many-redirects', url, `more than ${options.maxRedirects} redirects`);
        current = new URL(location, current).toString();
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { status: 'not-modified', url: current };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new FeedError('http', current, `HTTP ${response.status}`, response.status);
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      if (!encoded && declared > options.maxBytes) {
        await response.body?.cancel();
        throw new FeedError(
          'too-large',
          current,
          `body of ${declared} bytes exceeds the ${options.maxBytes}-byte cap`,
        );
      }
      const body = response.body
        ? await readCapped(current, response.body as AsyncIterable<Uint8Array>, options.maxBytes)
        : Buffer.alloc(0);
      const etag = response.headers.get('etag');
      const lastModified = response.headers.get('last-modified');
      return {
        status: 'ok',
        url: current,
        body,
        contentType: response.headers.get('content-type') ?? '',
        validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) },
      };
    }
  } catch (error) {
    if (error instanceof FeedError && error.code === 'too-large') controller.abort();
    throw classify(current, error, controller.signal, options);
  } finally {
    clearTimeout(timer);
  }
}
