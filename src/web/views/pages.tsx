/** The pages, as pure functions from what was read to HTML text. */
import { localiseReason } from '../../core/digest.ts';
import type { Entity, EntityRegistry } from '../../core/entities.ts';
import type { EventRecord, Lang, StoredItem } from '../../core/types.ts';
import type { Chart, TimelinePage } from '../archive.ts';
import { webMessages } from '../messages.ts';
import { paths, safeHttpUrl, withQuery } from '../urls.ts';
import { WeeklyChart } from './chart.tsx';
import { Layout, renderPage, type PageContext } from './layout.tsx';
import { CompanyLinks, EventList, Pager, Time, companyName, headline } from './parts.tsx';

export interface TimelineFilters {
  company?: string;
  lang?: Lang;
  from?: string;
  to?: string;
  q?: string;
  offset: number;
}

const feedsOf = (title: string) => ({ atom: '/feed.atom', json: '/feed.json', title });

function filterParams(f: TimelineFilters): Record<string, string | undefined> {
  return { company: f.company, in: f.lang, from: f.from, to: f.to, q: f.q };
}

export function timelinePage(input: {
  ctx: PageContext;
  entities: EntityRegistry;
  filters: TimelineFilters;
  page: TimelinePage;
  chart: Chart | null;
  pageSize: number;
}): string {
  const { ctx, entities, filters, page, chart } = input;
  const m = webMessages(ctx.lang);
  const options = [...entities.entities]
    .filter((e) => e.kind !== 'place')
    .sort((a, b) => a.name.localeCompare(b.name));
  const previous = filters.lang ? null : Math.max(0, filters.offset - input.pageSize);
  return renderPage(
    <Layout ctx={ctx} title={m.timeline} feeds={feedsOf(m.feedTitle)}>
      <h1>{m.timeline}</h1>
      {chart && <WeeklyChart chart={chart} lang={ctx.lang} entities={entities} />}
      <form class="filters" method="get" action="/" aria-label={m.filters}>
        {ctx.chosen && <input type="hidden" name="lang" value={ctx.chosen} />}
        <label>
          {m.search}{' '}
          <input type="search" name="q" value={filters.q ?? ''} placeholder={m.searchPlaceholder} />
        </label>
        <label>
          {m.company}{' '}
          <select name="company">
            <option value="">{m.anyCompany}</option>
            {options.map((e) => (
              <option key={e.id} value={e.id} selected={e.id === filters.company}>
                {ctx.lang === 'ja' && e.aliases.ja[0] ? `${e.aliases.ja[0]} (${e.name})` : e.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m.language}{' '}
          <select name="in">
            <option value="">{m.anyLanguage}</option>
            {(['en', 'ja'] as const).map((l) => (
              <option key={l} value={l} selected={l === filters.lang}>
                {m.langName[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m.from} <input type="date" name="from" value={filters.from ?? ''} />
        </label>
        <label>
          {m.to} <input type="date" name="to" value={filters.to ?? ''} />
        </label>
        <button type="submit">{m.apply}</button>
        <a href={ctx.chosen ? `/?lang=${ctx.chosen}` : '/'}>{m.clear}</a>
      </form>
      {page.problem ? (
        <p class="notice">{m.searchProblem[page.problem]}</p>
      ) : (
        <p class="count">{m.eventsFound(page.total, page.atLeast)}</p>
      )}
      {page.events.length ? (
        <EventList events={page.events} ctx={ctx} entities={entities} />
      ) : (
        !page.problem && <p class="notice">{m.noEvents}</p>
      )}
      <Pager
        ctx={ctx}
        base="/"
        params={filterParams(filters)}
        offset={filters.offset}
        next={page.next}
        previous={previous}
      />
    </Layout>,
  );
}

function Article({ item, ctx }: { item: StoredItem; ctx: PageContext }) {
  const m = webMessages(ctx.lang);
  const href = safeHttpUrl(item.url);
  return (
    <li class="article" lang={item.lang}>
      <p class="title">
        {href ? (
          <a href={href} rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">
            {item.title}
          </a>
        ) : (
          item.title
        )}
      </p>
      <p class="meta">
        {item.source} · {m.langName[item.lang]} · {m.published} <Time iso={item.published} lang={ctx.lang} />
      </p>
    </li>
  );
}

export function eventPage(input: {
  ctx: PageContext;
  entities: EntityRegistry;
  event: EventRecord;
  items: StoredItem[];
  /** The id asked for, when it was an event merged into this one. */
  mergedId?: string;
}): string {
  const { ctx, entities, event, items, mergedId } = input;
  const m = webMessages(ctx.lang);
  const sorted = [...items].sort((a, b) => a.published.localeCompare(b.published));
  const title = headline(event, ctx.lang);
  const other: Lang = ctx.lang === 'ja' ? 'en' : 'ja';
  return renderPage(
    <Layout ctx={ctx} title={title} feeds={feedsOf(m.feedTitle)}>
      {mergedId && <p class="notice">{m.merged(mergedId)}</p>}
      <article class="event-page">
        <h1 lang={event.titles[ctx.lang] ? ctx.lang : undefined}>{title}</h1>
        {event.titles[other] && event.titles[other] !== title && (
          <p class="other-headline" lang={other}>
            {event.titles[other]}
          </p>
        )}
        <dl class="facts">
          <dt>{m.firstSeen}</dt>
          <dd>
            <Time iso={event.firstSeen} lang={ctx.lang} />
          </dd>
          <dt>{m.lastUpdated}</dt>
          <dd>
            <Time iso={event.updatedAt} lang={ctx.lang} />
          </dd>
          <dt>{m.outlets}</dt>
          <dd>
            {event.sources.join(', ')} ({event.langs.map((l) => m.langName[l]).join(' · ')})
          </dd>
          {event.companies.length > 0 && <dt>{m.companies}</dt>}
          {event.companies.length > 0 && (
            <dd>
              <CompanyLinks ids={event.companies} ctx={ctx} entities={entities} />
            </dd>
          )}
        </dl>
        <h2>{m.reasons}</h2>
        <ul class="reasons">
          {event.reasons.map((r, i) => (
            <li key={i}>{localiseReason(r, ctx.lang)}</li>
          ))}
        </ul>
        <h2>
          {m.articles} ({sorted.length})
        </h2>
        <ol class="articles">
          {sorted.map((item) => (
            <Article key={item.id} item={item} ctx={ctx} />
          ))}
        </ol>
        <p class="id">
          <code>{event.id}</code>
        </p>
      </article>
    </Layout>,
  );
}

export function companyPage(input: {
  ctx: PageContext;
  entities: EntityRegistry;
  entity: Entity;
  page: TimelinePage;
  offset: number;
  pageSize: number;
}): string {
  const { ctx, entities, entity, page, offset } = input;
  const m = webMessages(ctx.lang);
  const name = companyName(entities, entity.id, ctx.lang);
  const names = [entity.name, ...entity.aliases.en, ...entity.aliases.ja].filter(
    (n, i, all) => all.indexOf(n) === i && n !== name,
  );
  const base = paths.company(entity.id);
  return renderPage(
    <Layout
      ctx={ctx}
      title={name}
      feeds={{
        atom: paths.companyFeed(entity.id, 'atom'),
        json: paths.companyFeed(entity.id, 'json'),
        title: m.feedFor(entity.name),
      }}
    >
      <h1>{m.companyEvents(name)}</h1>
      {names.length > 0 && (
        <p class="aliases">
          {m.aliases}: {names.join(', ')}
        </p>
      )}
      <p class="count">{m.eventsFound(page.total, page.atLeast)}</p>
      {page.events.length ? (
        <EventList events={page.events} ctx={ctx} entities={entities} />
      ) : (
        <p class="notice">{m.noEvents}</p>
      )}
      <Pager
        ctx={ctx}
        base={base}
        params={{}}
        offset={offset}
        next={page.next}
        previous={Math.max(0, offset - input.pageSize)}
      />
    </Layout>,
  );
}

export function companiesPage(input: {
  ctx: PageContext;
  entities: EntityRegistry;
  counts: Map<string, number>;
  q?: string;
  notFound?: string;
  suggestions?: string[];
}): string {
  const { ctx, entities, counts } = input;
  const m = webMessages(ctx.lang);
  const listed = [...counts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return renderPage(
    <Layout ctx={ctx} title={m.companies} feeds={feedsOf(m.feedTitle)}>
      <h1>{input.notFound ? m.notFound : m.companies}</h1>
      {input.notFound && <p class="notice">{m.notFoundCompany(input.notFound)}</p>}
      {input.suggestions && input.suggestions.length > 0 && (
        <p>
          {m.didYouMean}{' '}
          {input.suggestions.map((s) => (
            <a key={s} class="suggestion" href={withQuery('/companies', { q: s }, ctx.chosen)}>
              {s}
            </a>
          ))}
        </p>
      )}
      <form class="filters" method="get" action="/companies">
        {ctx.chosen && <input type="hidden" name="lang" value={ctx.chosen} />}
        <label>
          {m.findCompany} <input type="search" name="q" value={input.q ?? ''} />
        </label>
        <button type="submit">{m.search}</button>
      </form>
      <ul class="company-list">
        {listed.map(([id, n]) => (
          <li key={id}>
            <a href={withQuery(paths.company(id), {}, ctx.chosen)}>{companyName(entities, id, ctx.lang)}</a>{' '}
            <span class="n">{m.eventCount(n)}</span>
          </li>
        ))}
      </ul>
    </Layout>,
  );
}

export function messagePage(ctx: PageContext, title: string, text: string): string {
  return renderPage(
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="notice">{text}</p>
    </Layout>,
  );
}
