/**
 * The web archive at scale: Redis holding 100,000 events and 500,000 items (written through the
 * real store's commit script and indexed by the real search index, under a throw-away prefix
 * removed afterwards), the real HTTP server, and p50/p95/p99 of each page and feed as a browser
 * would wait for it (request to last byte, over a kept-alive connection). Goal: timeline and
 * event page under 50 ms p99.
 *   npm run bench -- web        BENCH_EVENTS=20000 for a quicker run
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteByPrefix, loadApp } from '../src/cli/context.ts';
import type { Entity } from '../src/core/entities.ts';
import type { EventRecord, Lang, StoredItem } from '../src/core/types.ts';
import { logger } from '../src/shared/log.ts';
import { redisUrl } from '../src/redis/connect.ts';
import { createSearchIndex } from '../src/search/index.ts';
import { startServer } from '../src/server/server.ts';
import { createRedisEventStore, pipelineCommit } from '../src/store/redis-store.ts';
import { createArchive } from '../src/web/archive.ts';
import { createWebHandler } from '../src/web/handler.ts';
import { seededRandom } from '../src/core/random.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ITEMS_PER_EVENT = 5;
const RUNS = 300;
const WARMUP = 30;
const DAY = 86_400_000;

const rand = seededRandom(20261206);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const WORDS_EN =
  'sovereign model compute data centre supercomputer investment partnership launch trillion yen startup chip semiconductor cloud training inference language robot factory subsidy government ministry billion research open weights benchmark'.split(
    ' ',
  );
const WORDS_JA =
  '生成 国産 大規模 言語 モデル 計算 基盤 投資 提携 公開 半導体 補助 政府 研究 開発 学習 推論'.split(' ');
const OUTLETS = [
  'Nikkei Asia',
  'ITmedia AI+',
  'The Register',
  'Reuters',
  'ASCII.jp',
  'Bloomberg',
  'Impress Watch',
];

/** Events over the last two years, a company or three each (popular companies more often), 40% in both languages. */
function* generate(companies: readonly Entity[]): Generator<{ event: EventRecord; items: StoredItem[] }> {
  const now = Date.now();
  for (let e = 0; e < EVENTS; e++) {
    const chosen = [
      ...new Set(
        Array.from(
          { length: 1 + Math.floor(rand() * 3) },
          () => companies[Math.floor(companies.length * rand() ** 3)]!,
        ),
      ),
    ];
    const id = `e-w${e.toString(16).padStart(11, '0')}`;
    const first = now - Math.floor(rand() * 730 * DAY);
    const en = `${chosen[0]!.name} ${Array.from({ length: 8 }, () => pick(WORDS_EN)).join(' ')}`;
    const titles: Partial<Record<Lang, string>> = { en };
    if (rand() < 0.4)
      titles.ja = `${chosen[0]!.aliases.ja[0] ?? chosen[0]!.name}、${Array.from({ length: 5 }, () => pick(WORDS_JA)).join('')}`;
    const items: StoredItem[] = Array.from({ length: ITEMS_PER_EVENT }, (_, i) => {
      const lang: Lang = titles.ja && i % 2 === 1 ? 'ja' : 'en';
      const published = new Date(first + i * 3_600_000).toISOString();
      return {
        id: `i-w${e.toString(16)}x${i}`,
        inputId: `${e}-${i}`,
        url: `https://news.example/${e}/${i}`,
        source: OUTLETS[(e + i) % OUTLETS.length]!,
        lang,
        title: titles[lang]!,
        summary: '',
        published,
        firstSeen: published,
        relevant: true,
        score: 6,
        companies: chosen.map((c) => c.id),
        reasons: [`Japanese actors: ${chosen.map((c) => c.name).join(', ')}`, 'AI: LLM'],
        terms: ['ai:LLM'],
        event: id,
      };
    });
    const last = items.at(-1)!.published;
    yield {
      items,
      event: {
        id,
        title: en,
        titles,
        firstSeen: items[0]!.published,
        lastSeen: last,
        updatedAt: last,
        sources: [...new Set(items.map((i) => i.source))],
        langs: [...new Set(items.map((i) => i.lang))],
        companies: chosen.map((c) => c.id),
        itemIds: items.map((i) => i.id),
        reasons: items[0]!.reasons,
        profile: { entities: {}, numbers: [], names: [], shingles: [], words: [] },
      },
    };
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export default async function webBench(): Promise<void> {
  const { core } = loadApp();
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const prefix = `aiwatch-bench:web:${randomUUID().slice(0, 8)}:`;
  const store = createRedisEventStore(redis, prefix);
  const search = createSearchIndex(redis, prefix);
  const companies = core.registry.entities.filter((e) => e.kind !== 'place');
  const ids: string[] = [];
  try {
    const load = performance.now();
    let batch: { event: EventRecord; items: StoredItem[] }[] = [];
    const flush = async () => {
      // The batch's n-th articles in one pipeline, round after round: each joins its event at the
      // version the round before returned ('ok:<version>'; versions come from the store's counter).
      const versions = new Map<string, number>();
      for (let round = 0; batch.some(({ items }) => items.length > round); round++) {
        const pipeline = redis.pipeline();
        const events: string[] = [];
        for (const { event, items } of batch) {
          const item = items[round];
          if (!item) continue;
          events.push(event.id);
          const version = versions.get(event.id);
          pipelineCommit(pipeline, prefix, {
            item,
            urlKey: item.url,
            event,
            indexKeys: [],
            versions: version === undefined ? {} : { [`e:${event.id}`]: version },
          });
        }
        for (const [i, [error, reply]] of ((await pipeline.exec()) ?? []).entries()) {
          if (error || typeof reply !== 'string' || !reply.startsWith('ok:'))
            throw new Error(`bench load: ${String(error ?? reply)}`);
          versions.set(events[i]!, Number(reply.slice(3)));
        }
      }
      await search.indexEvents(batch);
      batch = [];
    };
    for (const generated of generate(companies)) {
      batch.push(generated);
      if (ids.length % 50 === 0) ids.push(generated.event.id);
      if (batch.length === 500) await flush();
    }
    await flush();
    console.log(
      `web: loaded ${EVENTS.toLocaleString('en-US')} events and ${(EVENTS * ITEMS_PER_EVENT).toLocaleString('en-US')} items in ${((performance.now() - load) / 1000).toFixed(1)} s`,
    );

    const archive = createArchive({ redis, prefix, store, search, entities: core.registry });
    const server = await startServer({
      commands: { store, search, channels: undefined as never, entities: core.registry, admins: 'anyone' },
      log: logger.child({}, { level: 'silent' }),
      port: 0,
      host: '127.0.0.1',
      web: createWebHandler(archive, core.registry),
    });
    const popular = companies.slice(0, 10).map((c) => c.id);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const workloads: Record<string, () => string> = {
      'timeline /': () => (rand() < 0.5 ? '/' : '/?lang=ja'),
      'timeline page 2-10': () => `/?at=${20 * (1 + Math.floor(rand() * 9))}`,
      'timeline company': () => `/?company=${pick(popular)}`,
      'timeline lang=ja': () => `/?in=ja`,
      'timeline dates': () => {
        const from = Date.now() - Math.floor(rand() * 700) * DAY;
        return `/?from=${day(from)}&to=${day(from + 30 * DAY)}`;
      },
      'timeline search': () =>
        `/?q=${encodeURIComponent(pick([...WORDS_EN.slice(0, 10), ...WORDS_JA.slice(0, 5), 'ソフトバンク']))}`,
      'event page': () => `/events/${pick(ids)}${rand() < 0.5 ? '?lang=ja' : ''}`,
      'company page': () => `/companies/${pick(popular)}`,
      'feed.atom': () => (rand() < 0.5 ? '/feed.atom' : `/companies/${pick(popular)}/feed.json`),
    };
    try {
      for (const [name, next] of Object.entries(workloads)) {
        const times: number[] = [];
        for (let run = 0; run < WARMUP + RUNS; run++) {
          const path = next();
          const started = performance.now();
          const response = await fetch(`${server.url}${path}`);
          await response.text();
          if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
          if (run >= WARMUP) times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        const ms = (p: number) => `${percentile(times, p).toFixed(1)} ms`;
        console.log(
          `web: ${name.padEnd(18)} p50 ${ms(50)}  p95 ${ms(95)}  p99 ${ms(99)}  max ${times.at(-1)!.toFixed(1)} ms  (${RUNS} runs)`,
        );
      }
    } finally {
      await server.close();
    }
  } finally {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  }
}
