/**
 * Discord side of the command core: the /aiwatch definition registered with
 * Discord (one subcommand per verb), and answers rendered as one embed within
 * Discord's limits (256-character title, 4,096 description, 6,000 in all, 100-character
 * button ids). Every text from a user or a feed is escaped and every message
 * carries allowed_mentions none, so nothing typed can format or ping.
 */
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Answer, EventLine } from '../../slash/types.ts';
import { MAX_LATEST } from '../../slash/types.ts';
import { discordDigestMessages, escapeDiscord } from '../../core/digest-discord.ts';
import { messages, type CommandMessages, type DiscordCommandTexts } from '../../core/i18n/messages.ts';

// Discord API constants (discord-api-types), spelled out to keep this module free of discord.js at run time.
const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;
const CHAT_INPUT = 1;
export const EPHEMERAL = 64;
const ACTION_ROW = 1;
const BUTTON = 2;
const SECONDARY = 2;

const EN = messages('en').commands.discord;
const JA = messages('ja').commands.discord;

/** A description in English with its Japanese localisation, both from the catalogue. */
const described = (pick: (texts: DiscordCommandTexts) => string) => ({
  description: pick(EN),
  description_localizations: { ja: pick(JA) },
});

const companyOption = (name: string, pick: (texts: DiscordCommandTexts) => string) => ({
  type: STRING,
  name,
  ...described(pick),
  required: true,
  autocomplete: true,
  max_length: 100,
});

const subcommand = (name: keyof DiscordCommandTexts['subcommands']) => ({
  type: SUB_COMMAND,
  name,
  ...described((t) => t.subcommands[name]),
});

export const AIWATCH_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'aiwatch',
  type: CHAT_INPUT,
  ...described((t) => t.description),
  options: [
    {
      ...subcommand('latest'),
      options: [
        {
          type: INTEGER,
          name: 'n',
          ...described((t) => t.options.n(MAX_LATEST)),
          min_value: 1,
          max_value: MAX_LATEST,
        },
      ],
    },
    {
      ...subcommand('search'),
      options: [
        { type: STRING, name: 'text', ...described((t) => t.options.text), required: true, max_length: 200 },
      ],
    },
    { ...subcommand('company'), options: [companyOption('name', (t) => t.options.name)] },
    {
      ...subcommand('event'),
      options: [
        { type: STRING, name: 'id', ...described((t) => t.options.id), required: true, max_length: 40 },
      ],
    },
    { ...subcommand('subscribe'), options: [companyOption('company', (t) => t.options.follow)] },
    { ...subcommand('unsubscribe'), options: [companyOption('company', (t) => t.options.unfollow)] },
    subcommand('subscriptions'),
    subcommand('digest'),
    subcommand('help'),
  ],
};

export interface DiscordEmbed {
  title: string;
  description?: string;
  color: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

export interface DiscordReply {
  content?: string;
  embeds: DiscordEmbed[];
  components?: {
    type: number;
    components: { type: number; style: number; label: string; custom_id: string }[];
  }[];
  flags?: number;
  allowed_mentions: { parse: [] };
}

export const LIMITS = {
  title: 256,
  description: 4096,
  total: 6000,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
} as const;

const COLOR: Record<Answer['tone'], number> = {
  info: 0x2f81f7,
  ok: 0x2da44e,
  warn: 0xd29922,
  error: 0xcf222e,
};

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escaped text truncated before escaping, so no backslash is left dangling. */
const esc = (text: string, max = 1000) => escapeDiscord(truncate(text, max));

function safeUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url) || url.length > 1000) return null;
  return url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const date = (iso: string, style: 'f' | 'd' = 'f') => {
  const unix = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(unix) ? `<t:${unix}:${style}>` : '';
};

function linked(title: string, url: string | undefined | null): string {
  const safe = url ? safeUrl(url) : null;
  return safe ? `[${esc(title, 180)}](${safe})` : esc(title, 180);
}

function eventText(line: EventLine, m: CommandMessages): string {
  const meta = [
    date(line.at),
    esc(m.coverage(line.outlets.length, line.langs), 200),
    line.companies.length ? esc(line.companies.slice(0, 6).join(', '), 200) : '',
    line.page && safeUrl(line.page)
      ? `[${esc(line.id, 40)}](${safeUrl(line.page)})`
      : `\`${line.id.replace(/`/g, '')}\``,
  ].filter(Boolean);
  return `**${linked(line.title, line.link?.url)}**\n${meta.join(' · ')}`;
}

/** Whole lines up to `max` characters, then "…". */
function fit(lines: string[], max: number): string {
  let out = '';
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length > max - 2) return `${out}\n…`;
    out = next;
  }
  return out;
}

function detailParts(
  answer: Answer,
  m: CommandMessages,
): { lines: string[]; fields: DiscordEmbed['fields'] } {
  const d = answer.detail!;
  const names = messages(answer.lang).languageName;
  const lines: string[] = [];
  if (d.otherTitle) lines.push(`*${esc(d.otherTitle, 300)}*`);
  if (d.page && safeUrl(d.page)) lines.push(safeUrl(d.page)!);
  if (d.reasons.length) lines.push(`**${esc(m.whyRelevant)}**`, ...d.reasons.map((r) => `• ${esc(r, 300)}`));
  lines.push('', `**${esc(m.articles(d.articleCount))}**`);
  for (const a of d.articles)
    lines.push(
      `${linked(a.title, a.url)} — ${esc(a.outlet, 80)} · ${esc(names[a.lang])} · ${date(a.at, 'd')}`,
    );
  const fields = [
    { name: m.firstSeen, value: date(d.firstSeenAt) || esc(d.firstSeen), inline: true },
    { name: m.latestArticle, value: date(d.lastSeenAt) || esc(d.lastSeen), inline: true },
    { name: m.languages, value: esc(d.langs.map((l) => names[l]).join(', ') || '-'), inline: true },
    { name: m.outlets(d.outlets.length), value: esc(d.outlets.join(', ') || '-', 900) },
    { name: m.companies, value: esc(d.companies.join(', ') || m.noneNamed, 900) },
  ];
  return { lines, fields };
}

function embedSize(embed: DiscordEmbed): number {
  return (
    embed.title.length +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

export function renderDiscord(answer: Answer): DiscordReply[] {
  const flags = answer.visibility === 'ephemeral' ? EPHEMERAL : 0;
  if (answer.digest)
    return discordDigestMessages(answer.digest).map((m) => ({ ...m, ...(flags ? { flags } : {}) }));
  const m = messages(answer.lang).commands;
  const lines = answer.lines.map((l) => esc(l, 1500));
  if (answer.usage) lines.push(...answer.usage.map((u) => `\`/aiwatch ${u.syntax}\`  ${esc(u.text, 300)}`));
  if (answer.events)
    lines.push(...answer.events.map((e) => eventText(e, m)).flatMap((t, i) => (i ? ['', t] : [t])));
  const detail = answer.detail ? detailParts(answer, m) : undefined;
  if (detail) lines.push(...detail.lines);
  const pager = answer.pager;
  const footer = [answer.footer, pager ? m.page(pager.page, pager.pages) : ''].filter(Boolean).join(' · ');
  const embed: DiscordEmbed = {
    title: esc(answer.title, LIMITS.title - 40),
    color: COLOR[answer.tone],
    ...(detail?.fields ? { fields: detail.fields } : {}),
    ...(footer ? { footer: { text: truncate(footer, LIMITS.footer) } } : {}),
  };
  const room = Math.min(LIMITS.description, LIMITS.total - embedSize(embed));
  if (lines.length) embed.description = fit(lines, room);
  const buttons = [
    pager?.prev ? { type: BUTTON, style: SECONDARY, label: m.previous, custom_id: pager.prev } : undefined,
    pager?.next ? { type: BUTTON, style: SECONDARY, label: m.next, custom_id: pager.next } : undefined,
  ].filter((b) => b !== undefined);
  return [
    {
      embeds: [embed],
      ...(buttons.length ? { components: [{ type: ACTION_ROW, components: buttons }] } : {}),
      ...(flags ? { flags } : {}),
      allowed_mentions: { parse: [] },
    },
  ];
}
