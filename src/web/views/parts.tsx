/** Pieces shared by the pages: a time, an event in a list, the pager. */
import type { EntityRegistry } from '../../core/entities.ts';
import { formatTime } from '../../core/i18n/time.ts';
import type { Lang } from '../../core/types.ts';
import type { ListedEvent } from '../archive.ts';
import { webMessages } from '../messages.ts';
import { paths, withQuery } from '../urls.ts';
import type { PageContext } from './layout.tsx';

/** Times are shown in Tokyo's zone, where the news is; the ISO time is in the markup. */
export const TIME_ZONE = 'Asia/Tokyo';

export function Time({ iso, lang }: { iso: string; lang: Lang }) {
  return <time datetime={iso}>{formatTime(iso, TIME_ZONE, lang)}</time>;
}

/** The headline in the page's language when the event has one. */
export function headline(event: Pick<ListedEvent, 'title' | 'titles'>, lang: Lang): string {
  return event.titles[lang] ?? event.title;
}

/** The name a reader of the page's language knows (the registry's nameIn). */
export function companyName(entities: EntityRegistry, id: string, lang: Lang): string {
  return entities.nameIn(id, lang);
}

export function CompanyLinks({
  ids,
  ctx,
  entities,
}: {
  ids: readonly string[];
  ctx: PageContext;
  entities: EntityRegistry;
}) {
  return (
    <ul class="companies">
      {ids.map((id) => (
        <li key={id}>
          <a href={withQuery(paths.company(id), {}, ctx.chosen)}>{companyName(entities, id, ctx.lang)}</a>
        </li>
      ))}
    </ul>
  );
}

export function EventList({
  events,
  ctx,
  entities,
}: {
  events: readonly ListedEvent[];
  ctx: PageContext;
  entities: EntityRegistry;
}) {
  const m = webMessages(ctx.lang);
  return (
    <ol class="events">
      {events.map((event) => (
        <li key={event.id} class="event">
          <h3>
            <a href={withQuery(paths.event(event.id), {}, ctx.chosen)}>{headline(event, ctx.lang)}</a>
          </h3>
          <p class="meta">
            <span class="when">
              {m.firstSeen} <Time iso={event.firstSeen} lang={ctx.lang} />
            </span>
            <span class="outlets">
              {event.sources.join(', ')}{' '}
              <span class="langs">({event.langs.map((l) => m.langName[l]).join(' · ')})</span>
            </span>
          </p>
          {event.companies.length > 0 && <CompanyLinks ids={event.companies} ctx={ctx} entities={entities} />}
        </li>
      ))}
    </ol>
  );
}

export function Pager({
  ctx,
  base,
  params,
  offset,
  next,
  previous,
}: {
  ctx: PageContext;
  base: string;
  params: Record<string, string | undefined>;
  offset: number;
  next: number | null;
  /** The offset of the page before, when it is known (no language filter). */
  previous: number | null;
}) {
  const m = webMessages(ctx.lang);
  if (!offset && next === null) return null;
  return (
    <nav class="pager">
      {offset > 0 && <a href={withQuery(base, params, ctx.chosen)}>{m.newest}</a>}
      {offset > 0 && previous !== null && previous > 0 && (
        <a rel="prev" href={withQuery(base, { ...params, at: previous }, ctx.chosen)}>
          {m.previous}
        </a>
      )}
      {next !== null && (
        <a rel="next" href={withQuery(base, { ...params, at: next }, ctx.chosen)}>
          {m.older}
        </a>
      )}
    </nav>
  );
}
