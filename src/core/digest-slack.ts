/**
 * Slack rendering of digests and alerts: Block Kit with a plain-text fallback,
 * mrkdwn escaped, split into several messages (in order) to stay within
 * Slack's limits of 50 blocks a message and 3,000 characters a text block.
 */
import {
  companiesLine,
  countsLine,
  formatTime,
  MAX_LINK_CHARS,
  outletsLine,
  truncate,
  windowLine,
  type Alert,
  type Digest,
  type DigestEntry,
} from './digest.ts';
import { messages } from './i18n/messages.ts';
import type { Lang } from './types.ts';

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

export interface SlackMessage {
  /** Fallback for notifications and clients without blocks (mrkdwn, escaped). */
  text: string;
  blocks: SlackBlock[];
}

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  textPerBlock: 3000,
  headerText: 150,
  fallbackText: 3000,
} as const;

/** Per message: well within the block limit (leaving room for header and context) and readable. */
const ENTRIES_PER_MESSAGE = 40;
const CHARS_PER_MESSAGE = 12_000;

/** Slack's three control characters; anything else in mrkdwn is shown as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A URL that cannot end the <url|text> link early or smuggle in a mention. */
export function escapeSlackUrl(url: string): string {
  return url
    .replace(/&/g, '&amp;')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\|/g, '%7C')
    .replace(/\s/g, '%20');
}

/** Slack renders <!date^…> in each reader's own time zone; the fallback is the channel's. */
function slackDate(iso: string, timeZone: string, lang: Lang): string {
  const unix = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${escapeMrkdwn(formatTime(iso, timeZone, lang, iso))}>`;
}

/** A link whose escaped URL would crowd the headline, outlets and reasons out of the block is left out. */
function link(url: string | null, text: string): string {
  const escaped = url ? escapeSlackUrl(url) : '';
  return escaped && escaped.length <= MAX_LINK_CHARS
    ? `<${escaped}|${escapeMrkdwn(text)}>`
    : escapeMrkdwn(text);
}

function header(text: string): SlackBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: false },
  };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.textPerBlock) }] };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.textPerBlock) } };
}

export function entryText(entry: DigestEntry, timeZone: string, lang: Lang = 'en'): string {
  const m = messages(lang).digest;
  const lines = [
    `*${escapeMrkdwn(m.kind[entry.kind])}${m.colon.trimEnd()}* *${link(entry.url, truncate(entry.headline, 300))}*`,
  ];
  if (entry.original)
    lines.push(
      `_${escapeMrkdwn(m.original)}${m.colon.trimEnd()}_ ${escapeMrkdwn(truncate(entry.original, 300))}`,
    );
  if (entry.summary)
    lines.push(`_${escapeMrkdwn(m.summary)}${m.colon.trimEnd()}_ ${escapeMrkdwn(entry.summary)}`);
  lines.push(
    [
      escapeMrkdwn(outletsLine(entry, lang)),
      entry.companies.length ? escapeMrkdwn(companiesLine(entry, lang)) : null,
      m.firstSeen(slackDate(entry.firstSeen, timeZone, lang)),
      entry.page ? link(entry.page, entry.page) : null,
    ]
      .filter(Boolean)
      .join(' · '),
  );
  if (entry.why) lines.push(`_${escapeMrkdwn(m.why)}${m.colon.trimEnd()}_ ${escapeMrkdwn(entry.why)}`);
  return lines.join('\n');
}

function fallback(summary: string, entries: readonly DigestEntry[]): string {
  const headlines = entries.map((e) => `• ${truncate(e.headline, 200)}`);
  return truncate(escapeMrkdwn([summary, ...headlines].join('\n')), SLACK_LIMITS.fallbackText);
}

export function slackDigestMessages(digest: Digest): SlackMessage[] {
  const m = messages(digest.language);
  const window = windowLine(digest);
  if (!digest.entries.length) {
    const text = m.digest.titled(m.title, m.digest.nothingNew(window));
    return [{ text: escapeMrkdwn(text), blocks: [section(escapeMrkdwn(text))] }];
  }
  const chunks: DigestEntry[][] = [[]];
  let chars = 0;
  for (const entry of digest.entries) {
    const size = entryText(entry, digest.timezone, digest.language).length;
    const current = chunks.at(-1)!;
    if (current.length && (current.length >= ENTRIES_PER_MESSAGE || chars + size > CHARS_PER_MESSAGE)) {
      chunks.push([entry]);
      chars = size;
    } else {
      current.push(entry);
      chars += size;
    }
  }
  const summary = m.digest.titled(m.title, countsLine(digest));
  return chunks.map((entries, index) => {
    const part = chunks.length > 1 ? m.digest.part(index + 1, chunks.length) : '';
    const blocks: SlackBlock[] = [header(`${summary}${part}`)];
    if (index === 0) blocks.push(context(escapeMrkdwn(m.digest.intro(window))));
    for (const entry of entries) blocks.push(section(entryText(entry, digest.timezone, digest.language)));
    if (index === chunks.length - 1 && digest.omitted > 0)
      blocks.push(context(escapeMrkdwn(m.digest.omitted(digest.omitted))));
    return { text: fallback(`${summary}${part}`, entries), blocks };
  });
}

export function slackAlertMessage(alert: Alert): SlackMessage {
  const m = messages(alert.language).digest;
  const about = alert.entry.subscribed.join(', ') || alert.entry.companies.join(', ');
  const summary = about ? m.about(m.alertTitle, about) : m.alertTitle;
  return {
    text: fallback(summary, [alert.entry]),
    blocks: [
      section(entryText(alert.entry, alert.timezone, alert.language)),
      context(escapeMrkdwn(m.titled(summary, m.subscribedTo(about)))),
    ],
  };
}
