/** The web archive's pure parts: access rules, language, days, XML escaping, public links. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { buildAlert, buildDigest } from '../../src/core/digest.ts';
import { discordAlertMessage } from '../../src/core/digest-discord.ts';
import { slackAlertMessage } from '../../src/core/digest-slack.ts';
import { textDigest } from '../../src/core/digest-text.ts';
import type { EventRecord } from '../../src/core/types.ts';
import { checkAccess, isLoopback, webAuthFromEnv } from '../../src/web/access.ts';
import { negotiateLang, parseDay } from '../../src/web/handler.ts';
import { eventUrl, safeHttpUrl } from '../../src/web/urls.ts';
import { el, serializeXml } from '../../src/web/xml.ts';

const request = (remoteAddress: string, authorization?: string) =>
  ({
    socket: { remoteAddress },
    headers: authorization ? { authorization } : {},
  }) as unknown as IncomingMessage;
const none = new URLSearchParams();
const DIGEST_OPTIONS = {
  since: '2026-04-14T00:00:00.000Z',
  until: '2026-04-15T03:00:00.000Z',
  maxAgeDays: 3,
  maxEvents: 20,
  shown: new Map<string, number>(),
};

describe('web access', () => {
  it('without WEB_AUTH the archive answers loopback clients only', () => {
    const auth = webAuthFromEnv({});
    expect(auth).toEqual({ kind: 'loopback' });
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
      expect(checkAccess(auth, request(address), none)).toBe('ok');
    for (const address of ['10.0.0.5', '192.168.1.2', '::ffff:172.17.0.1', '2001:db8::1'])
      expect(checkAccess(auth, request(address), none)).toBe('forbidden');
    expect(isLoopback(undefined)).toBe(false);
    // A proxy on this machine forwards anyone's request from loopback: not the machine itself.
    const forwarded = {
      socket: { remoteAddress: '127.0.0.1' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    };
    expect(checkAccess(auth, forwarded as unknown as IncomingMessage, none)).toBe('forbidden');
  });

  it('WEB_AUTH=user:password asks everyone, loopback too, for both', () => {
    const auth = webAuthFromEnv({ WEB_AUTH: 'ana:pa:ss' });
    expect(auth).toEqual({ kind: 'basic', user: 'ana', password: 'pa:ss' });
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(checkAccess(auth, request('127.0.0.1'), none)).toBe('unauthorized');
    expect(checkAccess(auth, request('10.0.0.5', basic('ana:pa:ss')), none)).toBe('ok');
    expect(checkAccess(auth, request('10.0.0.5', basic('bob:pa:ss')), none)).toBe('unauthorized');
    expect(checkAccess(auth, request('10.0.0.5', basic('ana:pa')), none)).toBe('unauthorized');
  });

  it('a token is accepted as bearer, ?token= or Basic password; WEB_AUTH=open opens it', () => {
    const auth = webAuthFromEnv({ WEB_AUTH: 'tok' });
    expect(checkAccess(auth, request('10.0.0.5', 'Bearer tok'), none)).toBe('ok');
    expect(checkAccess(auth, request('10.0.0.5'), new URLSearchParams('token=tok'))).toBe('ok');
    expect(checkAccess(auth, request('10.0.0.5'), new URLSearchParams('token=tak'))).toBe('unauthorized');
    expect(checkAccess(webAuthFromEnv({ WEB_AUTH: 'open' }), request('10.0.0.5'), none)).toBe('ok');
  });
});

describe('web language and days', () => {
  it('?lang wins, then the first of en/ja in Accept-Language by quality, else English', () => {
    expect(negotiateLang(new URLSearchParams('lang=ja'), 'en')).toEqual({ lang: 'ja', chosen: 'ja' });
    expect(negotiateLang(none, 'ja-JP,ja;q=0.9,en;q=0.8')).toEqual({ lang: 'ja' });
    expect(negotiateLang(none, 'en;q=0.5, ja;q=0.8')).toEqual({ lang: 'ja' });
    expect(negotiateLang(none, 'fr, de')).toEqual({ lang: 'en' });
    expect(negotiateLang(new URLSearchParams('lang=xx'), undefined)).toEqual({ lang: 'en' });
  });

  it('a date is a day in Tokyo', () => {
    expect(parseDay('2026-04-15')).toBe(Date.parse('2026-04-15T00:00:00+09:00'));
    expect(parseDay('2026-04-15', true)).toBe(Date.parse('2026-04-16T00:00:00+09:00') - 1);
    expect(parseDay('15/04/2026')).toBeUndefined();
    expect(parseDay(null)).toBeUndefined();
  });
});

describe('web links and XML', () => {
  it('links only http(s); the event URL needs PUBLIC_URL', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,x')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl('https://a.example/x?y=1')).toBe('https://a.example/x?y=1');
    expect(eventUrl('e-1', undefined)).toBeNull();
    expect(eventUrl('e-1', 'https://aiwatch.example.com/')).toBe('https://aiwatch.example.com/events/e-1');
    expect(eventUrl('e-1', 'ftp://x')).toBeNull();
  });

  it('escapes text and attributes and drops characters XML cannot hold', () => {
    const xml = serializeXml(
      el('a', { href: 'x"<&>\n' }, 'Tom & <Jerry> ]]> \u0001\ud800', el('b', undefined)),
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<a href="x&quot;&lt;&amp;&gt;&#10;">Tom &amp; &lt;Jerry&gt; ]]&gt; </a>\n'.replace(
        '</a>',
        '<b/></a>',
      ),
    );
  });
});

describe('chat messages link to the event page', () => {
  it('a digest entry or alert with a page shows it in Slack, Discord and text', () => {
    const event: EventRecord = {
      id: 'e-abc123',
      title: 'SoftBank opens a model',
      titles: { en: 'SoftBank opens a model' },
      firstSeen: '2026-04-15T01:00:00.000Z',
      lastSeen: '2026-04-15T01:00:00.000Z',
      updatedAt: '2026-04-15T01:00:00.000Z',
      sources: ['Nikkei'],
      langs: ['en'],
      companies: ['softbank'],
      itemIds: [],
      reasons: ['AI: LLM'],
      profile: { entities: {}, numbers: [], names: [], shingles: [], words: [] },
    };
    const channel = { id: 'slack:C1', language: 'en' as const, timezone: 'Asia/Tokyo', subscriptions: [] };
    const alert = buildAlert(event, channel, new Map(), (id) => id);
    const page = eventUrl(event.id, 'https://aiwatch.example.com')!;
    alert.entry.page = page;
    expect(JSON.stringify(slackAlertMessage(alert))).toContain(`<${page}|${page}>`);
    expect(JSON.stringify(discordAlertMessage(alert))).toContain(page);
    const digest = {
      ...buildDigest([], channel, DIGEST_OPTIONS, new Map(), (id) => id),
      entries: [alert.entry],
    };
    expect(textDigest(digest)).toContain(page);
  });
});
