/** Plain-text rendering of digests and alerts, for the console, dry runs and logs, in the channel's language. */
import {
  companiesLine,
  countsLine,
  formatTime,
  outletsLine,
  windowLine,
  type Alert,
  type Digest,
  type DigestEntry,
} from './digest.ts';
import { messages } from './i18n/messages.ts';
import type { Lang } from './types.ts';

function entryLines(
  entry: DigestEntry,
  lang: Lang,
  timeZone: string,
  reference: string | undefined,
  index?: number,
): string[] {
  const m = messages(lang).digest;
  const prefix = index === undefined ? '' : `${index + 1}. `;
  const indent = ' '.repeat(prefix.length);
  const details = [outletsLine(entry, lang), entry.companies.length ? companiesLine(entry, lang) : null];
  return [
    `${prefix}${m.tag[entry.kind]} ${entry.headline}`,
    ...(entry.original ? [`${indent}${m.original}${m.colon}${entry.original}`] : []),
    ...(entry.summary ? [`${indent}${m.summary}${m.colon}${entry.summary}`] : []),
    ...(entry.url ? [`${indent}${entry.url}`] : []),
    `${indent}${details.filter(Boolean).join(' · ')} · ${m.firstSeen(formatTime(entry.firstSeen, timeZone, lang, reference))}`,
    ...(entry.why ? [`${indent}${m.why}${m.colon}${entry.why}`] : []),
    ...(entry.page ? [`${indent}${entry.page}`] : []),
  ];
}

export function textDigest(digest: Digest): string {
  const m = messages(digest.language).digest;
  const window = windowLine(digest);
  const heading = m.heading(digest.channelId);
  if (!digest.entries.length) return `${m.titled(heading, m.nothingNew(window))}\n`;
  const lines = [m.headingLine(heading, countsLine(digest), window)];
  digest.entries.forEach((entry, i) =>
    lines.push('', ...entryLines(entry, digest.language, digest.timezone, digest.until, i)),
  );
  if (digest.omitted > 0) lines.push('', m.omitted(digest.omitted));
  return `${lines.join('\n')}\n`;
}

export function textAlert(alert: Alert): string {
  const m = messages(alert.language).digest;
  const about = alert.entry.subscribed.join(', ');
  const heading = about ? m.about(m.alertFor(alert.channelId), about) : m.alertFor(alert.channelId);
  return `${[heading, ...entryLines(alert.entry, alert.language, alert.timezone, alert.entry.firstSeen)].join('\n')}\n`;
}
