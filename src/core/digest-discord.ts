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
  TITLE,
  truncate,
  windowLine,
  type Alert,
  type Digest,
  type DigestEntry,
} from './digest.ts';

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
const LABEL: Record<DigestEntry['kind'], string> = { new: 'New', update: 'Update', alert: 'Alert' };

/** Backslash-escapes Discord markdown and mention syntax so titles render as typed. */
export function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|>[\]<@]/g, '\\$&');
}

/** Discord renders <t:…> in each reader's own time zone. */
function discordDate(iso: string): string {
  return `<t:${Math.floor(Date.parse(iso) / 1000)}:f>`;
}

export function entryEmbed(entry: DigestEntry): DiscordEmbed {
  const lines = [
    `**${LABEL[entry.kind]}** · ${escapeDiscord(outletsLine(entry))}`,
    entry.companies.length ? `Companies: ${escapeDiscord(companiesLine(entry))}` : null,
    `First seen ${discordDate(entry.firstSeen)}`,
    entry.why ? `Why: ${escapeDiscord(entry.why)}` : null,
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
  const window = windowLine(digest);
  if (!digest.entries.length) return [message(`**${TITLE}**: nothing new ${escapeDiscord(window)}.`, [])];
  const chunks: DiscordEmbed[][] = [[]];
  let chars = 0;
  for (const embed of digest.entries.map(entryEmbed)) {
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
  const summary = `**${TITLE}**: ${countsLine(digest)}`;
  return chunks.map((embeds, index) => {
    const part = chunks.length > 1 ? ` (${index + 1}/${chunks.length})` : '';
    const lines = [`${summary}${part}`];
    if (index === 0)
      lines.push(`Events first seen or updated ${escapeDiscord(window)}, most important first.`);
    if (index === chunks.length - 1 && digest.omitted > 0)
      lines.push(`…and ${digest.omitted} more event${digest.omitted === 1 ? '' : 's'} not shown.`);
    return message(lines.join('\n'), embeds);
  });
}

export function discordAlertMessage(alert: Alert): DiscordMessage {
  const about = alert.entry.subscribed.join(', ') || alert.entry.companies.join(', ');
  return message(`**${TITLE} alert**${about ? `: ${escapeDiscord(about)}` : ''}`, [entryEmbed(alert.entry)]);
}
