/**
 * Discord's HTTP interactions endpoint. Every request is verified first: the
 * Ed25519 signature (X-Signature-Ed25519 over X-Signature-Timestamp + body) with
 * the application's public key, and a timestamp within five minutes; anything
 * else gets 401 and is not acted on. Then: PING → PONG, /aiwatch → the command
 * core (answered at once, or deferred and completed through the interaction
 * webhook with discord.js's REST client), page buttons, and company autocomplete.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Routes as DiscordRoutes } from 'discord.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { visibilityOf } from '../../slash/execute.ts';
import { parseOptions, parseToken } from '../../slash/parse.ts';
import { DEFAULT_ACK_BUDGET_MS, runSafely, within } from '../../slash/run.ts';
import type { CommandDeps, Invocation } from '../../slash/types.ts';
import { foldForMatch } from '../../core/normalise.ts';
import { UserError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { discordApiUrl } from '../api-url.ts';
import { EPHEMERAL, renderDiscord, type DiscordReply } from './commands.ts';

export interface DiscordOptions {
  /** The application's public key, hex (DISCORD_PUBLIC_KEY). */
  publicKey: string;
  /** Discord's API base URL (DISCORD_API_URL); Discord's own by default. */
  apiUrl?: string;
  ackBudgetMs?: number;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_SKEW_SECONDS = 300;

const enum Type {
  Ping = 1,
  Command = 2,
  Component = 3,
  Autocomplete = 4,
}
const enum Callback {
  Pong = 1,
  Message = 4,
  DeferredMessage = 5,
  DeferredUpdate = 6,
  Update = 7,
  Choices = 8,
}

interface Option {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: Option[];
}
interface Interaction {
  type: number;
  application_id: string;
  token: string;
  guild_id?: string;
  channel_id?: string;
  member?: { user?: { id: string } };
  user?: { id: string };
  data?: { name?: string; options?: Option[]; custom_id?: string };
}

export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex.trim()))
    throw new UserError('DISCORD_PUBLIC_KEY must be the 64 hex characters shown on the application page');
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex.trim(), 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

export function verifySignature(key: KeyObject, signature: string, timestamp: string, body: Buffer): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, 'hex'));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function optionsOf(options: Option[] = []): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(options.map((o) => [o.name, o.value]));
}

type Rest = {
  patch(route: string, init: object): Promise<unknown>;
  post(route: string, init: object): Promise<unknown>;
};

export function createDiscordHandler(
  options: DiscordOptions,
  deps: CommandDeps,
  log: Logger,
): (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> {
  const key = publicKeyFromHex(options.publicKey);
  const budget = options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS;
  let rest: Promise<{ rest: Rest; routes: typeof DiscordRoutes }> | undefined;
  const client = () =>
    (rest ??= import('discord.js').then(({ REST, Routes }) => ({
      rest: new REST({ version: '10', api: discordApiUrl(options.apiUrl) }),
      routes: Routes,
    })));

  /** Replies that did not fit the interaction response: the original edited, then follow-ups. */
  async function complete(i: Interaction, replies: DiscordReply[], editOriginal: boolean): Promise<void> {
    const { rest, routes } = await client();
    for (const [index, reply] of replies.entries()) {
      if (index === 0 && editOriginal)
        await rest.patch(routes.webhookMessage(i.application_id, i.token), { body: reply, auth: false });
      else await rest.post(routes.webhook(i.application_id, i.token), { body: reply, auth: false });
    }
  }

  function later(what: string, work: Promise<void>): void {
    work.catch((error: Error) => log.error({ err: { message: error.message } }, `discord ${what} failed`));
  }

  function who(i: Interaction): Invocation {
    const userId = i.member?.user?.id ?? i.user?.id ?? '';
    return {
      platform: 'discord',
      channelId: i.channel_id ?? '',
      workspace: i.guild_id ?? `dm:${userId}`,
      userId,
    };
  }

  function autocomplete(i: Interaction): unknown {
    const focused = i.data?.options?.[0]?.options?.find((o) => o.focused);
    const typed = foldForMatch(String(focused?.value ?? ''));
    const entities = deps.entities.entities;
    const names = (e: (typeof entities)[number]) =>
      [e.name, e.id, ...e.aliases.en, ...e.aliases.ja].map(foldForMatch);
    const matching = typed
      ? [
          ...entities.filter((e) => names(e).some((n) => n.startsWith(typed))),
          ...entities.filter((e) => names(e).some((n) => n.includes(typed))),
          ...deps.entities.suggest(typed, 5).flatMap((name) => entities.filter((e) => e.name === name)),
        ]
      : [...entities];
    const unique = [...new Map(matching.map((e) => [e.id, e])).values()].slice(0, 25);
    return {
      type: Callback.Choices,
      data: { choices: unique.map((e) => ({ name: e.name.slice(0, 100), value: e.id })) },
    };
  }

  return async (req, res, body) => {
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
    const signature = String(req.headers['x-signature-ed25519'] ?? '');
    const timestamp = String(req.headers['x-signature-timestamp'] ?? '');
    if (!verifySignature(key, signature, timestamp, body))
      return send(res, 401, { error: 'invalid request signature' });
    let i: Interaction;
    try {
      i = JSON.parse(body.toString('utf8')) as Interaction;
    } catch {
      return send(res, 400, { error: 'not JSON' });
    }

    if (i.type === Type.Ping) return send(res, 200, { type: Callback.Pong });
    if (i.type === Type.Autocomplete) return send(res, 200, autocomplete(i));
    if (i.type === Type.Command) {
      const sub = i.data?.options?.[0];
      const command =
        i.data?.name === 'aiwatch' && sub
          ? parseOptions(sub.name, optionsOf(sub.options))
          : { verb: 'help' as const };
      const work = runSafely(command, who(i), deps, log).then(renderDiscord);
      const ready = await within(work, budget);
      if (ready) {
        send(res, 200, { type: Callback.Message, data: ready[0] });
        if (ready.length > 1) later('follow-up', complete(i, ready.slice(1), false));
        return;
      }
      const flags = visibilityOf(command.verb) === 'ephemeral' ? EPHEMERAL : 0;
      send(res, 200, { type: Callback.DeferredMessage, data: { flags } });
      later(
        'deferred answer',
        work.then((replies) => complete(i, replies, true)),
      );
      return;
    }
    if (i.type === Type.Component) {
      const command = parseToken(i.data?.custom_id ?? '');
      if (!command) return send(res, 200, { type: Callback.DeferredUpdate });
      const work = runSafely(command, who(i), deps, log).then(renderDiscord);
      const ready = await within(work, budget);
      if (ready) return send(res, 200, { type: Callback.Update, data: ready[0] });
      send(res, 200, { type: Callback.DeferredUpdate });
      later(
        'page update',
        work.then((replies) => complete(i, replies.slice(0, 1), true)),
      );
      return;
    }
    send(res, 400, { error: `unsupported interaction type ${i.type}` });
  };
}
