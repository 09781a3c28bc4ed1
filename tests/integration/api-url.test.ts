/** SLACK_API_URL and DISCORD_API_URL work with or without a trailing slash, for every client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordApiUrl, slackApiUrl } from '../../src/chat/api-url.ts';
import { createDiscordPoster } from '../../src/chat/discord/post.ts';
import { registerCommands } from '../../src/chat/discord/register.ts';
import { createSlackPoster } from '../../src/chat/slack/post.ts';
import { logger } from '../../src/shared/log.ts';
import { startDiscordServer, startSlackServer, type ChatServer } from '../helpers/chat-servers.ts';
import { recordingServer } from '../helpers/http.ts';

const silent = logger.child({}, { level: 'silent' });
let slack: ChatServer;
let discord: ChatServer;

beforeAll(async () => {
  [slack, discord] = await Promise.all([startSlackServer(), startDiscordServer()]);
});
afterAll(async () => {
  await Promise.all([slack.close(), discord.close()]);
});

describe('API base URLs', () => {
  it('are normalised the same way whatever the trailing slashes', () => {
    for (const url of ['http://h/api', 'http://h/api/', 'http://h/api//', ' http://h/api/ '])
      expect([slackApiUrl(url), discordApiUrl(url)]).toEqual(['http://h/api/', 'http://h/api']);
    expect([slackApiUrl(), discordApiUrl('')]).toEqual(['https://slack.com/api/', 'https://discord.com/api']);
  });

  it.each(['/api', '/api/'])(
    'Slack posts reach chat.postMessage with SLACK_API_URL ending in "%s"',
    async (end) => {
      slack.reset();
      const poster = createSlackPoster({ token: 'xoxb-t', apiUrl: `${slack.url}${end}`, logger: silent });
      await poster.post('C1', poster.renderNotice('hello')[0]!);
      expect(slack.posts().map((r) => r.path)).toEqual(['/api/chat.postMessage']);
    },
  );

  it.each(['/api', '/api/'])(
    'Discord posts reach create message with DISCORD_API_URL ending in "%s"',
    async (end) => {
      discord.reset();
      const poster = createDiscordPoster({ token: 'bot-t', apiUrl: `${discord.url}${end}`, logger: silent });
      await poster.post('4242', poster.renderNotice('hello')[0]!);
      expect(discord.posts().map((r) => r.path)).toEqual(['/api/v10/channels/4242/messages']);
    },
  );

  it('registers the Discord commands with DISCORD_API_URL ending in a slash', async () => {
    const api = await recordingServer(() => ({ body: [{ id: '9', name: 'aiwatch' }] }));
    try {
      await registerCommands({ applicationId: '1100', botToken: 'bot-t', apiUrl: `${api.url}/api/` });
      expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'PUT /api/v10/applications/1100/commands',
      ]);
    } finally {
      await api.close();
    }
  });
});
