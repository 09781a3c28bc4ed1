/**
 * Slack rendering of command answers: Block Kit within Slack's limits (50 blocks,
 * 3,000 characters a text, 150 a header, 75 a button label). Headlines and user
 * text go into plain_text objects; the few mrkdwn texts are escaped, so neither a
 * query nor a feed can produce a link, a mention or formatting.
 */
import type { Answer, EventLine } from '../../slash/types.ts';
import { escapeMrkdwn, escapeSlackUrl, slackDigestMessages } from '../../core/digest-slack.ts';
import { messages, type CommandMessages } from '../../core/i18n/messages.ts';

export const PAGE_ACTION = /^aiwatch_page_(prev|next)$/;

type Text =
  { type: 'plain_text'; text: string; emoji: false } | { type: 'mrkdwn'; text: string; verbatim: true };
export type Block =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[]; accessory?: Button }
  | { type: 'context'; elements: Text[] }
  | { type: 'actions'; elements: Button[] }
  | { type: 'divider' };
interface Button {
  type: 'button';
  text: Text;
  action_id: string;
  value?: string;
  url?: string;
}

export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  /** Notification fallback (mrkdwn, escaped). */
  text: string;
  blocks: Block[];
}

export const LIMITS = { blocks: 50, text: 3000, header: 150, button: 75, url: 3000, value: 2000 } as const;

export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const plain = (text: string, max: number = LIMITS.text): Text => ({
  type: 'plain_text',
  text: truncate(text || ' ', max),
  emoji: false,
});
/** `text` must already be escaped; truncation happens before a trailing entity could be cut. */
const mrkdwn = (text: string): Text => ({
  type: 'mrkdwn',
  text: truncate(text, LIMITS.text),
  verbatim: true,
});

/** Shown in each reader's own time zone; the fallback is the channel's. */
function slackDate(iso: string, fallback: string): string {
  const unix = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(unix)
    ? `<!date^${unix}^{date_short_pretty} {time}|${escapeMrkdwn(fallback)}>`
    : escapeMrkdwn(fallback);
}

function openButton(url: string, id: string, m: CommandMessages): Button | undefined {
  if (!/^https?:\/\//i.test(url) || url.length > LIMITS.url) return undefined;
  return {
    type: 'button',
    text: plain(m.open, LIMITS.button),
    action_id: `aiwatch_open_${id}`.slice(0, 255),
    url,
  };
}

function eventBlocks(line: EventLine, index: number, m: CommandMessages): Block[] {
  const button = line.link ? openButton(line.link.url, `${index}`, m) : undefined;
  const meta = [
    slackDate(line.at, line.when),
    escapeMrkdwn(m.coverage(line.outlets.length, line.langs)),
    line.companies.length ? escapeMrkdwn(line.companies.slice(0, 6).join(', ')) : '',
    line.page ? `<${escapeSlackUrl(line.page)}|${escapeMrkdwn(line.id)}>` : `\`${escapeMrkdwn(line.id)}\``,
  ].filter(Boolean);
  return [
    { type: 'section', text: plain(line.title), ...(button ? { accessory: button } : {}) },
    { type: 'context', elements: [mrkdwn(meta.join(' · '))] },
  ];
}

function detailBlocks(answer: Answer, m: CommandMessages): Block[] {
  const d = answer.detail!;
  const names = messages(answer.lang).languageName;
  const label = (text: string) => `*${escapeMrkdwn(text)}*`;
  const blocks: Block[] = [];
  if (d.otherTitle) blocks.push({ type: 'section', text: plain(d.otherTitle) });
  if (d.page) blocks.push({ type: 'context', elements: [mrkdwn(`<${escapeSlackUrl(d.page)}>`)] });
  blocks.push({
    type: 'section',
    fields: [
      mrkdwn(`${label(m.firstSeen)}\n${slackDate(d.firstSeenAt, d.firstSeen)}`),
      mrkdwn(`${label(m.latestArticle)}\n${slackDate(d.lastSeenAt, d.lastSeen)}`),
      mrkdwn(`${label(m.outlets(d.outlets.length))}\n${escapeMrkdwn(truncate(d.outlets.join(', '), 1900))}`),
      mrkdwn(`${label(m.languages)}\n${escapeMrkdwn(d.langs.map((l) => names[l]).join(', '))}`),
      mrkdwn(`${label(m.companies)}\n${escapeMrkdwn(truncate(d.companies.join(', ') || m.noneNamed, 1900))}`),
    ],
  });
  if (d.reasons.length)
    blocks.push({
      type: 'section',
      text: plain(`${m.whyRelevant}:\n${d.reasons.map((r) => `• ${r}`).join('\n')}`),
    });
  blocks.push({ type: 'divider' });
  d.articles.forEach((article, i) => {
    const button = openButton(article.url, `a${i}`, m);
    blocks.push({ type: 'section', text: plain(article.title), ...(button ? { accessory: button } : {}) });
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `${escapeMrkdwn(article.outlet)} · ${escapeMrkdwn(names[article.lang])} · ${slackDate(article.at, article.when)}`,
        ),
      ],
    });
  });
  return blocks;
}

function pagerBlock(answer: Answer, m: CommandMessages): Block | undefined {
  const pager = answer.pager;
  if (!pager || (!pager.prev && !pager.next)) return undefined;
  const buttons: Button[] = [];
  if (pager.prev)
    buttons.push({
      type: 'button',
      text: plain(m.previous, LIMITS.button),
      action_id: 'aiwatch_page_prev',
      value: pager.prev,
    });
  if (pager.next)
    buttons.push({
      type: 'button',
      text: plain(m.next, LIMITS.button),
      action_id: 'aiwatch_page_next',
      value: pager.next,
    });
  return { type: 'actions', elements: buttons };
}

export function renderSlack(answer: Answer): SlackReply[] {
  const response_type = answer.visibility === 'channel' ? 'in_channel' : 'ephemeral';
  if (answer.digest)
    return slackDigestMessages(answer.digest).map((m) => ({
      response_type,
      text: m.text,
      blocks: m.blocks as Block[],
    }));
  const m = messages(answer.lang).commands;
  const blocks: Block[] = [{ type: 'header', text: plain(answer.title, LIMITS.header) }];
  for (const line of answer.lines) blocks.push({ type: 'section', text: plain(line) });
  if (answer.usage)
    blocks.push({
      type: 'section',
      text: mrkdwn(
        answer.usage.map((u) => `\`/aiwatch ${escapeMrkdwn(u.syntax)}\`  ${escapeMrkdwn(u.text)}`).join('\n'),
      ),
    });
  (answer.events ?? []).forEach((line, i) => blocks.push(...eventBlocks(line, i, m)));
  if (answer.detail) blocks.push(...detailBlocks(answer, m));
  const pager = pagerBlock(answer, m);
  const footer = [answer.footer, answer.pager ? m.page(answer.pager.page, answer.pager.pages) : '']
    .filter(Boolean)
    .join(' · ');
  const tail: Block[] = [];
  if (footer) tail.push({ type: 'context', elements: [plain(footer)] });
  if (pager) tail.push(pager);
  const body = blocks.slice(0, LIMITS.blocks - tail.length);
  const fallback = [answer.title, ...answer.lines].join('\n');
  return [{ response_type, text: escapeMrkdwn(truncate(fallback, LIMITS.text)), blocks: [...body, ...tail] }];
}
