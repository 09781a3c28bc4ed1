/**
 * Slash-command latency at scale: Redis holding 100,000 events and 500,000 items
 * (written through the real store's commit and indexed by the real search index,
 * under a throw-away prefix removed afterwards), then p50/p95/p99 of latest,
 * company and search, each measured through the command core and both renderers,
 * as a user would wait for them. Goal: p99 under 100 ms.
 *   npm run bench -- commands        BENCH_EVENTS=20000 for a quicker run
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createRedisChannelRegistry } from '../src/channels/registry.ts';
import { renderDiscord } from '../src/chat/discord/commands.ts';
import { renderSlack } from '../src/chat/slack/commands.ts';
import { loadApp, deleteByPrefix } from '../src/cli/context.ts';
import { execute } from '../src/slash/execute.ts';
import { parseText } from '../src/slash/parse.ts';
import type { CommandDeps, Invocation } from '../src/slash/types.ts';
import type { Entity } from '../src/core/entities.ts';
import { foldForMatch } from '../src/core/normalise.ts';
import type { EventRecord, Lang, StoredItem } from '../src/core/types.ts';
import { redisUrl } from '../src/redis/connect.ts';
import { readItemsFile } from '../src/replay/items-file.ts';
import { createSearchIndex } from '../src/search/index.ts';
import { createRedisEventStore } from '../src/store/redis-store.ts';
import { storeKeys } from '../src/store/keys.ts';
import { seededRandom } from '../src/core/random.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ITEMS = EVENTS * 5;
const RUNS = 400;
const WARMUP = 50;
const DAY = 86_400_000;

const rand = seededRandom(20250101);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

/** Zipf-like choice: popular words and companies recur, most are rare, as in news. */
function zipf<T>(list: readonly T[]): () => T {
  const cdf: number[] = [];
  let sum = 0;
  list.forEach((_, i) => cdf.push((sum += 1 / (i + 1))));
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return list[lo]!;
  };
}

function vocabulary() {
  const items = readItemsFile(join(import.meta.dirname, '..', 'tests', 'fixtures', 'devset.jsonl'));
  const english = new Map<string, number>();
  const japanese = new Map<string, number>();
  for (const item of items) {
    const text = foldForMatch(`${item.title} ${item.summary}`);
    for (const word of text.match(/[a-z][a-z0-9-]{2,}/g) ?? [])
      english.set(word, (english.get(word) ?? 0) + 1);
    for (const run of text.match(/[\u3040-\u30ff\u3400-\u9fff]{2,}/g) ?? [])
      for (let i = 0; i + 2 <= run.length; i += 2) {
        const chunk = run.slice(i, i + 2 + (i % 3 === 0 ? 1 : 0));
        japanese.set(chunk, (japanese.get(chunk) ?? 0) + 1);
      }
  }
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  return { english: byCount(english), japanese: byCount(japanese) };
}

function generate(entities: readonly Entity[]) {
  const words = vocabulary();
  const en = zipf(words.english);
  const ja = zipf(words.japanese);
  const company = zipf(entities);
  const outlets = [
    'Nikkei Asia',
    'ITmedia AI+',
    'The Register',
    'Reuters',
    'ASCII.jp',
    'Bloomberg',
    'Impress Watch',
    'DCD',
  ];
  const titleEn = (names: string[]) =>
    [names[0], ...Array.from({ length: 6 + Math.floor(rand() * 6) }, en)]
      .join(' ')
      .replace(/^./, (c) => c.toUpperCase());
  const titleJa = (names: string[]) =>
    `${names[0]}、${Array.from({ length: 3 + Math.floor(rand() * 4) }, ja).join('')}「${en().toUpperCase()}」を公開`;
  const now = Date.now();
  let itemsLeft = ITEMS;

  return function* events(): Generator<{ event: EventRecord; items: StoredItem[] }> {
    for (let e = 0; e < EVENTS; e++) {
      const count =
        e === EVENTS - 1
          ? itemsLeft
          : Math.max(1, Math.min(itemsLeft - (EVENTS - e - 1), 1 + Math.floor(rand() * 9)));
      itemsLeft -= count;
      const companies = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, company))];
      const enNames = companies.map((c) => c.aliases.en[0] ?? c.name);
      const jaNames = companies.map((c) => c.aliases.ja[0] ?? c.name);
      const first = now - Math.floor(rand() * 730) * DAY - Math.floor(rand() * DAY);
      const id = `e-b${e.toString(16).padStart(11, '0')}`;
      const titles: Partial<Record<Lang, string>> = { en: titleEn(enNames) };
      if (rand() < 0.4) titles.ja = titleJa(jaNames);
      const items: StoredItem[] = [];
      for (let i = 0; i < count; i++) {
        const lang: Lang = titles.ja && i % 2 === 1 ? 'ja' : 'en';
        const published = new Date(first + i * 3_600_000).toISOString();
        const title =
          i === 0 || rand() < 0.5 ? titles[lang]! : lang === 'ja' ? titleJa(jaNames) : titleEn(enNames);
        items.push({
          id: `i-b${e.toString(16)}x${i}`,
          inputId: `${e}-${i}`,
          url: `https://news.example/${e}/${i}`,
          source: outlets[(e + i) % outlets.length]!,
          lang,
          title,
          summary: Array.from({ length: 30 }, lang === 'ja' ? ja : en).join(lang === 'ja' ? '' : ' '),
          published,
          firstSeen: published,
          relevant: true,
          score: 6,
          companies: companies.map((c) => c.id),
          reasons: ['Japanese actors: ' + enNames.join(', '), 'AI: LLM'],
          terms: ['ai:LLM'],
          event: id,
        });
      }
      const last = items.at(-1)!.published;
      const event: EventRecord = {
        id,
        title: titles.en!,
        titles,
        firstSeen: items[0]!.published,
        lastSeen: last,
        updatedAt: last,
        sources: [...new Set(items.map((i) => i.source))],
        langs: [...new Set(items.map((i) => i.lang))],
        companies: companies.map((c) => c.id),
        itemIds: items.map((i) => i.id),
        reasons: ['Japanese actors: ' + enNames.join(', '), 'AI: LLM'],
        profile: {
          entities: Object.fromEntries(companies.map((c) => [c.id, 3])),
          numbers: [],
          names: [],
          shingles: [],
          words: [],
        },
      };
      yield { event, items };
    }
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export default async function commandsBench(): Promise<void> {
  const { config, core } = loadApp();
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const prefix = `aiwatch-bench:commands:${randomUUID().slice(0, 8)}:`;
  try {
    const store = createRedisEventStore(redis, prefix);
    const search = createSearchIndex(redis, prefix);
    const load = performance.now();
    const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
    let batch: { event: EventRecord; items: StoredItem[] }[] = [];
    const flush = async () => {
      // Each event's items in order through the store's own commit, the events of a batch in parallel.
      await Promise.all(
        batch.map(async ({ event, items }) => {
          for (const [i, item] of items.entries()) {
            // Each article joins at the version the store holds (versions come from its counter).
            const version = Number(await redis.hget(storeKeys(prefix).versions, `e:${event.id}`));
            const outcome = await store.commit({
              item,
              urlKey: item.url,
              event,
              indexKeys: [],
              versions: i ? { [`e:${event.id}`]: version } : {},
            });
            if (outcome.status !== 'ok') throw new Error(`bench load: ${event.id} ${outcome.status}`);
          }
        }),
      );
      await search.indexEvents(batch);
      batch = [];
    };
    for (const generated of generate(config.entities)()) {
      batch.push(generated);
      if (batch.length === 1000) await flush();
    }
    await flush();
    const loadSeconds = (performance.now() - load) / 1000;
    const memory = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0) - memoryBefore;
    console.log(
      `commands: loaded ${EVENTS.toLocaleString('en-US')} events and ${ITEMS.toLocaleString('en-US')} items in ${loadSeconds.toFixed(1)} s (${(memory / 2 ** 20).toFixed(0)} MB in Redis)`,
    );

    const deps: CommandDeps = {
      store,
      search,
      channels: createRedisChannelRegistry(redis, prefix),
      entities: core.registry,
      admins: 'anyone',
    };
    const who: Invocation = { platform: 'slack', channelId: 'CBENCH', workspace: 'TBENCH', userId: 'UBENCH' };
    const words = vocabulary();
    const common = words.english.slice(0, 50);
    const rare = words.english.slice(500);
    const jaWords = words.japanese.slice(0, 200);
    const names = config.entities.flatMap((e) => [e.name, ...e.aliases.ja.slice(0, 1)]);
    const workloads: Record<string, () => string> = {
      latest: () => (rand() < 0.7 ? 'latest' : `latest ${pick([5, 20, 50, 100])}`),
      company: () => `company ${pick(names)}`,
      search: () =>
        pick([
          () => `search ${pick(common)}`,
          () => `search ${pick(common)} ${pick(common)}`,
          () => `search ${pick(rare)}`,
          () => `search ${pick(jaWords)}`,
          () => `search ${pick(jaWords)}${pick(jaWords)}`,
          () => `search ${pick(names)} ${pick(common)}`,
          () => `search ${pick(common)} zzzznomatch`,
        ])(),
    };
    for (const [name, next] of Object.entries(workloads)) {
      const times: number[] = [];
      for (let run = 0; run < WARMUP + RUNS; run++) {
        const text = next();
        const started = performance.now();
        const answer = await execute(parseText(text), who, deps);
        renderSlack(answer);
        renderDiscord(answer);
        if (run >= WARMUP) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const ms = (p: number) => `${percentile(times, p).toFixed(1)} ms`;
      console.log(
        `commands: ${name.padEnd(7)} p50 ${ms(50)}  p95 ${ms(95)}  p99 ${ms(99)}  max ${times.at(-1)!.toFixed(1)} ms  (${RUNS} runs)`,
      );
    }
  } finally {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  }
}
