/**
 * The web archive's HTTP routing: GET and HEAD only, nothing is ever written. Reads the request
 * (path, language, filters), asks the archive, hands what it read to a pure renderer, and sends
 * the result with headers that let no script run and no page be framed.
 *   /                         timeline (q, company, in=en|ja, from, to: YYYY-MM-DD in JST, at)
 *   /events/<id>              one event (a merged event's id redirects to the survivor)
 *   /companies[?q=name]       companies; a name in either script redirects to its page
 *   /companies/<id>[/feed.json|/feed.atom]
 *   /feed.json, /feed.atom    the newest events as JSON Feed 1.1 and Atom 1.0
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityRegistry } from '../core/entities.ts';
import type { Lang } from '../core/types.ts';
import { checkAccess, webAuthFromEnv, type WebAuth } from './access.ts';
import { startOfWeek, type Archive, type Chart, type TimelineQuery } from './archive.ts';
import { atomFeed, jsonFeed } from './feeds.ts';
import { webMessages } from './messages.ts';
import { STYLE_CSS } from './style.ts';
import { paths, publicBase, withQuery } from './urls.ts';
import type { PageContext } from './views/layout.tsx';
import { companiesPage, companyPage, eventPage, messagePage, timelinePage } from './views/pages.tsx';

export interface WebOptions {
  auth?: WebAuth;
  /** PUBLIC_URL: the archive's address in feeds and links; else the request's Host. */
  publicUrl?: string;
  pageSize?: number;
  feedSize?: number;
  now?: () => number;
}

/** Handles a request when it is for the archive; false leaves it to the other routes. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export const WEB_DEFAULTS = { pageSize: 20, feedSize: 50, chartWeeks: 12, chartCompanies: 5 } as const;

const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const ROUTES = /^\/(?:$|events\/|companies(?:\/|$)|feed\.(?:json|atom)$|assets\/style\.css$)/;
const DAY = 86_400_000;
const CHART_MAX_AGE_MS = 60_000;
const JST = 9 * 3_600_000;

export function webOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WebOptions {
  return { auth: webAuthFromEnv(env), ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}) };
}

/** The language a visitor reads: ?lang, else the first of en/ja in Accept-Language, else English. */
export function negotiateLang(
  query: URLSearchParams,
  acceptLanguage: string | undefined,
): { lang: Lang; chosen?: Lang } {
  const asked = query.get('lang');
  if (asked === 'ja' || asked === 'en') return { lang: asked, chosen: asked };
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((l) => (l.tag === 'ja' || l.tag === 'en') && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return { lang: ranked[0]?.tag === 'ja' ? 'ja' : 'en' };
}

/** A YYYY-MM-DD day in Tokyo as epoch ms: its start, or with `end` its last millisecond. */
export function parseDay(value: string | null, end = false): number | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const start = Date.parse(`${value}T00:00:00Z`) - JST;
  if (!Number.isFinite(start)) return undefined;
  return end ? start + DAY - 1 : start;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function createWebHandler(
  archive: Archive,
  entities: EntityRegistry,
  options: WebOptions = {},
): WebHandler {
  const auth = options.auth ?? { kind: 'loopback' };
  const pageSize = options.pageSize ?? WEB_DEFAULTS.pageSize;
  const feedSize = options.feedSize ?? WEB_DEFAULTS.feedSize;
  const now = options.now ?? Date.now;
  const base = publicBase(options.publicUrl);

  // The chart counts weeks: read at most once a minute (a page shows one up to a minute old while
  // the next is read), and at once when a new week starts.
  let chart: { at: number; week: number; value: Chart; refreshing?: Promise<void> } | undefined;
  const readChart = async (at: number) => {
    const value = await archive.chart(at, WEB_DEFAULTS.chartWeeks, WEB_DEFAULTS.chartCompanies);
    chart = { at, week: startOfWeek(at), value };
    return value;
  };
  async function chartAt(at: number): Promise<Chart> {
    if (!chart || chart.week !== startOfWeek(at)) return readChart(at);
    if (at - chart.at > CHART_MAX_AGE_MS && !chart.refreshing)
      chart.refreshing = readChart(at).then(
        () => undefined,
        () => void (chart && delete chart.refreshing),
      );
    return chart.value;
  }

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    extra: Record<string, string> = {},
  ) =>
    void res
      .writeHead(status, { 'content-type': type, 'cache-control': 'no-cache', ...SECURITY_HEADERS, ...extra })
      .end(body);
  const html = (res: ServerResponse, status: number, body: string) =>
    send(res, status, 'text/html; charset=utf-8', body, { vary: 'Accept-Language' });
  const redirect = (res: ServerResponse, status: 301 | 302, location: string) =>
    void res.writeHead(status, { location, ...SECURITY_HEADERS }).end();

  function baseOf(req: IncomingMessage): string {
    if (base) return base;
    const host = req.headers.host ?? '';
    return /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(host)
      ? `http://${host}`
      : `http://127.0.0.1:${req.socket.localPort ?? 80}`;
  }

  async function feed(req: IncomingMessage, res: ServerResponse, lang: Lang, kind: string, company?: string) {
    const { events } = await archive.timeline({
      ...(company ? { company } : {}),
      offset: 0,
      limit: feedSize,
    });
    const m = webMessages(lang);
    const input = {
      base: baseOf(req),
      lang,
      title: company ? m.feedFor(entities.nameOf(company)) : m.feedTitle,
      homePath: company ? paths.company(company) : '/',
      feedPath: company ? `${paths.company(company)}/feed` : '/feed',
      events,
      entities,
      now: new Date(now()).toISOString(),
    };
    if (kind === 'json') return send(res, 200, 'application/feed+json; charset=utf-8', jsonFeed(input));
    return send(res, 200, 'application/atom+xml; charset=utf-8', atomFeed(input));
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://archive.invalid');
    const path = url.pathname;
    if (!ROUTES.test(path)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'The archive is read-only: GET or HEAD.\n', {
        allow: 'GET, HEAD',
      });
      return true;
    }
    const access = checkAccess(auth, req, url.searchParams);
    if (access !== 'ok') {
      if (access === 'unauthorized')
        send(res, 401, 'text/plain; charset=utf-8', 'Authentication required.\n', {
          'www-authenticate': 'Basic realm="aiwatch", charset="UTF-8"',
        });
      else
        send(
          res,
          403,
          'text/plain; charset=utf-8',
          'The archive answers on loopback only: set WEB_AUTH to open it.\n',
        );
      return true;
    }
    if (path === '/assets/style.css') {
      send(res, 200, 'text/css; charset=utf-8', STYLE_CSS, { 'cache-control': 'public, max-age=3600' });
      return true;
    }
    const q = url.searchParams;
    const { lang, chosen } = negotiateLang(q, req.headers['accept-language']);
    const switched = new URLSearchParams(q);
    switched.set('lang', lang === 'ja' ? 'en' : 'ja');
    const ctx: PageContext = {
      lang,
      ...(chosen ? { chosen } : {}),
      switchHref: `${path}?${switched}`,
      now: now(),
    };
    const m = webMessages(lang);
    const offset = Math.max(0, Math.min(1_000_000, Number.parseInt(q.get('at') ?? '0', 10) || 0));

    if (path === '/feed.json' || path === '/feed.atom') {
      await feed(req, res, lang, path.endsWith('json') ? 'json' : 'atom');
      return true;
    }
    if (path === '/') {
      const company = q.get('company') ? entities.resolve(q.get('company')!)?.id : undefined;
      const filterLang = q.get('in') === 'ja' || q.get('in') === 'en' ? (q.get('in') as Lang) : undefined;
      const from = parseDay(q.get('from'));
      const to = parseDay(q.get('to'), true);
      const text = q.get('q')?.trim().slice(0, 200) || undefined;
      const query: TimelineQuery = {
        offset,
        limit: pageSize,
        ...(company ? { company } : {}),
        ...(filterLang ? { lang: filterLang } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(text ? { text } : {}),
      };
      const [page, chart] = await Promise.all([archive.timeline(query), offset ? null : chartAt(now())]);
      const filters = {
        offset,
        ...(company ? { company } : {}),
        ...(filterLang ? { lang: filterLang } : {}),
        ...(from !== undefined ? { from: q.get('from')! } : {}),
        ...(to !== undefined ? { to: q.get('to')! } : {}),
        ...(text ? { q: text } : {}),
      };
      html(res, 200, timelinePage({ ctx, entities, filters, page, chart, pageSize }));
      return true;
    }
    const eventMatch = /^\/events\/([^/]+)$/.exec(path);
    if (eventMatch) {
      const id = safeDecode(eventMatch[1]!);
      const found = await archive.event(id);
      if (!found) {
        html(res, 404, messagePage(ctx, m.notFound, m.notFoundEvent(id)));
        return true;
      }
      if (found.event.id !== id) {
        redirect(res, 301, withQuery(paths.event(found.event.id), { merged: id }, chosen));
        return true;
      }
      const merged = q.get('merged');
      const mergedId = merged && found.event.mergedFrom?.includes(merged) ? merged : undefined;
      html(res, 200, eventPage({ ctx, entities, ...found, ...(mergedId ? { mergedId } : {}) }));
      return true;
    }
    if (path === '/companies' || path === '/companies/') {
      const name = q.get('q')?.trim();
      const entity = name ? entities.resolve(name) : undefined;
      if (entity && entity.kind !== 'place') {
        redirect(res, 302, withQuery(paths.company(entity.id), {}, chosen));
        return true;
      }
      const ids = entities.entities.filter((e) => e.kind !== 'place').map((e) => e.id);
      const counts = await archive.companyCounts(ids);
      const notFound = name ? { notFound: name, suggestions: entities.suggest(name, 3) } : {};
      html(
        res,
        name ? 404 : 200,
        companiesPage({ ctx, entities, counts, ...(name ? { q: name } : {}), ...notFound }),
      );
      return true;
    }
    const companyMatch = /^\/companies\/([^/]+)(?:\/feed\.(json|atom))?$/.exec(path);
    if (companyMatch) {
      const name = safeDecode(companyMatch[1]!);
      const entity = entities.resolve(name);
      if (!entity || entity.kind === 'place') {
        const ids = entities.entities.filter((e) => e.kind !== 'place').map((e) => e.id);
        const counts = await archive.companyCounts(ids);
        html(
          res,
          404,
          companiesPage({
            ctx,
            entities,
            counts,
            q: name,
            notFound: name,
            suggestions: entities.suggest(name, 3),
          }),
        );
        return true;
      }
      const kind = companyMatch[2];
      if (entity.id !== name) {
        const target = kind
          ? paths.companyFeed(entity.id, kind as 'json' | 'atom')
          : paths.company(entity.id);
        redirect(res, 301, withQuery(target, { at: offset || undefined }, chosen));
        return true;
      }
      if (kind) {
        await feed(req, res, lang, kind, entity.id);
        return true;
      }
      const page = await archive.timeline({ company: entity.id, offset, limit: pageSize });
      html(res, 200, companyPage({ ctx, entities, entity, page, offset, pageSize }));
      return true;
    }
    html(res, 404, messagePage(ctx, m.notFound, m.badRequest));
    return true;
  };
}
