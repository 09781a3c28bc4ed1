/** Plain-text rendering of digests and alerts, for the console, dry runs and logs. */
import {
  companiesLine,
  countsLine,
  formatTime,
  outletsLine,
  TITLE,
  windowLine,
  type Alert,
  type Digest,
  type DigestEntry,
} from './digest.ts';

const LABEL: Record<DigestEntry['kind'], string> = { new: 'NEW', update: 'UPDATE', alert: 'ALERT' };

function entryLines(entry: DigestEntry, timeZone: string, index?: number): string[] {
  const prefix = index === undefined ? '' : `${index + 1}. `;
  const indent = ' '.repeat(prefix.length);
  const details = [outletsLine(entry), entry.companies.length ? companiesLine(entry) : null];
  return [
    `${prefix}[${LABEL[entry.kind]}] ${entry.headline}`,
    ...(entry.url ? [`${indent}${entry.url}`] : []),
    `${indent}${details.filter(Boolean).join(' · ')} · first seen ${formatTime(entry.firstSeen, timeZone)}`,
    ...(entry.why ? [`${indent}Why: ${entry.why}`] : []),
  ];
}

export function textDigest(digest: Digest): string {
  const window = windowLine(digest);
  if (!digest.entries.length) return `${TITLE} for ${digest.channelId}: nothing new ${window}.\n`;
  const lines = [`${TITLE} for ${digest.channelId}: ${countsLine(digest)} (${window})`];
  digest.entries.forEach((entry, i) => lines.push('', ...entryLines(entry, digest.timezone, i)));
  if (digest.omitted > 0)
    lines.push('', `…and ${digest.omitted} more event${digest.omitted === 1 ? '' : 's'} not shown.`);
  return `${lines.join('\n')}\n`;
}

export function textAlert(alert: Alert): string {
  const about = alert.entry.subscribed.join(', ');
  return `${[`${TITLE} alert for ${alert.channelId}${about ? ` (${about})` : ''}`, ...entryLines(alert.entry, alert.timezone)].join('\n')}\n`;
}
