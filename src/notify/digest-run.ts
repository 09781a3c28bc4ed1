/**
 * One channel's digest, now: read the channel's last-digest mark and the events
 * it was shown, select and rank what is new or updated since, render it for the
 * channel's platform and deliver it exactly once (delivery.ts). Marking the
 * digest sent also moves the mark and records the events shown, in one step.
 *
 * Redis, under `<prefix>{notify}:` (keys.ts): digest-mark:<channel> hash {at, slot} (end of the
 * last window delivered, and the scheduled fire time it answered);
 * digest-shown:<channel> hash event id → "<sources>|<ms shown>".
 */
import type { RedisClient } from '../redis/client.ts';
import { execChecked } from '../redis/exec.ts';
import type { Channel, ChannelRegistry } from '../channels/registry.ts';
import type { Settings } from '../config/index.ts';
import {
  buildDigest,
  itemIdsFor,
  selectDigestEvents,
  type Digest,
  type DigestChannel,
  type DigestOptions,
} from '../core/digest.ts';
import { shownThroughMerges } from '../core/merges.ts';
import { textDigest } from '../core/digest-text.ts';
import type { Lang } from '../core/types.ts';
import type { BatchReport, Summariser } from '../llm/summaries.ts';
import type { Logger } from '../shared/log.ts';
import type { EventStore } from '../store/types.ts';
import { eventUrl } from '../web/urls.ts';
import { deliverOnce, type DeliveryContext, type Effects } from './delivery.ts';
import { notifyKeys } from './keys.ts';
import type { Posters } from '../chat/posters.ts';
import type { DeliveryError } from '../chat/poster.ts';

export interface NotifyDeps {
  redis: RedisClient;
  prefix: string;
  store: EventStore;
  registry: ChannelRegistry;
  /** A company's name as a reader of the language knows it (config/entities.yaml). */
  nameOf: (entityId: string, lang?: Lang) => string;
  settings: Settings['digest'];
  posters: Posters;
  log: Logger;
  /** Writes headlines and summaries in the channel's language (AIWATCH_LLM_*); absent: the articles' own. */
  summariser?: Summariser;
  /** How long a digest may wait for the model when less than its configured timeout (slash commands). */
  modelDeadlineMs?: number;
  now?: () => Date;
  delivery?: Pick<DeliveryContext, 'leaseMs' | 'ttlSeconds'>;
}

export type DigestOutcome =
  | { status: 'sent'; messages: number; digest: Digest }
  | { status: 'nothing-new'; digest: Digest }
  | { status: 'already-sent' }
  | { status: 'in-progress' }
  | { status: 'failed'; error: DeliveryError; digest: Digest };

const DAY_MS = 86_400_000;
/** Events committed while the previous digest was being read are caught by re-reading this much. */
const OVERLAP_MS = 10 * 60_000;
/** How long a channel remembers the sources count of an event it was shown. */
const SHOWN_KEEP_MS = 30 * DAY_MS;

const keys = (prefix: string, channel: string) => ({
  mark: notifyKeys(prefix).digestMark(channel),
  shown: notifyKeys(prefix).digestShown(channel),
});

export function toDigestChannel(channel: Channel): DigestChannel {
  return {
    id: channel.id,
    language: channel.language,
    timezone: channel.timezone,
    subscriptions: channel.subscriptions,
  };
}

export async function readMark(
  redis: RedisClient,
  prefix: string,
  channel: string,
): Promise<{ at?: string; slot?: number }> {
  const fields = await redis.hgetall(keys(prefix, channel).mark);
  return {
    ...(fields.at ? { at: fields.at } : {}),
    ...(fields.slot ? { slot: Number(fields.slot) } : {}),
  };
}

async function readShown(redis: RedisClient, prefix: string, channel: string): Promise<Map<string, number>> {
  const fields = await redis.hgetall(keys(prefix, channel).shown);
  return new Map(Object.entries(fields).map(([id, value]) => [id, Number(value.split('|')[0])]));
}

/** What preparing a digest reads: no posters (nothing is posted or rendered for a platform here). */
export type DigestReadDeps = Pick<
  NotifyDeps,
  'redis' | 'prefix' | 'store' | 'nameOf' | 'settings' | 'now' | 'summariser' | 'modelDeadlineMs'
>;

/** The digest the channel would get now, and the Redis writes that record it as delivered. */
export async function prepareDigest(
  channel: Channel,
  deps: DigestReadDeps,
  slot?: number,
): Promise<{ digest: Digest; effects: Effects; windowKey: string; model?: BatchReport }> {
  const until = (deps.now?.() ?? new Date()).toISOString();
  const untilMs = Date.parse(until);
  const [mark, shown] = await Promise.all([
    readMark(deps.redis, deps.prefix, channel.id),
    readShown(deps.redis, deps.prefix, channel.id),
  ]);
  const ageStart = untilMs - deps.settings.maxAgeDays * DAY_MS;
  const since = new Date(Math.max(mark.at ? Date.parse(mark.at) : ageStart, ageStart)).toISOString();
  const options: DigestOptions = {
    since,
    until,
    maxAgeDays: deps.settings.maxAgeDays,
    maxEvents: deps.settings.maxEvents,
    shown,
    firstDigest: !mark.at,
  };
  const readFrom = new Date(Date.parse(since) - OVERLAP_MS).toISOString();
  const events = await deps.store.listEvents({ since: readFrom });
  const target = toDigestChannel(channel);
  const selected = selectDigestEvents(events, target, {
    ...options,
    since: readFrom,
    shown: shownThroughMerges(shown, events),
  });
  const kept = selected.slice(0, deps.settings.maxEvents);
  const items = new Map((await deps.store.getItems(itemIdsFor(kept))).map((item) => [item.id, item]));
  // Written once per event, language and article set, or again once per window; never awaited past its timeout.
  const model = deps.summariser
    ? await deps.summariser.textsFor(
        kept.map((s) => s.event),
        items,
        channel.language,
        { notBefore: since, ...(deps.modelDeadlineMs ? { deadlineMs: deps.modelDeadlineMs } : {}) },
      )
    : undefined;
  const digest = buildDigest(selected, target, options, items, deps.nameOf, model?.texts);
  for (const entry of digest.entries) {
    const page = eventUrl(entry.eventId);
    if (page) entry.page = page;
  }
  const k = keys(deps.prefix, channel.id);
  const hset: [string, string, string][] = [[k.mark, 'at', until]];
  if (slot !== undefined) hset.push([k.mark, 'slot', String(slot)]);
  for (const entry of digest.entries) hset.push([k.shown, entry.eventId, `${entry.sources}|${untilMs}`]);
  return {
    digest,
    effects: { hset },
    windowKey: `digest:${mark.at ?? 'first'}`,
    ...(model ? { model: model.report } : {}),
  };
}

async function applyEffects(redis: RedisClient, effects: Effects): Promise<void> {
  const multi = redis.multi();
  for (const [key, field, value] of effects.hset ?? []) multi.hset(key, field, value);
  await execChecked(multi);
}

/** Forgets events shown more than SHOWN_KEEP_MS ago (they can no longer be in a digest). */
async function pruneShown(deps: NotifyDeps, channel: string): Promise<void> {
  const key = keys(deps.prefix, channel).shown;
  const before = (deps.now?.() ?? new Date()).getTime() - SHOWN_KEEP_MS;
  const fields = await deps.redis.hgetall(key);
  const stale = Object.entries(fields)
    .filter(([, value]) => Number(value.split('|')[1] ?? 0) < before)
    .map(([id]) => id);
  if (stale.length) await deps.redis.hdel(key, ...stale);
}

/** What `digest --dry-run` prints: the digest the channel would get now, nothing posted or marked. */
export async function previewDigest(channel: Channel, deps: NotifyDeps): Promise<string> {
  const { digest, model } = await prepareDigest(channel, deps);
  return model ? `${textDigest(digest)}\n${modelLine(model)}\n` : textDigest(digest);
}

/** "Model gpt-4o-mini: 3 written, 2 cached, 1 timeout" (the dry run's last line; the CLI speaks English). */
export function modelLine(report: BatchReport): string {
  const parts = Object.entries(report.outcomes).map(
    ([outcome, n]) => `${n} ${outcome === 'ok' ? 'written' : outcome}`,
  );
  return `Model ${report.model}: ${parts.join(', ') || 'nothing to write'}`;
}

/**
 * Posts the channel's digest once. `slot` is the scheduled fire time (ms) of a
 * scheduler job: a slot already answered (by this job's earlier attempt or a
 * manual digest after it) posts nothing.
 */
export async function runDigest(channel: Channel, deps: NotifyDeps, slot?: number): Promise<DigestOutcome> {
  const log = deps.log.child({ channel: channel.id });
  if (slot !== undefined) {
    const mark = await readMark(deps.redis, deps.prefix, channel.id);
    if (mark.slot !== undefined && mark.slot >= slot) return { status: 'already-sent' };
  }
  const { digest, effects, windowKey } = await prepareDigest(channel, deps, slot);
  if (!digest.entries.length && !channel.nothingNewMessage) {
    await applyEffects(deps.redis, effects);
    log.info('digest: nothing new, nothing posted');
    return { status: 'nothing-new', digest };
  }
  const poster = deps.posters[channel.platform];
  const outcome = await deliverOnce(
    { redis: deps.redis, prefix: deps.prefix, log: deps.log, ...deps.delivery },
    {
      channel: channel.id,
      platformChannel: channel.channelId,
      key: windowKey,
      messages: poster.renderDigest(digest),
      effects,
    },
    poster,
  );
  switch (outcome.status) {
    case 'sent':
      log.info(
        { events: digest.entries.length, messages: outcome.posted, via: poster.kind },
        'digest posted',
      );
      await pruneShown(deps, channel.id);
      return { status: 'sent', messages: outcome.posted, digest };
    case 'failed':
      return { status: 'failed', error: outcome.error, digest };
    default:
      return outcome;
  }
}
