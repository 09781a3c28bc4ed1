/** The read-only commands: latest, search, company, event. */
import { leadIn } from '../core/digest.ts';
import { messages } from '../core/i18n/messages.ts';
import type { EventRecord, Lang, StoredItem } from '../core/types.ts';
import { planQuery } from '../search/terms.ts';
import { pageToken } from './parse.ts';
import type { Answer, Command, CommandDeps, Pager } from './types.ts';
import { MAX_LATEST, PAGE_SIZE } from './types.ts';
import { eventDetail, eventLine, type ViewOptions } from './view.ts';

export const ARTICLES_PER_PAGE = 10;

type Paged<V extends string> = Extract<Command, { verb: V }>;

function answer(lang: Lang, title: string, lines: string[], tone: Answer['tone'] = 'info'): Answer {
  return { lang, visibility: 'ephemeral', tone, title, lines };
}

function pager(command: Command, page: number, hasMore: boolean, pages: number | null): Pager | undefined {
  if (page === 1 && !hasMore) return undefined;
  const prev = page > 1 ? pageToken(command, page - 1) : undefined;
  const next = hasMore ? pageToken(command, page + 1) : undefined;
  return { page, pages, ...(prev ? { prev } : {}), ...(next ? { next } : {}) };
}

/** Events with their earliest article, for the list views. */
async function lines(events: EventRecord[], deps: CommandDeps, view: ViewOptions) {
  // A bilingual event links to its article in the channel's language, so its items are read;
  // any other event links to its first article, the only one read.
  const lang = view.language;
  const wanted = events.flatMap((e) =>
    e.langs.length > 1 && e.titles[lang] !== undefined ? e.itemIds : e.itemIds.slice(0, 1),
  );
  const byId = new Map((await deps.store.getItems([...new Set(wanted)])).map((item) => [item.id, item]));
  return events.map((event) => eventLine(event, leadOf(event, byId, lang), view));
}

/** The article a digest would lead with in the channel's language, else the event's first. */
function leadOf(
  event: EventRecord,
  items: ReadonlyMap<string, StoredItem>,
  lang: Lang,
): StoredItem | undefined {
  return leadIn(event, items, lang) ?? items.get(event.itemIds[0] ?? '');
}

function range(lang: Lang, offset: number, shown: number, total: number | null, atLeast = false): string {
  return shown ? messages(lang).commands.range(offset + 1, offset + shown, total, atLeast) : '';
}

export async function latest(
  command: Paged<'latest'>,
  deps: CommandDeps,
  view: ViewOptions,
): Promise<Answer> {
  const offset = (command.page - 1) * PAGE_SIZE;
  const limit = Math.min(PAGE_SIZE, command.n - offset);
  const [events, count] = await Promise.all([
    limit > 0 ? deps.store.listEvents({ limit: offset + limit }) : Promise.resolve([]),
    deps.store.countEvents(),
  ]);
  const page = events.slice(offset);
  const total = Math.min(count, command.n, MAX_LATEST);
  const lang = view.language;
  const m = messages(lang).commands;
  if (!page.length) return answer(lang, m.latestTitle, [count ? m.noMoreEvents : m.noEventsYet]);
  return {
    ...answer(lang, m.latestN(command.n === 1 ? 1 : total), []),
    events: await lines(page, deps, view),
    footer: range(lang, offset, page.length, total),
    ...optional(
      'pager',
      pager(command, command.page, offset + page.length < total, Math.ceil(total / PAGE_SIZE)),
    ),
  };
}

export async function search(
  command: Paged<'search'>,
  deps: CommandDeps,
  view: ViewOptions,
): Promise<Answer> {
  const lang = view.language;
  const m = messages(lang).commands;
  const title = m.searchTitle(command.text);
  const plan = planQuery(command.text, deps.entities);
  if (plan.problem) return answer(lang, title, [m.searchProblem[plan.problem]], 'warn');
  const offset = (command.page - 1) * PAGE_SIZE;
  const found = await deps.search.search(plan.terms, { offset, limit: PAGE_SIZE });
  const events = await loadEvents(found.ids, deps);
  if (!events.length) {
    return answer(lang, title, [offset ? m.noMoreMatches : m.nothingMatches(command.text)]);
  }
  const more = found.atLeast ? events.length === PAGE_SIZE : offset + events.length < found.total;
  return {
    ...answer(lang, title, []),
    events: await lines(events, deps, view),
    footer: range(lang, offset, events.length, found.total, found.atLeast),
    ...optional(
      'pager',
      pager(command, command.page, more, found.atLeast ? null : Math.ceil(found.total / PAGE_SIZE)),
    ),
  };
}

export async function company(
  command: Paged<'company'>,
  deps: CommandDeps,
  view: ViewOptions,
): Promise<Answer> {
  const lang = view.language;
  const m = messages(lang).commands;
  const entity = deps.entities.resolve(command.name);
  if (!entity) return unknownCompany(command.name, deps, lang);
  const offset = (command.page - 1) * PAGE_SIZE;
  const events = await deps.store.listEvents({ company: entity.id, limit: offset + PAGE_SIZE + 1 });
  const page = events.slice(offset, offset + PAGE_SIZE);
  const title = deps.entities.nameIn(entity.id, lang);
  if (!page.length) return answer(lang, title, [offset ? m.noMoreEvents : m.noEventsAbout(title)]);
  const more = events.length > offset + PAGE_SIZE;
  return {
    ...answer(lang, title, []),
    events: await lines(page, deps, view),
    footer: range(lang, offset, page.length, more ? null : offset + page.length),
    ...optional('pager', pager({ ...command, name: entity.id }, command.page, more, null)),
  };
}

export function unknownCompany(name: string, deps: CommandDeps, lang: Lang): Answer {
  const m = messages(lang).commands;
  const closest = deps.entities.suggest(name, 3);
  return answer(
    lang,
    m.unknownCompanyTitle,
    [m.noCompanyCalled(name), closest.length ? m.closest(closest) : ''].filter(Boolean),
    'warn',
  );
}

export async function event(command: Paged<'event'>, deps: CommandDeps, view: ViewOptions): Promise<Answer> {
  const id = command.id.toLowerCase();
  const record =
    (await deps.store.getEvent(id)) ?? (id.startsWith('e-') ? null : await deps.store.getEvent(`e-${id}`));
  const lang = view.language;
  const m = messages(lang).commands;
  if (!record) return answer(lang, m.unknownEventTitle, [m.noEventWithId(command.id)], 'warn');
  const items: StoredItem[] = await deps.store.getItems(record.itemIds);
  const offset = (command.page - 1) * ARTICLES_PER_PAGE;
  const detail = eventDetail(record, items, { offset, limit: ARTICLES_PER_PAGE }, view);
  const pages = Math.max(1, Math.ceil(detail.articleCount / ARTICLES_PER_PAGE));
  return {
    ...answer(lang, detail.title, []),
    detail,
    footer: m.eventFooter(
      record.id,
      range(lang, offset, detail.articles.length, detail.articleCount) || m.noArticles,
    ),
    ...optional('pager', pager({ ...command, id: record.id }, command.page, command.page < pages, pages)),
  };
}

async function loadEvents(ids: readonly string[], deps: CommandDeps): Promise<EventRecord[]> {
  const events = await Promise.all(ids.map((id) => deps.store.getEvent(id)));
  return events.filter((e): e is EventRecord => e !== null);
}

/** `{ key: value }` when value is defined, else `{}`: for exactOptionalPropertyTypes-style spreads. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
