/**
 * Every page and feed of the web archive over plain HTTP, on the real server and Redis filled
 * with the devset: languages, filters, paging, merged ids, company aliases, escaping, access,
 * and the feeds read back by our own feed reader and checked against JSON Feed 1.1 and Atom 1.0.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisChannelRegistry } from '../../src/channels/registry.ts';
import { renderDiscord } from '../../src/chat/discord/commands.ts';
import { renderSlack } from '../../src/chat/slack/commands.ts';
import { execute } from '../../src/slash/execute.ts';
import { parseText } from '../../src/slash/parse.ts';
import type { EventRecord, StoredItem } from '../../src/core/types.ts';
import { parseFeed } from '../../src/feeds/parse.ts';
import { logger } from '../../src/shared/log.ts';
import { createSearchIndex } from '../../src/search/index.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { createRedisEventStore } from '../../src/store/redis-store.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { createArchive } from '../../src/web/archive.ts';
import { createWebHandler } from '../../src/web/handler.ts';
import { core } from '../helpers/fixtures.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { startArchive } from '../helpers/web.ts';

const NOW = Date.parse('2026-04-20T00:00:00Z');
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let redis: Redis;
let server: RunningServer;
let events: EventRecord[];
let serve: Awaited<ReturnType<typeof startArchive>>['serve'];
let commandDeps: Awaited<ReturnType<typeof startArchive>>['deps'];
const prefix = testPrefix('web-http');

beforeAll(async () => {
  redis = await openTestRedis();
  const started = await startArchive(redis, prefix, { now: () => NOW });
  ({ server, serve } = started);
  commandDeps = started.deps;
  events = await started.deps.store.listEvents();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await cleanup(redis, prefix);
  redis.disconnect();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
const page = async (path: string, headers: Record<string, string> = {}) => {
  const response = await get(path, headers);
  return { status: response.status, headers: response.headers, html: await response.text() };
};
/** Event ids linked from a page, in order. */
const linkedEvents = (html: string) =>
  [...html.matchAll(/<h3><a href="\/events\/([^"?]+)/g)].map((m) => m[1]!);
const byId = (id: string) => events.find((e) => e.id === id)!;

describe('web archive pages', () => {
  it('serves the timeline newest first with the security headers, in English by default', async () => {
    const { status, headers, html } = await page('/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).not.toContain('<script');
    const ids = linkedEvents(html);
    expect(ids).toEqual(events.slice(0, 20).map((e) => e.id));
    expect(html).toContain('<svg');
    expect(html).toContain('<polyline');
  });

  it('speaks Japanese with ?lang=ja or Accept-Language, and keeps the choice in its links', async () => {
    const chosen = await page('/?lang=ja');
    expect(chosen.html).toContain('<html lang="ja">');
    expect(chosen.html).toContain('タイムライン');
    expect(chosen.html).toContain('href="/companies?lang=ja"');
    const negotiated = await page('/', { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.8' });
    expect(negotiated.html).toContain('<html lang="ja">');
    expect(negotiated.headers.get('vary')).toBe('Accept-Language');
    const english = await page('/', { 'accept-language': 'fr, en;q=0.5, ja;q=0.4' });
    expect(english.html).toContain('<html lang="en">');
  });

  it('filters by company, language, date range and words, and pages without overlap', async () => {
    const softbank = linkedEvents((await page('/?company=softbank')).html);
    expect(softbank.length).toBeGreaterThan(0);
    expect(softbank.every((id) => byId(id).companies.includes('softbank'))).toBe(true);
    // A company filter accepts any alias: the Japanese name selects the same events.
    expect(linkedEvents((await page(`/?company=${encodeURIComponent('ソフトバンク')}`)).html)).toEqual(
      softbank,
    );

    const japanese = linkedEvents((await page('/?in=ja')).html);
    expect(japanese.length).toBeGreaterThan(0);
    expect(japanese.every((id) => byId(id).langs.includes('ja'))).toBe(true);
    expect(japanese).toEqual(
      events
        .filter((e) => e.langs.includes('ja'))
        .slice(0, 20)
        .map((e) => e.id),
    );

    const from = Date.parse('2024-01-01T00:00:00+09:00');
    const to = Date.parse('2024-12-31T23:59:59.999+09:00');
    const ranged = linkedEvents((await page('/?from=2024-01-01&to=2024-12-31')).html);
    const expected = events.filter((e) => Date.parse(e.updatedAt) >= from && Date.parse(e.updatedAt) <= to);
    expect(expected.length).toBeGreaterThan(0);
    expect(ranged).toEqual(expected.slice(0, 20).map((e) => e.id));

    const found = linkedEvents((await page('/?q=Sarashina')).html);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((id) => JSON.stringify(byId(id)).toLowerCase().includes('sarashina'))).toBe(true);
    const both = linkedEvents((await page(`/?q=${encodeURIComponent('富岳')}&company=fujitsu`)).html);
    expect(both.every((id) => byId(id).companies.includes('fujitsu'))).toBe(true);
    expect((await page('/?q=zzzznomatch')).html).toContain('No events match.');

    const first = await page('/');
    expect(first.html).toContain('href="/?at=20"');
    const second = linkedEvents((await page('/?at=20')).html);
    expect(second).toEqual(events.slice(20, 40).map((e) => e.id));
  });

  it('shows an event with every article, its companies, reasons and times; a merged id redirects', async () => {
    const event = events.find((e) => e.itemIds.length > 2 && e.titles.ja && e.titles.en)!;
    const { status, html } = await page(`/events/${event.id}`);
    expect(status).toBe(200);
    expect(html).toContain(`<h1 lang="en">${escape(event.titles.en!)}</h1>`);
    expect(html).toContain(escape(event.titles.ja!));
    expect(html.match(/<li class="article"/g)?.length).toBe(event.itemIds.length);
    expect(html).toContain('href="/companies/' + event.companies[0] + '"');
    expect(html).toContain(`<time datetime="${event.firstSeen}">`);
    expect(html).toContain(`<time datetime="${event.updatedAt}">`);
    const ja = await page(`/events/${event.id}?lang=ja`);
    expect(ja.html).toContain(`<h1 lang="ja">${escape(event.titles.ja!)}</h1>`);
    expect(ja.html).toContain('関連と判断した理由');

    const merged = events.find((e) => e.mergedFrom?.length)!;
    expect(merged).toBeDefined();
    const old = merged.mergedFrom![0]!;
    const redirect = await get(`/events/${old}`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(`/events/${merged.id}?merged=${old}`);
    expect((await page(`/events/${merged.id}?merged=${old}`)).html).toContain(`Event ${old} was merged`);
    expect((await page('/events/e-000000000000')).status).toBe(404);
  });

  it('finds a company under any alias in either script', async () => {
    const { status, html } = await page('/companies/softbank');
    expect(status).toBe(200);
    expect(html).toContain('Events about SoftBank');
    expect(linkedEvents(html).every((id) => byId(id).companies.includes('softbank'))).toBe(true);
    const byJapanese = await get(`/companies/${encodeURIComponent('ソフトバンク')}`);
    expect(byJapanese.status).toBe(301);
    expect(byJapanese.headers.get('location')).toBe('/companies/softbank');
    const byQuery = await get(`/companies?q=${encodeURIComponent('ソフトバンク')}&lang=ja`);
    expect(byQuery.status).toBe(302);
    expect(byQuery.headers.get('location')).toBe('/companies/softbank?lang=ja');
    const unknown = await page('/companies/softbnak');
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('SoftBank');
    const list = await page('/companies');
    expect(list.status).toBe(200);
    expect(list.html).toContain('href="/companies/softbank"');
  });

  it('is read-only and answers HEAD without a body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${server.url}/`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    const head = await fetch(`${server.url}/feed.atom`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });
});

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

describe('web archive feeds', () => {
  it('JSON Feed 1.1 of the newest events, following the spec', async () => {
    const response = await get('/feed.json');
    expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = (await response.json()) as Record<string, unknown> & { items: Record<string, unknown>[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(typeof feed.title).toBe('string');
    expect(feed.feed_url).toBe(`${server.url}/feed.json`);
    expect(feed.home_page_url).toBe(`${server.url}/`);
    expect(feed.items.map((i) => i.id)).toEqual(events.map((e) => `${server.url}/events/${e.id}`));
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(typeof item.content_text === 'string' || typeof item.content_html === 'string').toBe(true);
      expect(String(item.url)).toMatch(/^http:\/\//);
      expect(item.date_published).toMatch(RFC3339);
      expect(item.date_modified).toMatch(RFC3339);
      expect(Array.isArray(item.tags)).toBe(true);
    }
    const company = (await (await get('/companies/softbank/feed.json')).json()) as {
      items: { id: string }[];
    };
    expect(company.items.length).toBeGreaterThan(0);
    for (const item of company.items)
      expect(byId(item.id.split('/events/')[1]!).companies).toContain('softbank');
  });

  it('Atom 1.0 that our own reader reads back, with the required elements', async () => {
    const response = await get('/feed.atom?lang=ja');
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await response.text();
    // RFC 4287: the feed's id, title, updated, an author, a self link; each entry's id, title, updated, link.
    const head = xml.slice(0, xml.indexOf('<entry>'));
    for (const element of ['<id>', '<title type="text">', '<updated>', '<author><name>', 'rel="self"'])
      expect(head).toContain(element);
    const entries = xml.split('<entry>').slice(1);
    expect(entries.length).toBe(events.length);
    for (const entry of entries) {
      expect(entry).toMatch(/<id>http:\/\/[^<]+<\/id>/);
      expect(entry).toMatch(/<title type="text"[^>]*>[^<]+<\/title>/);
      expect(entry).toMatch(/<updated>[^<]+<\/updated>/);
      expect(entry).toContain('rel="alternate"');
      expect(RFC3339.test(/<updated>([^<]+)</.exec(entry)![1]!)).toBe(true);
    }
    const feed = await parseFeed(
      xml,
      { url: `${server.url}/feed.atom`, name: 'archive', lang: 'ja' },
      { now: new Date(NOW), maxItems: 500, charset: 'utf-8' },
    );
    expect(feed.format).toBe('atom');
    expect(feed.entries.length).toBe(events.length);
    const urls = new Set(feed.items.map((i) => i.url));
    for (const event of events) expect(urls.has(`${server.url}/events/${event.id}`)).toBe(true);
    const japanese = events.find((e) => e.titles.ja)!;
    expect(feed.items.map((i) => i.title)).toContain(japanese.titles.ja);
    for (const entry of feed.entries) expect(entry.published).not.toBeNull();

    const company = await parseFeed(
      await (await get('/companies/softbank/feed.atom')).text(),
      { url: `${server.url}/companies/softbank/feed.atom`, name: 'softbank', lang: 'en' },
      { now: new Date(NOW), maxItems: 500, charset: 'utf-8' },
    );
    expect(company.items.length).toBeGreaterThan(0);
    for (const item of company.items)
      expect(byId(item.url.split('/events/')[1]!).companies).toContain('softbank');
  });

  it('uses PUBLIC_URL as the address in feeds when it is set', async () => {
    const other = await serve({ publicUrl: 'https://aiwatch.example.com/', now: () => NOW });
    try {
      const feed = (await (await fetch(`${other.url}/feed.json`)).json()) as { feed_url: string };
      expect(feed.feed_url).toBe('https://aiwatch.example.com/feed.json');
    } finally {
      await other.close();
    }
  });
});

describe('chat answers link to the archive', () => {
  it('slash-command lists and event answers link to the event page when PUBLIC_URL is set', async () => {
    const who = { platform: 'slack' as const, channelId: 'CWEB', workspace: 'TWEB', userId: 'UWEB' };
    const event = events[0]!;
    const page = `https://aiwatch.example.com/events/${event.id}`;
    const before = process.env.PUBLIC_URL;
    try {
      delete process.env.PUBLIC_URL;
      const plain = await execute(parseText(`event ${event.id}`), who, commandDeps);
      expect(JSON.stringify(renderSlack(plain))).not.toContain('aiwatch.example.com');
      process.env.PUBLIC_URL = 'https://aiwatch.example.com/';
      const detail = await execute(parseText(`event ${event.id}`), who, commandDeps);
      expect(JSON.stringify(renderSlack(detail))).toContain(`<${page}>`);
      expect(JSON.stringify(renderDiscord(detail))).toContain(page);
      const latest = await execute(parseText('latest'), who, commandDeps);
      expect(JSON.stringify(renderSlack(latest))).toContain(`<${page}|${event.id}>`);
      expect(JSON.stringify(renderDiscord(latest))).toContain(`](${page})`);
    } finally {
      if (before === undefined) delete process.env.PUBLIC_URL;
      else process.env.PUBLIC_URL = before;
    }
  });
});

describe('web archive access', () => {
  it('WEB_AUTH=user:password protects every page and feed', async () => {
    const locked = await serve({ auth: { kind: 'basic', user: 'ana', password: 's3cret' } });
    try {
      for (const path of ['/', '/events/x', '/companies', '/companies/softbank/feed.atom', '/feed.json']) {
        const response = await fetch(`${locked.url}${path}`, { redirect: 'manual' });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toContain('Basic');
      }
      const wrong = Buffer.from('ana:nope').toString('base64');
      expect((await fetch(`${locked.url}/`, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(
        401,
      );
      const right = Buffer.from('ana:s3cret').toString('base64');
      expect((await fetch(`${locked.url}/`, { headers: { authorization: `Basic ${right}` } })).status).toBe(
        200,
      );
      // The chat endpoints and /healthz are not the archive's: they keep their own checks.
      expect((await fetch(`${locked.url}/healthz`)).status).toBe(200);
    } finally {
      await locked.close();
    }
  });

  it('a token works as a bearer, as ?token= (feed readers) or as a Basic password', async () => {
    const locked = await serve({ auth: { kind: 'token', token: 'tok-123' } });
    try {
      expect((await fetch(`${locked.url}/feed.atom`)).status).toBe(401);
      expect((await fetch(`${locked.url}/feed.atom?token=tok-123`)).status).toBe(200);
      expect((await fetch(`${locked.url}/`, { headers: { authorization: 'Bearer tok-123' } })).status).toBe(
        200,
      );
      const basic = Buffer.from('anyone:tok-123').toString('base64');
      expect((await fetch(`${locked.url}/`, { headers: { authorization: `Basic ${basic}` } })).status).toBe(
        200,
      );
    } finally {
      await locked.close();
    }
  });
});

describe('web archive output safety', () => {
  const evil = testPrefix('web-evil');
  afterAll(() => cleanup(redis, evil));

  it('escapes every title, outlet and reason, links only http(s), and keeps the feeds well-formed', async () => {
    const store = createRedisEventStore(redis, evil);
    const search = createSearchIndex(redis, evil);
    const registry = core().registry;
    const nasty = `<script>alert(1)</script> "quoted" & <img src=x onerror=alert(2)> ]]> \u0001`;
    const item = (n: number, url: string): StoredItem => ({
      id: `i-evil${n}`,
      inputId: `evil${n}`,
      url,
      source: `<b>Outlet ${n}</b>`,
      lang: 'en',
      title: `${nasty} ${n}`,
      summary: nasty,
      published: '2026-04-10T00:00:00.000Z',
      firstSeen: '2026-04-10T00:00:00.000Z',
      relevant: true,
      score: 5,
      companies: ['softbank'],
      reasons: [`Japanese actors: ${nasty}`],
      terms: [],
      event: 'e-evil00000001',
    });
    const items = [item(1, 'javascript:alert(3)'), item(2, 'https://news.example/ok?a=1&b="2"')];
    const event: EventRecord = {
      id: 'e-evil00000001',
      title: nasty,
      titles: { en: nasty, ja: `${nasty}（日本語）` },
      firstSeen: '2026-04-10T00:00:00.000Z',
      lastSeen: '2026-04-10T00:00:00.000Z',
      updatedAt: '2026-04-10T00:00:00.000Z',
      sources: items.map((i) => i.source),
      langs: ['en'],
      companies: ['softbank'],
      itemIds: items.map((i) => i.id),
      reasons: [`Japanese actors: ${nasty}`],
      profile: { entities: {}, numbers: [], names: [], shingles: [], words: [] },
    };
    // Each article joins at the version the store holds (versions come from the store's counter).
    for (const [i, it] of items.entries()) {
      const version = Number(await redis.hget(storeKeys(evil).versions, `e:${event.id}`));
      const outcome = await store.commit({
        item: it,
        urlKey: it.url,
        event,
        versions: i ? { [`e:${event.id}`]: version } : {},
      });
      expect(outcome.status).toBe('ok');
    }
    await search.indexEvent(event, items);
    const archive = createArchive({ redis, prefix: evil, store, search, entities: registry });
    const other = await startServer({
      commands: {
        store,
        search,
        channels: createRedisChannelRegistry(redis, evil),
        entities: registry,
        admins: 'anyone',
      },
      log: logger.child({}, { level: 'silent' }),
      port: 0,
      host: '127.0.0.1',
      web: createWebHandler(archive, registry, { now: () => NOW }),
    });
    try {
      for (const path of [
        '/',
        `/events/${event.id}`,
        `/events/${event.id}?lang=ja`,
        '/companies/softbank',
        '/?q=quoted',
      ]) {
        const html = await (await fetch(`${other.url}${path}`)).text();
        expect(html).not.toMatch(/<script|<img|<b>|javascript:/i);
        expect(html).toContain('&lt;script>alert(1)&lt;/script>');
      }
      const eventHtml = await (await fetch(`${other.url}/events/${event.id}`)).text();
      // The javascript: article is listed without a link; the https one is linked, its quotes escaped.
      expect(eventHtml.match(/<li class="article"/g)?.length).toBe(2);
      expect(eventHtml).toContain('href="https://news.example/ok?a=1&amp;b=%222%22"');

      const atom = await (await fetch(`${other.url}/feed.atom`)).text();
      expect(atom).not.toMatch(/<script|<img/);
      expect(atom).not.toContain('\u0001');
      const parsed = await parseFeed(
        atom,
        { url: `${other.url}/feed.atom`, name: 'evil', lang: 'en' },
        { now: new Date(NOW), maxItems: 10, charset: 'utf-8' },
      );
      expect(parsed.items[0]!.title).toBe(nasty.replace(' \u0001', '').trim());
      const json = (await (await fetch(`${other.url}/feed.json`)).json()) as { items: { title: string }[] };
      expect(json.items[0]!.title).toBe(nasty);
    } finally {
      await other.close();
    }
  });
});
