/**
 * Carries a deployment's Redis data from the flat key layout (every key straight under
 * `<prefix>`, as up to commit 716d159) to the hash-tagged layout (`<prefix>{store}:…`,
 * `<prefix>{channels}:…`, …), so that an upgrade keeps its events, search index, channels and
 * subscriptions, digest marks, deliveries and feed health.
 *
 * On one Redis only (the flat layout could not run on a cluster; RENAME across slots is refused
 * there): every key under the prefix is scanned, keys of the new layout (a `{`) are left alone,
 * and each key of a known old family is renamed to its new name, computed with the layout
 * modules (store/keys.ts, …). A new key that exists already is never overwritten: a set or a
 * sorted set is merged into it (union; a sorted set keeps the higher score), anything else is a
 * conflict, left in place and reported. A delivery record's effects name the digest keys they
 * write: those names are rewritten before the record moves. BullMQ's old keys (`<prefix>bull:…`)
 * are not moved (their scripts name their own keys; the schedulers are re-synced at start, and
 * a feed whose queued items were lost with them is read again in full): they are counted, and
 * removed only when asked (`dropOldQueues`).
 *
 * Idempotent and safe to stop at any point: each key moves in one command, the rewrite before it
 * is repeatable, and a second run finds what is left. When a run ends, `<prefix>layout` holds
 * LAYOUT_VERSION, so start-up checks one key before it scans anything.
 *
 * In src/cli (the `main` room) because it needs every store's layout, notify's and http's too.
 */
import type { Redis } from 'ioredis';
import { channelKeys } from '../channels/keys.ts';
import { feedKeys } from '../feeds/keys.ts';
import { httpKeys } from '../http/keys.ts';
import { llmKeys } from '../llm/keys.ts';
import { UserError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { notifyKeys } from '../notify/keys.ts';
import { isCluster, type RedisClient } from '../redis/client.ts';
import { execChecked } from '../redis/exec.ts';
import { searchKeys } from '../search/keys.ts';
import { storeKeys } from '../store/keys.ts';

/** 2: the hash-tagged layout. (1, the flat layout, never wrote a marker.) */
export const LAYOUT_VERSION = '2';

/** Where a deployment records the layout its data is in. */
export function layoutMarker(prefix: string): string {
  return `${prefix}layout`;
}

/** The old BullMQ prefix (`<prefix>bull`), now `<prefix>{bull}` (redis/queue-prefix.ts). */
const OLD_QUEUE = 'bull:';

/** One old key family: its name after the prefix, and the new key of what follows it. */
export interface Family {
  /** The old name after the prefix: the whole name (`exact`), or its beginning. */
  old: string;
  exact: boolean;
  /** The new key for the rest of the old name ('' for an exact one); null when the rest does not parse. */
  to(rest: string): string | null;
}

/** `a:b:c` split at its last `:` (or its last two): ['a:b', 'c']; null without one. */
function splitLast(rest: string, parts: number): string[] | null {
  const out: string[] = [];
  let head = rest;
  for (let i = 1; i < parts; i++) {
    const at = head.lastIndexOf(':');
    if (at <= 0 || at === head.length - 1) return null;
    out.unshift(head.slice(at + 1));
    head = head.slice(0, at);
  }
  return [head, ...out];
}

/** `slack:C1:<key>` → ['slack:C1', '<key>']: a channel id has exactly one `:` (config/schemas.ts CHANNEL_ID). */
function splitChannel(rest: string): [string, string] | null {
  const first = rest.indexOf(':');
  const second = first < 0 ? -1 : rest.indexOf(':', first + 1);
  return second > first + 1 && second < rest.length - 1
    ? [rest.slice(0, second), rest.slice(second + 1)]
    : null;
}

/** Every family of the flat layout (git show 716d159:src/…), with its new name from the layout modules. */
export function oldFamilies(prefix: string): Family[] {
  const store = storeKeys(prefix);
  const search = searchKeys(prefix);
  const notify = notifyKeys(prefix);
  const feeds = feedKeys(prefix);
  const channels = channelKeys(prefix);
  const llm = llmKeys(prefix);
  const http = httpKeys(prefix);
  const exact = (old: string, key: string): Family => ({ old, exact: true, to: () => key });
  const under = (old: string, to: (rest: string) => string | null): Family => ({ old, exact: false, to });
  const families = [
    // store/redis-store.ts, store/retention.ts, worker/retention.ts
    under('item:', store.item),
    under('url:', store.url),
    under('guid:', store.guid),
    under('event:', store.event),
    under('prof:', store.profile),
    under('idx:', store.index),
    under('iv:', store.indexVersion),
    exact('ver', store.versions),
    exact('events:updated', store.updated),
    under('company:', store.company),
    under('alias:', store.alias),
    exact('retention:lock', store.retentionLock),
    // search/index.ts
    under('s:t:', search.term),
    under('s:ev:', search.event),
    // notify/delivery.ts, notify/digest-run.ts
    under('delivery:', (rest) => {
      const parts = splitChannel(rest);
      return parts && notify.delivery(...parts);
    }),
    under('digest-mark:', notify.digestMark),
    under('digest-shown:', notify.digestShown),
    // feeds/health.ts (the key named the feed id, `feed-<hash>`), feeds/article.ts
    under('feed:', feeds.health),
    under('article-host:', feeds.articleHost),
    // channels/registry.ts
    under('channel:', channels.channel),
    exact('channels', channels.all),
    exact('channels:config', channels.config),
    under('subs:', channels.subscriptions),
    under('subscribers:', channels.subscribers),
    under('channel-health:', channels.health),
    // llm/summaries.ts
    under('llm:text:', (rest) => {
      const parts = splitLast(rest, 3);
      return parts && llm.text(parts[0]!, parts[1]!, parts[2]!);
    }),
    under('llm:last:', (rest) => {
      const parts = splitLast(rest, 2);
      return parts && llm.last(parts[0]!, parts[1]!);
    }),
    under('llm:calls:', (rest) => (/^\d+$/.test(rest) ? llm.calls(Number(rest)) : null)),
    // http/replay-guard.ts
    under('seen-request:', http.seenRequest),
  ];
  // The longest name first, so that no family takes a key of a longer one.
  return families.sort((a, b) => b.old.length - a.old.length);
}

/** The new name of an old key (after the prefix), and the family that gives it; null when none does. */
export function newName(families: readonly Family[], rest: string): { family: Family; key: string } | null {
  for (const family of families) {
    if (family.exact ? rest !== family.old : !rest.startsWith(family.old) || rest === family.old) continue;
    const key = family.to(family.exact ? '' : rest.slice(family.old.length));
    if (key !== null) return { family, key };
  }
  return null;
}

export interface MigrationReport {
  dryRun: boolean;
  /** Keys renamed (or, in a dry run, to rename), by old family (`item:*`, `ver`, …). */
  moved: Record<string, number>;
  /** Old sets and sorted sets merged into a new key that existed already. */
  merged: string[];
  /** Old keys left in place: their new key exists and they cannot be merged into it. */
  conflicts: { old: string; new: string }[];
  /** Delivery records whose effects named old keys, rewritten. */
  rewritten: number;
  /** Old BullMQ keys (`<prefix>bull:…`): left, or removed with dropOldQueues. */
  oldQueueKeys: number;
  oldQueueKeysRemoved: number;
  /** Keys under the prefix of no known family (another deployment's prefix under this one, a crashed demo): left. */
  unknown: { count: number; examples: string[] };
  /** The marker's value before this run (null: none). */
  markerBefore: string | null;
}

export function movedCount(report: MigrationReport): number {
  return Object.values(report.moved).reduce((sum, n) => sum + n, 0) + report.merged.length;
}

/** Glob characters of a prefix taken literally in SCAN MATCH. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** An old delivery record with its effects' keys renamed; null when it needs no change. */
export function rewriteDelivery(raw: string, prefix: string, families: readonly Family[]): string | null {
  let record: { effects?: unknown };
  try {
    record = JSON.parse(raw) as { effects?: unknown };
  } catch {
    return null;
  }
  if (typeof record.effects !== 'string') return null;
  let effects: { hset?: unknown };
  try {
    effects = JSON.parse(record.effects) as { hset?: unknown };
  } catch {
    return null;
  }
  if (!Array.isArray(effects.hset)) return null;
  let changed = false;
  const hset = (effects.hset as unknown[]).map((op) => {
    if (!Array.isArray(op) || typeof op[0] !== 'string' || !op[0].startsWith(prefix)) return op;
    const target = op[0].slice(prefix.length);
    if (target.startsWith('{')) return op;
    const renamed = newName(families, target);
    if (!renamed) return op;
    changed = true;
    return [renamed.key, ...(op as unknown[]).slice(1)];
  });
  return changed ? JSON.stringify({ ...record, effects: JSON.stringify({ ...effects, hset }) }) : null;
}

type Outcome = 'moved' | 'merged' | 'conflict' | 'gone';

/** Merges an old set or sorted set into the existing new key (keeping its expiry); anything else is a conflict. */
async function mergeInto(redis: Redis, old: string, key: string, dryRun: boolean): Promise<Outcome> {
  const [oldType, newType] = await Promise.all([redis.type(old), redis.type(key)]);
  if (oldType === 'none') return 'gone';
  if (oldType !== newType || (oldType !== 'set' && oldType !== 'zset')) return 'conflict';
  if (dryRun) return 'merged';
  const ttl = await redis.pttl(key);
  const multi = redis.multi();
  if (oldType === 'set') multi.sunionstore(key, key, old);
  else multi.zunionstore(key, 2, key, old, 'AGGREGATE', 'MAX');
  multi.del(old);
  if (ttl > 0) multi.pexpire(key, ttl);
  await execChecked(multi);
  return 'merged';
}

/** Moves one page of old keys: RENAMENX in one pipeline, then the existing new keys one by one. */
async function movePage(
  redis: Redis,
  page: { old: string; key: string; label: string }[],
  report: MigrationReport,
): Promise<void> {
  const pipeline = redis.pipeline();
  for (const { old, key } of page) {
    if (report.dryRun) pipeline.exists(key);
    else pipeline.renamenx(old, key);
  }
  const replies = (await pipeline.exec()) ?? [];
  for (const [i, { old, key, label }] of page.entries()) {
    const [error, reply] = replies[i] ?? [new Error('no reply'), null];
    let outcome: Outcome;
    if (error) {
      // A key SCAN returned twice, or moved by a run alongside: nothing left to do.
      if (!/no such key/i.test(error.message)) throw error;
      outcome = 'gone';
    } else if (report.dryRun ? reply === 0 : reply === 1) outcome = 'moved';
    else outcome = await mergeInto(redis, old, key, report.dryRun);
    if (outcome === 'moved') report.moved[label] = (report.moved[label] ?? 0) + 1;
    else if (outcome === 'merged') report.merged.push(old);
    else if (outcome === 'conflict') report.conflicts.push({ old, new: key });
  }
}

export interface MigrateOptions {
  dryRun?: boolean;
  /** Remove the old BullMQ keys (their jobs are lost: pending alerts; a feed's lost items are read again). */
  dropOldQueues?: boolean;
}

/** Moves every key of the flat layout under `prefix` to its new name (see the top of this file). */
export async function migrateLayout(
  redis: RedisClient,
  prefix: string,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  if (isCluster(redis))
    throw new Error(
      'the old key layout could only run on one Redis: there is nothing to migrate on a cluster',
    );
  // With no prefix the walk would take every key of the database, another application's too.
  if (!prefix)
    throw new UserError('AIWATCH_PREFIX is empty: the key layout is migrated only under a prefix of its own');
  const dryRun = options.dryRun === true;
  const marker = layoutMarker(prefix);
  const families = oldFamilies(prefix);
  const report: MigrationReport = {
    dryRun,
    moved: {},
    merged: [],
    conflicts: [],
    rewritten: 0,
    oldQueueKeys: 0,
    oldQueueKeysRemoved: 0,
    unknown: { count: 0, examples: [] },
    markerBefore: await redis.get(marker),
  };
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    const page: { old: string; key: string; label: string }[] = [];
    const queueKeys: string[] = [];
    for (const old of keys) {
      const rest = old.slice(prefix.length);
      if (old === marker || rest.startsWith('{')) continue;
      if (rest.startsWith(OLD_QUEUE)) {
        queueKeys.push(old);
        continue;
      }
      const renamed = newName(families, rest);
      if (!renamed) {
        // A key of the new layout under a longer prefix (`aiwatch:staging:{store}:…`) is not ours to report.
        if (!rest.includes('{')) {
          report.unknown.count++;
          if (report.unknown.examples.length < 5) report.unknown.examples.push(old);
        }
        continue;
      }
      const label = renamed.family.exact ? renamed.family.old : `${renamed.family.old}*`;
      if (renamed.family.old === 'delivery:') {
        const raw = await redis.get(old);
        const rewritten = raw === null ? null : rewriteDelivery(raw, prefix, families);
        if (rewritten !== null) {
          if (!dryRun) await redis.set(old, rewritten, 'KEEPTTL');
          report.rewritten++;
        }
      }
      page.push({ old, key: renamed.key, label });
    }
    if (page.length) await movePage(redis, page, report);
    report.oldQueueKeys += queueKeys.length;
    if (options.dropOldQueues && !dryRun && queueKeys.length) {
      report.oldQueueKeysRemoved += await redis.unlink(...queueKeys);
    }
  } while (cursor !== '0');
  if (!dryRun) await redis.set(marker, LAYOUT_VERSION);
  return report;
}

/** Whether one of the flat layout's fixed keys is there (one EXISTS). */
async function oldFixedKeysExist(redis: RedisClient, prefix: string): Promise<boolean> {
  const fixed = oldFamilies(prefix).filter((f) => f.exact);
  return (await redis.exists(...fixed.map((f) => `${prefix}${f.old}`))) > 0;
}

/** Whether the data looks unmigrated: no marker, and one of the flat layout's fixed keys is there. */
export async function oldLayoutPresent(redis: RedisClient, prefix: string): Promise<boolean> {
  if (isCluster(redis) || !prefix || (await redis.get(layoutMarker(prefix))) === LAYOUT_VERSION) return false;
  return oldFixedKeysExist(redis, prefix);
}

/**
 * Start-up (`start`, `serve`, `poll --once`): on one Redis, unless the marker says it was done,
 * migrates and logs one line when it moved anything. Skipped on a cluster.
 */
export async function migrateAtStart(redis: RedisClient, prefix: string, log: Logger): Promise<void> {
  if (isCluster(redis) || !prefix) return;
  // Done before, unless an old process still running beside this one wrote flat keys since
  // (a rolling upgrade): then the walk runs again, moving what it wrote.
  if ((await redis.get(layoutMarker(prefix))) === LAYOUT_VERSION && !(await oldFixedKeysExist(redis, prefix)))
    return;
  const report = await migrateLayout(redis, prefix);
  const moved = movedCount(report);
  const fields = {
    moved,
    merged: report.merged.length,
    conflicts: report.conflicts.length,
    rewritten: report.rewritten,
    oldQueueKeys: report.oldQueueKeys,
  };
  if (!moved && !report.conflicts.length && !report.oldQueueKeys) return;
  // One line: what moved, and what was left (and how to see or remove it).
  const left = [
    ...(report.conflicts.length
      ? [
          `${report.conflicts.length} old keys left in place, their new key exists already (aiwatch migrate --dry-run lists them)`,
        ]
      : []),
    ...(report.oldQueueKeys
      ? [
          `${report.oldQueueKeys} BullMQ keys of the previous version left, their jobs not run (aiwatch migrate --drop-old-queues removes them)`,
        ]
      : []),
  ];
  const text = [`key layout: moved ${moved} keys of the previous version to the hash-tagged layout`, ...left];
  const details = report.conflicts.length
    ? { ...fields, conflictKeys: report.conflicts.slice(0, 10) }
    : fields;
  if (report.conflicts.length) log.warn(details, text.join('; '));
  else log.info(details, text.join('; '));
}
