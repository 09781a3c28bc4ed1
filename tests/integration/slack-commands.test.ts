import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { CommandDeps } from '../../src/slash/types.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { devsetDeps, slowed } from '../helpers/commands.ts';
import { recordingServer } from '../helpers/http.ts';
import { nextTriggerId, slackCommandForm, slackSignature } from '../helpers/slack.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { createRedisReplayGuard } from '../../src/http/replay-guard.ts';
import { channelKeys } from '../../src/channels/keys.ts';

const SECRET = 'test-signing-secret-0123456789abcdef';
const log = pino({ level: 'silent' });

interface SlackBody {
  response_type?: string;
  text?: string;
  replace_original?: boolean;
  blocks?: {
    type: string;
    text?: { type: string; text: string };
    elements?: { type: string; text?: string; value?: string; url?: string }[];
    accessory?: { url?: string };
    fields?: { text: string }[];
  }[];
}

/** Every text a user would read in a message, in order. */
function texts(body: SlackBody): string[] {
  return (body.blocks ?? []).flatMap((b) => [
    ...(b.text ? [b.text.text] : []),
    ...(b.fields ?? []).map((f) => f.text),
    ...(b.elements ?? []).flatMap((e) =>
      e.text ? [typeof e.text === 'string' ? e.text : (e.text as { text: string }).text] : [],
    ),
  ]);
}

const signed = (body: string, { secret = SECRET, ageSeconds = 0 } = {}) =>
  slackSignature(secret, body, { ageSeconds });

describe('Slack: /aiwatch through the real Bolt receiver', () => {
  let redis: Redis;
  let deps: CommandDeps;
  let server: RunningServer;
  let slow: RunningServer;
  let responses: Awaited<ReturnType<typeof recordingServer>>;
  const prefix = testPrefix('slack');

  const form = (text: string, over: Record<string, string> = {}) =>
    slackCommandForm(text, `${responses.url}/commands/1/2/3`, over);

  async function post(target: RunningServer, body: string, headers: Record<string, string> = signed(body)) {
    const res = await fetch(`${target.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    const raw = await res.text();
    return { status: res.status, raw, body: (raw ? JSON.parse(raw) : {}) as SlackBody };
  }
  const command = async (text: string, over: Record<string, string> = {}) => {
    const res = await post(server, form(text, over));
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    redis = await openTestRedis();
    ({ deps } = await devsetDeps(redis, prefix));
    responses = await recordingServer();
    server = await startServer({ commands: deps, log, port: 0, slack: { signingSecret: SECRET } });
    slow = await startServer({
      commands: slowed(deps, 400),
      log,
      port: 0,
      slack: { signingSecret: SECRET, ackBudgetMs: 100 },
    });
  });
  afterAll(async () => {
    await Promise.all([server?.close(), slow?.close(), responses?.close()]);
    await cleanup(redis, prefix);
    redis.disconnect();
  });

  it('latest 2 answers in the acknowledgement, only to the asker, as Block Kit with Open links', async () => {
    const body = await command('latest 2');
    expect(body.response_type).toBe('ephemeral');
    expect(body.blocks?.[0]).toMatchObject({ type: 'header', text: { text: 'The latest 2 events' } });
    const sections = body.blocks!.filter((b) => b.type === 'section');
    expect(sections).toHaveLength(2);
    expect(sections.every((s) => s.accessory?.url?.startsWith('https://'))).toBe(true);
    expect(body.blocks!.length).toBeLessThanOrEqual(50);
  });

  it('search 生成AI and company 三菱重工 work from Japanese input', async () => {
    expect(texts(await command('search 生成AI'))).toContain(
      'KDDI to take control of AI startup ELYZA to enter generative AI business',
    );
    const mhi = await command('company 三菱重工');
    expect(mhi.blocks?.[0]?.text?.text).toBe('Mitsubishi Heavy Industries');
    expect(texts(mhi)).toContain("Japan's AI ambitions got another notable development this week.");
  });

  it('event shows its articles with outlets, languages and reasons', async () => {
    const all = texts(await command('event e-238e69f0dd07')).join('\n');
    expect(all).toMatch(/Why it is relevant/);
    expect(all).toMatch(/\*Languages\*\nJapanese, English|\*Languages\*\nEnglish, Japanese/);
    for (const outlet of ['ITmedia AI+', 'The Register', 'Nikkei Asia']) expect(all).toContain(outlet);
  });

  it('subscribe ソフトバンク is announced in the channel and stored with the team', async () => {
    const body = await command('subscribe ソフトバンク', { channel_id: 'C0SUBS' });
    expect(body.response_type).toBe('in_channel');
    expect(body.blocks?.[0]?.text?.text).toBe('Following SoftBank');
    const channel = await deps.channels.get('slack:C0SUBS');
    expect(channel).toMatchObject({ workspace: 'T0TEAM1', subscriptions: ['softbank'] });
    expect((await command('subscribe SoftBank', { channel_id: 'C0SUBS' })).blocks?.[0]?.text?.text).toBe(
      'Already following SoftBank',
    );
    const other = await command('subscriptions', { channel_id: 'C0SUBS', team_id: 'T0INTRUDER' });
    expect(other.blocks?.[0]?.text?.text).toBe('Not available here');
  });

  it('unknown subcommands, unknown companies and empty results each say so', async () => {
    expect(texts(await command('lates 5'))).toContain('Did you mean “latest”?');
    expect(texts(await command('company Sofbank')).join(' ')).toMatch(/Closest known names: SoftBank/);
    expect(texts(await command('search quantum teleportation')).join(' ')).toMatch(/Nothing matches/);
    expect((await command('')).blocks?.[0]?.text?.text).toMatch(/aiwatch/);
  });

  it('user text is never markup or a mention: only in plain_text, and escaped in the fallback', async () => {
    // Slack sends what the user typed with & < > escaped, as here.
    const body = await command('search &lt;!channel&gt; &lt;@U0BOSS&gt; *bold* &amp; @here');
    expect(body.blocks?.[0]?.text).toEqual({
      type: 'plain_text',
      text: 'Search: “<!channel> <@U0BOSS> *bold* & @here”',
      emoji: false,
    });
    const mrkdwn = body
      .blocks!.flatMap((b) => [b.text, ...(b.elements ?? [])])
      .filter((t) => t?.type === 'mrkdwn');
    expect(mrkdwn.map((t) => (t as { text: string }).text).join(' ')).not.toMatch(/<!channel>|<@U0BOSS>/);
    expect(body.text).toContain('&lt;!channel&gt; &lt;@U0BOSS&gt; *bold* &amp; @here');
    expect(body.text).not.toMatch(/<!channel>|<@U0BOSS>/);
  });

  it('answers /aiwatch only, not a command that merely starts with it', async () => {
    const before = responses.requests.length;
    const res = await post(
      server,
      form('subscribe SoftBank', { command: '/aiwatchfoo', channel_id: 'C0FOO' }),
    );
    expect(res.raw).not.toMatch(/SoftBank|aiwatch/i);
    expect(res.status).not.toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(responses.requests.length).toBe(before);
    expect(await redis.exists(channelKeys(prefix).subscriptions('slack:C0FOO'))).toBe(0);
  });

  it('a bad, missing or stale signature gets 401 and changes nothing', async () => {
    const body = form('subscribe NEC', { channel_id: 'C0FORGED' });
    expect((await post(server, body, signed(body, { secret: 'wrong-secret' }))).status).toBe(401);
    expect((await post(server, body, {})).status).toBe(401);
    expect((await post(server, body, signed(body, { ageSeconds: 6 * 60 }))).status).toBe(401);
    const tampered = form('subscribe Sony', { channel_id: 'C0FORGED' });
    expect((await post(server, tampered, signed(body))).status).toBe(401);
    expect(await deps.channels.get('slack:C0FORGED')).toBeNull();
  });

  it('a replayed signed request and a timestamp 6 minutes ahead get 401', async () => {
    const body = form('subscribe Fujitsu', { channel_id: 'C0REPLAY' });
    const headers = signed(body);
    expect((await post(server, body, headers)).status).toBe(200);
    await deps.channels.remove('slack:C0REPLAY');
    const replayed = await post(server, body, headers);
    expect(replayed.status).toBe(401);
    expect(replayed.raw).toMatch(/already received/);
    expect(await deps.channels.get('slack:C0REPLAY')).toBeNull();
    const ahead = form('subscribe Fujitsu', { channel_id: 'C0AHEAD' });
    expect((await post(server, ahead, signed(ahead, { ageSeconds: -6 * 60 }))).status).toBe(401);
    expect(await deps.channels.get('slack:C0AHEAD')).toBeNull();
  });

  it('a request replayed to another server process of the deployment gets 401 too (signatures kept in Redis)', async () => {
    const guarded = await Promise.all(
      [1, 2].map(() =>
        startServer({
          commands: deps,
          log,
          port: 0,
          slack: { signingSecret: SECRET },
          replayGuard: createRedisReplayGuard(redis, prefix),
        }),
      ),
    );
    try {
      const body = form('subscriptions', { channel_id: 'C0TWO' });
      const headers = signed(body);
      expect((await post(guarded[0]!, body, headers)).status).toBe(200);
      const replayed = await post(guarded[1]!, body, headers);
      expect(replayed.status).toBe(401);
      expect(replayed.raw).toMatch(/already received/);
    } finally {
      await Promise.all(guarded.map((s) => s.close()));
    }
  });

  it('a body over 64 KB gets 413 before it is read whole, declared or streamed', async () => {
    const declared = await fetch(`${server.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x'.repeat(10 * 1024 * 1024),
    });
    expect(declared.status).toBe(413);
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024);
    const streamed = await fetch(`${server.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
      body: new ReadableStream({
        pull(controller) {
          sent += chunk.length;
          if (sent > 10 * 1024 * 1024) controller.close();
          else controller.enqueue(chunk);
        },
      }),
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('a slow answer is acknowledged empty at once and arrives through response_url', async () => {
    const before = responses.requests.length;
    const started = Date.now();
    const res = await post(slow, form('company SoftBank'));
    expect(res.status).toBe(200);
    expect(res.raw).toBe('');
    expect(Date.now() - started).toBeLessThan(3000);
    const [delivered] = (await responses.received(before + 1)).slice(before);
    expect(delivered!.url).toBe('/commands/1/2/3');
    const answer = delivered!.json() as SlackBody;
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.blocks?.[0]?.text?.text).toBe('SoftBank');
  });

  it('the Next button replaces the message with the next page', async () => {
    const first = await command('latest 12');
    const actions = first.blocks!.find((b) => b.type === 'actions')!;
    const next = actions.elements!.find((e) => e.value)!;
    const before = responses.requests.length;
    const payload = {
      type: 'block_actions',
      team: { id: 'T0TEAM1', domain: 'acme' },
      user: { id: 'U0USER1', team_id: 'T0TEAM1' },
      channel: { id: 'C0GENERAL', name: 'general' },
      api_app_id: 'A0APP',
      token: 'legacy',
      trigger_id: nextTriggerId(),
      response_url: `${responses.url}/actions/1`,
      container: { type: 'message', is_ephemeral: true },
      actions: [
        { type: 'button', action_id: 'aiwatch_page_next', block_id: 'b', value: next.value, action_ts: '1' },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    expect((await post(server, body)).status).toBe(200);
    const [delivered] = (await responses.received(before + 1)).slice(before);
    const page = delivered!.json() as SlackBody;
    expect(page.replace_original).toBe(true);
    expect(page.blocks!.filter((b) => b.type === 'section')).toHaveLength(2);
    expect(texts(page).join(' ')).toMatch(/11–12 of 12 · page 2 of 2/);
  });

  it('/healthz answers, and Discord is off without its key', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', slack: 'http', discord: 'off' });
    expect((await fetch(`${server.url}/discord/interactions`, { method: 'POST' })).status).toBe(404);
  });
});
