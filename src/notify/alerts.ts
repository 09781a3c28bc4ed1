/**
 * Alerts: a channel subscribed to a company gets one message for each event
 * that mentions it, the first time the event is seen with that company, and
 * never another for the same event (the delivery key is channel + event).
 *
 * No floods: items from the first poll of a new feed (`backlog`) and items
 * published more than settings.digest.maxAgeDays ago never alert; they are
 * stored and still appear in digests when recent enough.
 */
import type { Channel } from '../channels/registry.ts';
import { buildAlert, isRecent, type GeneratedText } from '../core/digest.ts';
import type { Lang } from '../core/types.ts';
import { deliverOnce, deliveryKey, readDelivery, type DeliveryOutcome } from './delivery.ts';
import { toDigestChannel, type NotifyDeps } from './digest-run.ts';
import { eventUrl } from '../web/urls.ts';

export interface AlertTrigger {
  eventId: string;
  /** The item that created or joined the event; its publication time decides "too old to alert". */
  itemId?: string;
  /** The item came from the first poll of a new feed: store it, do not alert. */
  backlog?: boolean;
}

export type AlertOutcome = { channel: string } & (
  DeliveryOutcome | { status: 'skipped'; reason: 'backlog' | 'too-old' | 'no-event' | 'alerted-as-merged' }
);

/** Channels subscribed to any company of the event, each once, in id order. */
async function subscribedChannels(companies: readonly string[], deps: NotifyDeps): Promise<Channel[]> {
  const ids = new Set((await Promise.all(companies.map((c) => deps.registry.subscribers(c)))).flat());
  const channels = await Promise.all([...ids].sort().map((id) => deps.registry.get(id)));
  return channels.filter((c): c is Channel => c !== null);
}

/**
 * Alerts every subscribed channel about an event that was just created or
 * joined. Failures on one channel do not stop the others; the outcomes say
 * which failed, and a retry re-sends only to those (the others are already-sent).
 */
export async function notifyEvent(trigger: AlertTrigger, deps: NotifyDeps): Promise<AlertOutcome[]> {
  const log = deps.log.child({ event: trigger.eventId });
  if (trigger.backlog) return [{ channel: '*', status: 'skipped', reason: 'backlog' }];
  const event = await deps.store.getEvent(trigger.eventId);
  if (!event) return [{ channel: '*', status: 'skipped', reason: 'no-event' }];
  const now = (deps.now?.() ?? new Date()).toISOString();
  const [item] = trigger.itemId ? await deps.store.getItems([trigger.itemId]) : [];
  if (!isRecent(item?.published ?? event.lastSeen, now, deps.settings.maxAgeDays))
    return [{ channel: '*', status: 'skipped', reason: 'too-old' }];

  const channels = await subscribedChannels(event.companies, deps);
  if (!channels.length) return [];
  const items = new Map((await deps.store.getItems(event.itemIds)).map((i) => [i.id, i]));
  const outcomes: AlertOutcome[] = [];
  // One model text per language the channels read, shared by them (and cached for the digests).
  const texts = new Map<Lang, GeneratedText | undefined>();
  for (const channel of channels) {
    // An event merged from others: a channel alerted about one of them has heard of this story.
    const merged = event.mergedFrom ?? [];
    if (
      merged.length &&
      (await deps.redis.exists(...merged.map((id) => deliveryKey(deps.prefix, channel.id, `alert:${id}`)))) >
        0
    ) {
      outcomes.push({ channel: channel.id, status: 'skipped', reason: 'alerted-as-merged' });
      continue;
    }
    const poster = deps.posters[channel.platform];
    // An alert already sent (or with its messages fixed, being sent) needs no text: no call for it.
    const record = await readDelivery(deps.redis, deps.prefix, channel.id, `alert:${event.id}`);
    const needed = !record || record.state === 'failed';
    if (deps.summariser && needed && !texts.has(channel.language)) {
      const { texts: written } = await deps.summariser.textsFor([event], items, channel.language);
      texts.set(channel.language, written.get(event.id));
    }
    const generated = texts.get(channel.language);
    const alert = buildAlert(event, toDigestChannel(channel), items, deps.nameOf, generated);
    const page = eventUrl(event.id);
    if (page) alert.entry.page = page;
    const outcome = await deliverOnce(
      { redis: deps.redis, prefix: deps.prefix, log: deps.log, ...deps.delivery },
      {
        channel: channel.id,
        platformChannel: channel.channelId,
        key: `alert:${event.id}`,
        messages: poster.renderAlert(alert),
      },
      poster,
    );
    if (outcome.status === 'sent') log.info({ channel: channel.id, via: poster.kind }, 'alert posted');
    outcomes.push({ channel: channel.id, ...outcome });
  }
  return outcomes;
}

/** True when some channel's alert should be tried again later (transient failure or another worker's claim). */
export function needsRetry(outcomes: readonly AlertOutcome[]): boolean {
  return outcomes.some((o) => o.status === 'in-progress' || (o.status === 'failed' && !o.error.permanent));
}
