/**
 * Local stand-ins for the parts of Slack's Web API (chat.postMessage, auth.test)
 * and Discord's REST API (create message, execute webhook, users/@me) the bot
 * uses, so the real clients run against them over real HTTP. Each records the
 * requests it got; `script` queues answers (a 429, a 500, an error) for the
 * next requests, after which requests succeed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  at: number;
  /** The answer given. */
  status?: number;
  accepted?: boolean;
}

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Answer after this long (to keep a post in flight). */
  delayMs?: number;
  /** A repeated nonce: answered, but no new message. */
  duplicate?: boolean;
}

export interface ChatServer {
  url: string;
  requests: Recorded[];
  /** Messages accepted (Slack chat.postMessage, Discord create message / webhook), in order. */
  posts(): Recorded[];
  script(...answers: Scripted[]): void;
  reset(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text);
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    // The Slack client form-encodes and JSON-encodes structured fields such as blocks.
    body[key] = key === 'blocks' || key === 'attachments' ? JSON.parse(value) : value;
  }
  return body;
}

function send(res: ServerResponse, answer: Scripted): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

async function start(
  isPost: (r: Recorded) => boolean,
  ok: (r: Recorded, count: number) => Scripted,
): Promise<ChatServer> {
  const requests: Recorded[] = [];
  let queue: Scripted[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        at: Date.now(),
      };
      requests.push(recorded);
      const answer = queue.shift() ?? ok(recorded, ++count);
      recorded.status = answer.status;
      recorded.accepted =
        answer.status === 200 && (answer.body as { ok?: boolean }).ok !== false && !answer.duplicate;
      if (answer.delayMs) setTimeout(() => send(res, answer), answer.delayMs);
      else send(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    posts: () => requests.filter((r) => isPost(r) && r.accepted),
    script: (...answers) => void (queue = [...queue, ...answers]),
    reset: () => {
      requests.length = 0;
      queue = [];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Slack: POST /api/<method>; every answer is HTTP 200 with ok true unless scripted. */
export async function startSlackServer(): Promise<ChatServer & { apiUrl: string }> {
  const server = await start(
    (r) => r.path === '/api/chat.postMessage',
    (r, count) =>
      r.path === '/api/auth.test'
        ? {
            status: 200,
            body: { ok: true, team: 'Test team', user: 'aiwatch', team_id: 'T1', user_id: 'U1' },
          }
        : {
            status: 200,
            body: { ok: true, channel: r.body.channel, ts: `1700000000.${String(count).padStart(6, '0')}` },
          },
  );
  return { ...server, apiUrl: `${server.url}/api/` };
}

export const slackError = (error: string): Scripted => ({ status: 200, body: { ok: false, error } });

/**
 * Discord: /api/v10/…; create message and webhooks answer with the message created.
 * Like Discord, a create message with enforce_nonce and a nonce already used
 * returns the earlier message instead of creating another (not counted as a post).
 */
export async function startDiscordServer(): Promise<ChatServer & { apiUrl: string }> {
  const nonces = new Map<string, unknown>();
  const server = await start(
    (r) => r.method === 'POST' && /\/channels\/\d+\/messages$|\/webhooks\/\d+\/[\w-]+/.test(r.path),
    (r, count) => {
      if (r.path.endsWith('/users/@me')) return { status: 200, body: { id: '42', username: 'aiwatch' } };
      const nonce = r.body.enforce_nonce ? String(r.body.nonce) : undefined;
      if (nonce && nonces.has(nonce)) return { status: 200, body: nonces.get(nonce), duplicate: true };
      const message = { id: String(1000 + count), ...r.body };
      if (nonce) nonces.set(nonce, message);
      return { status: 200, body: message };
    },
  );
  return { ...server, apiUrl: `${server.url}/api` };
}

export const discordError = (status: number, code: number, message: string): Scripted => ({
  status,
  body: { code, message },
});

export const rateLimited = (retryAfterSeconds: number, discord = false): Scripted => ({
  status: 429,
  headers: { 'retry-after': String(retryAfterSeconds) },
  body: discord
    ? { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false }
    : { ok: false, error: 'ratelimited' },
});
