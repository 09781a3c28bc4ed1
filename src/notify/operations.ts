/**
 * Operations reports: a feed failing longer than worker.feedFailureAlertHours is
 * reported in one line to every channel registered with `operations: true`,
 * through the same posters as digests (the console when the platform has no
 * token). The feed's health store flags a streak once; the delivery key (feed +
 * start of the streak) keeps a retried or re-run report from posting twice.
 */
import { messages } from '../core/i18n/messages.ts';
import { formatTime } from '../core/i18n/time.ts';
import type { Lang } from '../core/types.ts';
import { feedId } from '../feeds/health.ts';
import { deliverOnce, type DeliveryOutcome } from './delivery.ts';
import type { NotifyDeps } from './digest-run.ts';

export interface FeedDownReport {
  name: string;
  url: string;
  /** Start of the failure streak (ISO). */
  failingSince: string;
  lastError: string;
}

export type ReportOutcome = { channel: string } & DeliveryOutcome;

/** In English the time stays ISO (as logged); a Japanese channel reads it in its own zone. */
export function feedDownText(report: FeedDownReport, lang: Lang = 'en', timeZone = 'Asia/Tokyo'): string {
  const since = lang === 'en' ? report.failingSince : formatTime(report.failingSince, timeZone, lang);
  return messages(lang).feedDown(report.name, report.url, since, report.lastError);
}

/** The delivery key of one failure streak of one feed. */
export function feedDownKey(report: Pick<FeedDownReport, 'url' | 'failingSince'>): string {
  return `feed-down:${feedId(report.url)}:${report.failingSince}`;
}

/** Posts the report once to each operations channel; one channel's failure does not stop the others. */
export async function reportFeedDown(report: FeedDownReport, deps: NotifyDeps): Promise<ReportOutcome[]> {
  const text = feedDownText(report);
  const channels = (await deps.registry.list()).filter((c) => c.operations);
  if (!channels.length) {
    deps.log.error({ feed: report.name, url: report.url }, `${text} (no operations channel configured)`);
    return [];
  }
  const outcomes: ReportOutcome[] = [];
  for (const channel of channels) {
    const poster = deps.posters[channel.platform];
    const outcome = await deliverOnce(
      { redis: deps.redis, prefix: deps.prefix, log: deps.log, ...deps.delivery },
      {
        channel: channel.id,
        platformChannel: channel.channelId,
        key: feedDownKey(report),
        messages: poster.renderNotice(feedDownText(report, channel.language, channel.timezone)),
      },
      poster,
    );
    if (outcome.status === 'sent')
      deps.log.info({ channel: channel.id, via: poster.kind, feed: report.url }, 'feed failure reported');
    outcomes.push({ channel: channel.id, ...outcome });
  }
  return outcomes;
}
