/**
 * Discord side of the command core: the /aiwatch definition registered with
 * Discord (one subcommand per verb), and answers rendered as one embed within
 * Discord's limits (256-character title, 4,096 description, 6,000 in all, 100-character
 * button ids). Every text from a user or a feed is escaped and every message
 * carries allowed_mentions none, so nothing typed can format or ping.
 */
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Answer, EventLine } from '../../commands/types.ts';
import { MAX_LATEST } from '../../commands/types.ts';
import { discordDigestMessages, escapeDiscord } from '../../core/digest-discord.ts';
import { messages, type CommandMessages } from '../../core/i18n/messages.ts';

// Discord API constants (discord-api-types), spelled out to keep this module free of discord.js at run time.
const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;
const CHAT_INPUT = 1;
export const EPHEMERAL = 64;
const ACTION_ROW = 1;
const BUTTON = 2;
const SECONDARY = 2;

const companyOption = (description: string, ja: string) => ({
  type: STRING,
  name: 'company',
  description,
  description_localizations: { ja },
  required: true,
  autocomplete: true,
  max_length: 100,
});

export const AIWATCH_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'aiwatch',
  type: CHAT_INPUT,
  description: 'Japanese sovereign-AI news: latest events, search, companies, alerts',
  description_localizations: { ja: '日本のソブリンAIニュース：最新、検索、企業、アラート' },
  options: [
    {
      type: SUB_COMMAND,
      name: 'latest',
      description: 'The newest events',
      description_localizations: { ja: '最新のイベント' },
      options: [
        {
          type: INTEGER,
          name: 'n',
          description: `How many (1–${MAX_LATEST}, default 10)`,
          description_localizations: { ja: `件数（1〜${MAX_LATEST}、既定は10）` },
          min_value: 1,
          max_value: MAX_LATEST,
        },
      ],
    },
    {
      type: SUB_COMMAND,
      name: 'search',
      description: 'Events whose headlines contain every word (English or Japanese)',
      description_localizations: { ja: '見出しにすべての語を含むイベント（日本語・英語）' },
      options: [
        {
          type: STRING,
          name: 'text',
          description: 'Words, e.g. 生成AI or sovereign AI',
          description_localizations: { ja: '検索語（例：生成AI、sovereign AI）' },
          required: true,
          max_length: 200,
        },
      ],
    },
    {
      type: SUB_COMMAND,
      name: 'company',
      description: 'Events of one company (any name, either script)',
      description_localizations: { ja: '企業のイベント（英語名・日本語名どちらでも）' },
      options: [
        {
          ...companyOption('SoftBank, ソフトバンク, MHI, 三菱重工…', 'ソフトバンク、三菱重工など'),
          name: 'name',
        },
      ],
    },
    {
      type: SUB_COMMAND,
      name: 'event',
      description: 'One event with all its articles and why it is relevant',
      description_localizations: { ja: 'イベントの全記事と関連理由' },
      options: [
        {
          type: STRING,
          name: 'id',
          description: 'Event id, e.g. e-1a2b3c4d5e6f',
          description_localizations: { ja: 'イベントID（例：e-1a2b3c4d5e6f）' },
          required: true,
          max_length: 40,
        },
      ],
    },
    {
      type: SUB_COMMAND,
      name: 'subscribe',
      description: 'Alert this channel as soon as a company has news',
      description_localizations: { ja: 'この企業のニュースをこのチャンネルに通知' },
      options: [companyOption('The company to follow', '購読する企業')],
    },
    {
      type: SUB_COMMAND,
      name: 'unsubscribe',
      description: 'Stop the alerts for a company',
      description_localizations: { ja: '企業の通知を停止' },
      options: [companyOption('The company to stop following', '購読を解除する企業')],
    },
    {
      type: SUB_COMMAND,
      name: 'subscriptions',
      description: 'The companies this channel follows',
      description_localizations: { ja: 'このチャンネルが購読している企業' },
    },
    {
      type: SUB_COMMAND,
      name: 'digest',
      description: "This channel's digest, now",
      description_localizations: { ja: 'このチャンネルのダイジェストを今すぐ' },
    },
    {
      type: SUB_COMMAND,
      name: 'help',
      description: 'What /aiwatch can do',
      description_localizations: { ja: '使い方' },
    },
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
    `\`${line.id.replace(/`/g, '')}\``,
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
