/**
 * The one HTTP server: Slack at /slack/events (Bolt's receiver), Discord at
 * /discord/interactions, /healthz, /metrics and the read-only web archive (src/web: /,
 * /events, /companies, the feeds). Each platform is on when its secret is set
 * (SLACK_SIGNING_SECRET, DISCORD_PUBLIC_KEY); Slack may use Socket Mode instead
 * (SLACK_APP_TOKEN), then it needs no public URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedisClient } from '../redis/client.ts';
import { createDiscordHandler, type DiscordOptions } from '../chat/discord/interactions.ts';
import { createSlackApp, type SlackOptions } from '../chat/slack/app.ts';
import { createMemoryReplayGuard, verifySlackRequest, type ReplayGuard } from '../chat/slack/verify.ts';
import { DEFAULT_MAX_BODY_BYTES, readBody } from '../http/body.ts';
import { createRedisReplayGuard } from '../http/replay-guard.ts';
import type { App } from '../app/app.ts';
import type { CommandDeps, DigestNow } from '../slash/types.ts';
import type { Logger } from '../shared/log.ts';
import type { MetricsEndpoint } from '../metrics/port.ts';
import { UserError } from '../shared/errors.ts';
import { prepareDigest, type DigestReadDeps } from '../notify/digest-run.ts';
import { followStore } from '../search/follow.ts';
import { indexLooksCurrent, reindexAll } from '../search/reindex.ts';
import { createArchive } from '../web/archive.ts';
import { createWebHandler, webOptionsFromEnv, type WebHandler } from '../web/handler.ts';

export interface ServerDeps {
  commands: CommandDeps;
  log: Logger;
  /** PORT, else settings.server.port; 0 picks a free port (tests). */
  port: number;
  host?: string;
  slack?: SlackOptions;
  discord?: DiscordOptions;
  /** For /healthz: true when the store answers. */
  healthy?: () => Promise<boolean>;
  /** Request bodies over this are refused with 413 (default 64 KB). */
  maxBodyBytes?: number;
  /** Remembers Slack signatures already used (default: in this process only). */
  replayGuard?: ReplayGuard;
  /** Served at GET /metrics (Prometheus text format). */
  metrics?: MetricsEndpoint;
  /** The web archive: /, /events/<id>, /companies, the feeds (GET and HEAD only). */
  web?: WebHandler;
}

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting requests, lets those in flight finish, disconnects Socket Mode. Safe to call twice. */
  close(): Promise<void>;
}

/** Platform options from the environment; a platform without its secret is off. */
export function chatOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Pick<ServerDeps, 'slack' | 'discord'> {
  const slack: SlackOptions | undefined = env.SLACK_SIGNING_SECRET
    ? {
        signingSecret: env.SLACK_SIGNING_SECRET,
        ...(env.SLACK_BOT_TOKEN ? { botToken: env.SLACK_BOT_TOKEN } : {}),
        ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
      }
    : undefined;
  const discord: DiscordOptions | undefined = env.DISCORD_PUBLIC_KEY
    ? { publicKey: env.DISCORD_PUBLIC_KEY, ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}) }
    : undefined;
  return { ...(slack ? { slack } : {}), ...(discord ? { discord } : {}) };
}

/** The command core's dependencies, from the App. */
export function commandDeps(app: App, digestNow?: DigestNow): CommandDeps {
  return {
    store: app.store,
    search: app.search,
    channels: app.channels,
    entities: app.core.registry,
    admins: app.config.channels.admins,
    available: () => app.redis.status === 'ready',
    languages: new Map(),
    ...(digestNow ? { digestNow } : {}),
  };
}

/**
 * /healthz's check: Redis connected and answering a PING within `ms`. The client queues
 * commands while it reconnects (maxRetriesPerRequest: null, what the worker needs), so a
 * PING alone would hang while Redis is down.
 */
export function redisHealthy(redis: RedisClient, ms = 1000): () => Promise<boolean> {
  return async () => {
    if (redis.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([redis.ping().then((reply) => reply === 'PONG'), late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The port is taken (another server, or another `start` on this machine). */
export class PortInUseError extends UserError {
  override readonly name = 'PortInUseError';
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { log } = deps;
  const slack = deps.slack ? createSlackApp(deps.slack, deps.commands, log) : undefined;
  const discord = deps.discord ? createDiscordHandler(deps.discord, deps.commands, log) : undefined;
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const replayGuard = deps.replayGuard ?? createMemoryReplayGuard();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const ok = deps.healthy ? await deps.healthy().catch(() => false) : true;
      return json(res, ok ? 200 : 503, {
        status: ok ? 'ok' : 'store unavailable',
        slack: slack?.mode ?? 'off',
        discord: discord ? 'on' : 'off',
      });
    }
    if (path === '/metrics' && deps.metrics) {
      const { contentType, body } = await deps.metrics.render();
      return void res.writeHead(200, { 'content-type': contentType }).end(body);
    }
    if (path === '/slack/events') {
      if (!slack?.requestListener || !deps.slack)
        return json(res, 404, {
          error: slack ? 'Slack uses Socket Mode here' : 'Slack is not configured: set SLACK_SIGNING_SECRET',
        });
      const body = await readBody(req, res, maxBody);
      if (!body) return;
      const verdict = await verifySlackRequest(deps.slack.signingSecret, req.headers, body, replayGuard);
      if (!verdict.ok) {
        log.warn({ path, reason: verdict.error }, 'Slack request refused');
        return json(res, verdict.status, { error: verdict.error });
      }
      // Bolt reads a body already buffered (rawBody) instead of the stream.
      Object.assign(req, { rawBody: body });
      return void slack.requestListener(req, res);
    }
    if (path === '/discord/interactions') {
      if (!discord) return json(res, 404, { error: 'Discord is not configured: set DISCORD_PUBLIC_KEY' });
      const body = await readBody(req, res, maxBody);
      if (!body) return;
      return discord(req, res, body);
    }
    if (deps.web && (await deps.web(req, res))) return;
    json(res, 404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      log.error({ err: { message: error.message }, url: req.url }, 'http request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  // Slack and Discord both give up after three seconds; never hold a socket much longer.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(`port ${deps.port} is already in use: stop the other server or set PORT`)
          : error,
      ),
    );
    server.listen(deps.port, deps.host ?? '0.0.0.0', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  await slack?.start();
  const { port } = server.address() as AddressInfo;
  log.info(
    { port, slack: slack?.mode ?? 'off', discord: discord ? 'on' : 'off' },
    'command server listening',
  );

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([closed, slack?.stop()]);
      })()),
  };
}

/** What `/aiwatch digest` waits for the model at most; texts not written by then are left out. */
const SLASH_DIGEST_MODEL_MS = 5000;

/**
 * The digest a channel would get now, built by the digest module without posting
 * or marking anything: `/aiwatch digest` shows it in the channel, and the next
 * scheduled digest still covers the same window.
 */
export function digestPreview(app: App): DigestNow {
  const summariser = app.summariser();
  const deps: DigestReadDeps = {
    redis: app.redis,
    prefix: app.prefix,
    store: app.store,
    nameOf: (id: string, lang?: 'en' | 'ja') => app.core.registry.nameIn(id, lang ?? 'en'),
    settings: app.config.settings.digest,
    // The command answers within its own timeout (commands/run.ts): the model gets part of it.
    ...(summariser ? { summariser, modelDeadlineMs: SLASH_DIGEST_MODEL_MS } : {}),
  };
  return async (channel) => (await prepareDigest(channel, deps)).digest;
}

/**
 * The server as a part of the service (`aiwatch start`) or alone (`aiwatch serve`), on PORT, else
 * settings.server.port. With `portInUse: 'warn'` (within `start`) a port already taken is one
 * warning and no server: several workers on one machine share the work, one of them serves.
 */
export async function startCommandServer(
  app: App,
  env: NodeJS.ProcessEnv = process.env,
  { portInUse = 'fail', metrics }: { portInUse?: 'fail' | 'warn'; metrics?: MetricsEndpoint } = {},
): Promise<{ name: string; server?: RunningServer; close(): Promise<void> }> {
  const chat = chatOptionsFromEnv(env);
  if (!chat.slack && !chat.discord)
    app.log.info(
      'neither SLACK_SIGNING_SECRET nor DISCORD_PUBLIC_KEY is set: slash commands off, /healthz served',
    );
  const port = env.PORT ? Number(env.PORT) : app.config.settings.server.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`PORT must be a port number, not "${env.PORT}"`);
  const commands = commandDeps(app, digestPreview(app));
  // Events stored before the index existed (an upgrade): index them in the background, searches fill
  // in as it goes. The check runs in the background too: the server answers (/healthz) without Redis.
  void indexLooksCurrent(commands.store, commands.search)
    .then(async (current) => {
      if (current) return;
      app.log.info('search index behind the store: indexing every stored event in the background');
      const count = await reindexAll(commands.store, commands.search);
      app.log.info({ count }, 'search index rebuilt');
    })
    .catch((error: Error) =>
      app.log.error({ err: { message: error.message } }, 'search index rebuild failed'),
    );
  let server: RunningServer;
  try {
    server = await startServer({
      commands,
      log: app.log,
      port,
      ...chat,
      healthy: redisHealthy(app.redis),
      maxBodyBytes: app.config.settings.server.maxBodyBytes,
      replayGuard: createRedisReplayGuard(app.redis, app.prefix),
      ...(metrics ? { metrics } : {}),
      web: createWebHandler(
        createArchive({
          ...app,
          store: commands.store,
          search: commands.search,
          entities: app.core.registry,
        }),
        app.core.registry,
        webOptionsFromEnv(env),
      ),
    });
  } catch (error) {
    if (!(error instanceof PortInUseError) || portInUse === 'fail') throw error;
    app.log.warn({ port }, `${error.message}; the worker runs without the HTTP server`);
    return { name: 'http', close: async () => {} };
  }
  const follower = followStore(commands.store, commands.search, app.log);
  return {
    name: 'http',
    server,
    close: async () => {
      await server.close();
      await follower.stop();
    },
  };
}
