/** Stored events and items as the lines and details an answer shows. Pure. */
import type { EntityRegistry } from '../core/entities.ts';
import type { EventRecord, Lang, StoredItem } from '../core/types.ts';
import type { Article, EventDetail, EventLine } from './types.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "22 Aug 2025, 18:00 GMT+9" in the channel's time zone. */
export function formatWhen(iso: string, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
      });
    } catch {
      return formatWhen(iso, 'UTC');
    }
    formatters.set(timeZone, format);
  }
  const at = Date.parse(iso);
  return Number.isFinite(at) ? format.format(at) : iso;
}

export function headline(event: EventRecord, language: Lang): string {
  return event.titles[language] ?? event.title;
}

export interface ViewOptions {
  language: Lang;
  timeZone: string;
  entities: EntityRegistry;
}

export function eventLine(event: EventRecord, lead: StoredItem | undefined, view: ViewOptions): EventLine {
  return {
    id: event.id,
    title: headline(event, view.language),
    when: formatWhen(event.lastSeen, view.timeZone),
    at: event.lastSeen,
    outlets: event.sources,
    langs: event.langs,
    companies: event.companies.map((id) => view.entities.nameOf(id)),
    link: lead ? { url: lead.url, outlet: lead.source } : null,
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
    when: formatWhen(item.published, view.timeZone),
    at: item.published,
  }));
  return {
    id: event.id,
    title,
    ...(other ? { otherTitle: other } : {}),
    firstSeen: formatWhen(event.firstSeen, view.timeZone),
    lastSeen: formatWhen(event.lastSeen, view.timeZone),
    firstSeenAt: event.firstSeen,
    lastSeenAt: event.lastSeen,
    outlets: event.sources,
    langs: event.langs,
    companies: event.companies.map((id) => view.entities.nameOf(id)),
    reasons: event.reasons,
    articles,
    articleCount: sorted.length,
  };
}

export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', ja: 'Japanese' };

/** "3 outlets · English, Japanese" */
export function coverage(outlets: readonly string[], langs: readonly Lang[]): string {
  const count = `${outlets.length} ${outlets.length === 1 ? 'outlet' : 'outlets'}`;
  return `${count} · ${langs.map((l) => LANGUAGE_NAMES[l]).join(', ')}`;
}
