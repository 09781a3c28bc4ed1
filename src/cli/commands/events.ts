import type { Command } from 'commander';
import type { EventRecord, StoredItem } from '../../core/types.ts';
import { UsageError } from '../../shared/errors.ts';
import type { EventStore } from '../../store/types.ts';
import { withApp } from '../context.ts';

export interface EventView {
  id: string;
  title: string;
  firstSeen: string;
  lastSeen: string;
  updatedAt: string;
  companies: string[];
  sources: string[];
  langs: string[];
  /** Events merged into this one: their ids resolve to it. */
  mergedFrom: string[];
  items: { url: string; source: string; lang: string; title: string; published: string }[];
}

function view(event: EventRecord, items: StoredItem[]): EventView {
  const byId = new Map(items.map((item) => [item.id, item]));
  return {
    id: event.id,
    title: event.title,
    firstSeen: event.firstSeen,
    lastSeen: event.lastSeen,
    updatedAt: event.updatedAt,
    companies: event.companies,
    sources: event.sources,
    langs: event.langs,
    mergedFrom: event.mergedFrom ?? [],
    items: event.itemIds
      .map((id) => byId.get(id))
      .filter((item): item is StoredItem => item !== undefined)
      .map((item) => ({
        url: item.url,
        source: item.source,
        lang: item.lang,
        title: item.title,
        published: item.published,
      })),
  };
}

/** Stored events, most recently updated first, each with its items. */
export async function loadEventViews(
  store: EventStore,
  options: { since?: string; company?: string; limit?: number; id?: string } = {},
): Promise<EventView[]> {
  // One event by id: a merged event's id resolves to the event it was merged into.
  const events = options.id
    ? [await store.getEvent(options.id)].filter((e): e is EventRecord => e !== null)
    : await store.listEvents(options);
  const items = await store.getItems(events.flatMap((e) => e.itemIds));
  return events.map((event) => view(event, items));
}

function text(event: EventView): string {
  const sources = `${event.sources.length} source${event.sources.length === 1 ? '' : 's'} (${event.langs.join('/')})`;
  const lines = [
    `${event.firstSeen.slice(0, 10)}  ${event.title}`,
    `    ${sources}; ${event.companies.join(', ') || '-'}`,
  ];
  for (const item of event.items) lines.push(`    - [${item.lang}] ${item.source}: ${item.url}`);
  return lines.join('\n');
}

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('print the stored events with their items; REDIS_URL, AIWATCH_PREFIX')
    .option('--json', 'one JSON object per line')
    .option('--since <iso>', 'only events updated at or after this time')
    .option('--company <id>', 'only events about this entity id')
    .option('--limit <n>', 'at most this many events', (v: string) => Number(v))
    .option('--id <id>', 'only this event (the id of an event merged into another finds that one)')
    .action(
      async (options: { json?: boolean; since?: string; company?: string; limit?: number; id?: string }) => {
        if (options.since !== undefined && !Number.isFinite(Date.parse(options.since)))
          throw new UsageError(
            `--since expects an ISO date like 2026-04-15T00:00:00Z, not "${options.since}"`,
          );
        if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit > 0))
          throw new UsageError('--limit expects a positive whole number');
        const views = await withApp({}, (app) =>
          loadEventViews(app.store, {
            ...(options.since ? { since: new Date(options.since).toISOString() } : {}),
            ...(options.company ? { company: options.company } : {}),
            ...(options.limit ? { limit: options.limit } : {}),
            ...(options.id ? { id: options.id } : {}),
          }),
        );
        for (const event of views)
          process.stdout.write(options.json ? `${JSON.stringify(event)}\n` : `${text(event)}\n\n`);
        if (!options.json && !views.length) process.stdout.write('no events stored\n');
      },
    );
}
