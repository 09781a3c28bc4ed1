/**
 * The Slack adapter: a Bolt app answering /aiwatch. Over HTTP (Bolt's HTTPReceiver,
 * which verifies the signing secret and rejects requests older than five minutes),
 * or over Socket Mode when SLACK_APP_TOKEN is set. Every command is acknowledged
 * within Slack's three seconds: with the answer when it is ready in time, else
 * empty, the answer following through response_url.
 */
import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { parseText, parseToken } from '../../slash/parse.ts';
import { DEFAULT_ACK_BUDGET_MS, runSafely, within } from '../../slash/run.ts';
import type { Command, CommandDeps, Invocation } from '../../slash/types.ts';
import type { Logger } from '../../shared/log.ts';
import { slackApiUrl } from '../api-url.ts';
import { PAGE_ACTION, renderSlack, type SlackReply } from './commands.ts';

export interface SlackOptions {
  signingSecret: string;
  /** Only needed for Web API calls; commands answer through ack and response_url. */
  botToken?: string;
  /** An xapp- token: use Socket Mode instead of HTTP. */
  appToken?: string;
  /** Slack's Web API base URL (SLACK_API_URL); Slack's own by default. */
  apiUrl?: string;
  /** Time allowed for an answer before acknowledging empty and answering via response_url. */
  ackBudgetMs?: number;
}

export interface SlackAdapter {
  mode: 'http' | 'socket';
  /** Serves POST /slack/events (HTTP mode only). */
  requestListener?: RequestListener;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const child = log.child({ component: 'slack' });
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackApp(options: SlackOptions, deps: CommandDeps, log: Logger): SlackAdapter {
  const logger = boltLogger(log);
  const botToken = options.botToken;
  const common = {
    logger,
    authorize: async () => (botToken ? { botToken } : {}),
    clientOptions: { slackApiUrl: slackApiUrl(options.apiUrl) },
  };
  const receiver = options.appToken
    ? undefined
    : new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: '/slack/events', logger });
  const app = options.appToken
    ? new App({ ...common, socketMode: true, appToken: options.appToken })
    : new App({ ...common, receiver: receiver! });
  const budget = options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS;

  const run = (command: Command, who: Invocation) => runSafely(command, who, deps, log);

  // Exactly /aiwatch: a string matches the whole command name (a /^\/aiwatch/ pattern would take /aiwatchfoo).
  app.command('/aiwatch', async ({ command, ack, respond }) => {
    const who: Invocation = {
      platform: 'slack',
      channelId: command.channel_id,
      workspace: command.team_id,
      userId: command.user_id,
    };
    const work = run(parseText(command.text ?? ''), who);
    const ready = await within(work, budget);
    let replies: SlackReply[];
    if (ready) {
      const [first, ...rest] = renderSlack(ready);
      await ack(first);
      replies = rest;
    } else {
      await ack();
      replies = renderSlack(await work);
    }
    for (const reply of replies) await respond(reply);
  });

  app.action(PAGE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const value = action.type === 'button' ? action.value : undefined;
    const command = value ? parseToken(value) : null;
    if (!command || body.type !== 'block_actions') return;
    const who: Invocation = {
      platform: 'slack',
      channelId: body.channel?.id ?? '',
      workspace: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
    };
    const [reply] = renderSlack(await run(command, who));
    if (reply) await respond({ ...reply, replace_original: true });
  });

  // "Open" buttons carry a URL the client opens itself; Slack still expects an acknowledgement.
  app.action(/^aiwatch_open_/, async ({ ack }) => {
    await ack();
  });

  return {
    mode: options.appToken ? 'socket' : 'http',
    ...(receiver ? { requestListener: receiver.requestListener } : {}),
    async start() {
      if (options.appToken) await app.start();
    },
    async stop() {
      if (options.appToken) await app.stop();
    },
  };
}
