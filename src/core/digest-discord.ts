/**
 * Discord rendering of digests and alerts: one embed per event, split into
 * several messages (in order) within Discord's limits of 10 embeds and 6,000
 * embed characters a message, and allowed_mentions none on every message so
 * a headline containing "@everyone" pings nobody.
 */
import {
  companiesLine,
  countsLine,
  outletsLine,
  truncate,
  windowLine,
  type Alert,
  type Digest,
  type DigestEntry,
} from './digest.ts';
import { messages } from './i18n/messages.ts';
import type { Lang } from './types.ts';

export interface DiscordEmbed {
  title: string;
  url?: string;
  description: string;
  color: number;
  footer?: { text: string };
  timestamp: string;
}

export interface DiscordMessage {
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: [] };
}

export const DISCORD_LIMITS = {
  embedsPerMessage: 10,
  embedCharsPerMessage: 6000,
  title: 256,
  description: 4096,
  footer: 2048,
  content: 2000,
} as const;

const COLOR: Record<DigestEntry['kind'], number> = { new: 0x2f81f7, update: 0xd29922, alert: 0xcf222e };

/** Backslash-escapes Discord markdown and mention syntax so titles render as typed. */
export function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|>[\]<@]/g, '\\$&');
}

/** Discord renders <t:…> in each reader's own time zone. */
function discordDate(iso: string): string {
  return `<t:${Math.floor(Date.parse(iso) / 1000)}:f>`;
}

export function entryEmbed(entry: DigestEntry, lang: Lang = 'en'): DiscordEmbed {
  const m = messages(lang).digest;
  const lines = [
    entry.original
      ? `*${escapeDiscord(m.original)}${m.colon}${escapeDiscord(truncate(entry.original, 300))}*`
      : null,
    entry.summary ? `${escapeDiscord(m.summary)}${m.colon}${escapeDiscord(entry.summary)}` : null,
    `**${escapeDiscord(m.kind[entry.kind])}** · ${escapeDiscord(outletsLine(entry, lang))}`,
    entry.companies.length
      ? `${escapeDiscord(m.companies)}${m.colon}${escapeDiscord(companiesLine(entry, lang))}`
      : null,
    m.firstSeenLine(discordDate(entry.firstSeen)),
    entry.why ? `${escapeDiscord(m.why)}${m.colon}${escapeDiscord(entry.why)}` : null,
    entry.page ?? null,
  ].filter((line): line is string => line !== null);
  return {
    title: truncate(entry.headline, DISCORD_LIMITS.title),
    ...(entry.url ? { url: entry.url } : {}),
    description: truncate(lines.join('\n'), DISCORD_LIMITS.description),
    color: COLOR[entry.kind],
    ...(entry.outlet ? { footer: { text: truncate(entry.outlet, 200) } } : {}),
    timestamp: entry.firstSeen,
  };
}

/** Characters Discord counts towards the 6,000 limit of a message's embeds. */
export function embedChars(embed: DiscordEmbed): number {
  return embed.title.length + embed.description.length + (embed.footer?.text.length ?? 0);
}

function message(content: string, embeds: DiscordEmbed[]): DiscordMessage {
  return { content: truncate(content, DISCORD_LIMITS.content), embeds, allowed_mentions: { parse: [] } };
}

export function discordDigestMessages(digest: Digest): DiscordMessage[] {
  const m = messages(digest.language);
  const window = windowLine(digest);
  const title = `**${escapeDiscord(m.title)}**`;
  if (!digest.entries.length)
    return [message(m.digest.titled(title, escapeDiscord(m.digest.nothingNew(window))), [])];
  const chunks: DiscordEmbed[][] = [[]];
  let chars = 0;
  for (const embed of digest.entries.map((entry) => entryEmbed(entry, digest.language))) {
    const size = embedChars(embed);
    const current = chunks.at(-1)!;
    if (
      current.length &&
      (current.length >= DISCORD_LIMITS.embedsPerMessage ||
        chars + size > DISCORD_LIMITS.embedCharsPerMessage)
    ) {
      chunks.push([embed]);
      chars = size;
    } else {
      current.push(embed);
      chars += size;
    }
  }
  const summary = m.digest.titled(title, escapeDiscord(countsLine(digest)));
  return chunks.map((embeds, index) => {
    const part = chunks.length > 1 ? m.digest.part(index + 1, chunks.length) : '';
    const lines = [`${summary}${part}`];
    if (index === 0) lines.push(escapeDiscord(m.digest.intro(window)));
    if (index === chunks.length - 1 && digest.omitted > 0)
      lines.push(escapeDiscord(m.digest.omitted(digest.omitted)));
    return message(lines.join('\n'), embeds);
  });
}

export function discordAlertMessage(alert: Alert): DiscordMessage {
  const m = messages(alert.language).digest;
  const about = alert.entry.subscribed.join(', ') || alert.entry.companies.join(', ');
  const title = `**${escapeDiscord(m.alertTitle)}**`;
  return message(about ? m.titled(title, escapeDiscord(about)) : title, [
    entryEmbed(alert.entry, alert.language),
  ]);
}
