/** Stored events and items as the lines and details an answer shows. Pure. */
import type { EntityRegistry } from '../core/entities.ts';
import { localiseReason } from '../core/digest.ts';
import { formatTime } from '../core/i18n/time.ts';
import type { EventRecord, Lang, StoredItem } from '../core/types.ts';
import type { Article, EventDetail, EventLine } from './types.ts';

/** "2025-08-22 18:00 JST" / "2025年8月22日 18:00 JST" in the channel's time zone. */
export function formatWhen(iso: string, timeZone: string, lang: Lang = 'en'): string {
  return formatTime(iso, timeZone, lang);
}

export function headline(event: EventRecord, language: Lang): string {
  return event.titles[language] ?? event.title;
}

export interface ViewOptions {
  language: Lang;
  timeZone: string;
  entities: EntityRegistry;
  /** The event's page in the web archive, when it has a public address. */
  pageOf?: (eventId: string) => string | null;
}

function pageOf(id: string, view: ViewOptions): { page?: string } {
  const page = view.pageOf?.(id);
  return page ? { page } : {};
}

export function eventLine(event: EventRecord, lead: StoredItem | undefined, view: ViewOptions): EventLine {
  return {
    id: event.id,
    title: headline(event, view.language),
    when: formatWhen(event.lastSeen, view.timeZone, view.language),
    at: event.lastSeen,
    outlets: event.sources,
    langs: event.langs,
    companies: event.companies.map((id) => view.entities.nameIn(id, view.language)),
    link: lead ? { url: lead.url, outlet: lead.source } : null,
    ...pageOf(event.id, view),
  };
}

export function eventDetail(
  event: EventRecord,
  items: readonly StoredItem[],
  page: { offset: number; limit: number },
  view: ViewOptions,
): EventDetail {
  const title = headline(event, view.language);
  const other = Object.values(event.titles).find((t) => t && t !== title);
  const sorted = [...items].sort(
    (a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id),
  );
  const articles: Article[] = sorted.slice(page.offset, page.offset + page.limit).map((item) => ({
    title: item.title,
    url: item.url,
    outlet: item.source,
    lang: item.lang,
    when: formatWhen(item.published, view.timeZone, view.language),
    at: item.published,
  }));
  return {
    id: event.id,
    ...pageOf(event.id, view),
    title,
    ...(other ? { otherTitle: other } : {}),
    firstSeen: formatWhen(event.firstSeen, view.timeZone, view.language),
    lastSeen: formatWhen(event.lastSeen, view.timeZone, view.language),
    firstSeenAt: event.firstSeen,
    lastSeenAt: event.lastSeen,
    outlets: event.sources,
    langs: event.langs,
    companies: event.companies.map((id) => view.entities.nameIn(id, view.language)),
    reasons: event.reasons.map((r) => localiseReason(r, view.language)),
    articles,
    articleCount: sorted.length,
  };
}
