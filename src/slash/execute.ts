/**
 * The one command core both chat adapters call: a Command and who asked where in,
 * a platform-neutral Answer out. Channel-scoped commands (subscribe, unsubscribe,
 * subscriptions, digest) never cross workspaces: a channel belongs to the Slack team or
 * Discord guild config/channels.yaml names for it, or else to the one whose command added it,
 * and refuses any other.
 */
import type { Channel } from '../channels/registry.ts';
import { messages, type CommandMessages } from '../core/i18n/messages.ts';
import type { Lang } from '../core/types.ts';
import { eventUrl } from '../web/urls.ts';
import { company, event, latest, search, unknownCompany } from './queries.ts';
import type { Answer, Command, CommandDeps, Invocation, Verb } from './types.ts';

/** The command syntax (the same in every language); what each does comes from the catalogue. */
const SYNTAX: { verb: keyof CommandMessages['usage']; syntax: string }[] = [
  { verb: 'latest', syntax: 'latest [n]' },
  { verb: 'search', syntax: 'search <words>' },
  { verb: 'company', syntax: 'company <name>' },
  { verb: 'event', syntax: 'event <id>' },
  { verb: 'subscribe', syntax: 'subscribe <company>' },
  { verb: 'unsubscribe', syntax: 'unsubscribe <company>' },
  { verb: 'subscriptions', syntax: 'subscriptions' },
  { verb: 'digest', syntax: 'digest' },
  { verb: 'help', syntax: 'help' },
];

export function usage(lang: Lang): { syntax: string; text: string }[] {
  const m = messages(lang).commands;
  return SYNTAX.map(({ verb, syntax }) => ({ syntax, text: m.usage[verb] }));
}

/** The English usage (kept for callers that list it outside a channel). */
export const USAGE = usage('en');

function reply(
  lang: Lang,
  title: string,
  lines: string[],
  tone: Answer['tone'],
  visibility: Answer['visibility'] = 'ephemeral',
): Answer {
  return { lang, visibility, tone, title, lines };
}

export const channelKey = (who: Invocation) => `${who.platform}:${who.channelId}`;

/** A registered channel belongs to its workspace; one registered without any belongs to nobody here. */
function foreign(channel: Channel | null, who: Invocation): boolean {
  return channel !== null && channel.workspace !== who.workspace;
}

function foreignAnswer(lang: Lang): Answer {
  const m = messages(lang).commands;
  return reply(lang, m.foreignTitle, [m.foreign], 'error');
}

function mayChange(who: Invocation, admins: CommandDeps['admins']): boolean {
  return (
    admins === 'anyone' || admins.includes(who.userId) || admins.includes(`${who.platform}:${who.userId}`)
  );
}

export async function execute(command: Command, who: Invocation, deps: CommandDeps): Promise<Answer> {
  const channel = await deps.channels.get(channelKey(who));
  const lang: Lang = channel?.language ?? 'en';
  deps.languages?.set(channelKey(who), lang);
  const m = messages(lang).commands;
  const view = {
    language: lang,
    timeZone: channel?.timezone ?? 'Asia/Tokyo',
    entities: deps.entities,
    pageOf: (id: string) => eventUrl(id),
  };
  switch (command.verb) {
    case 'latest':
      return latest(command, deps, view);
    case 'search':
      return search(command, deps, view);
    case 'company':
      return company(command, deps, view);
    case 'event':
      return event(command, deps, view);
    case 'subscribe':
    case 'unsubscribe':
      return change(command.verb, command.company, channel, who, deps, lang);
    case 'subscriptions':
      return subscriptions(channel, who, deps, lang);
    case 'digest':
      return digest(channel, who, deps, lang);
    case 'help':
      return { ...reply(lang, m.helpTitle, [], 'info'), usage: usage(lang) };
    case 'invalid':
      return {
        ...reply(
          lang,
          m.notUnderstood,
          [m.problem(command.problem), command.suggestion ? m.didYouMean(command.suggestion) : ''].filter(
            Boolean,
          ),
          'warn',
        ),
        usage: usage(lang),
      };
  }
}

async function change(
  verb: 'subscribe' | 'unsubscribe',
  name: string,
  existing: Channel | null,
  who: Invocation,
  deps: CommandDeps,
  lang: Lang,
): Promise<Answer> {
  const m = messages(lang).commands;
  if (foreign(existing, who)) return foreignAnswer(lang);
  if (!mayChange(who, deps.admins)) return reply(lang, m.notAllowedTitle, [m.notAllowed], 'error');
  const entity = deps.entities.resolve(name);
  if (!entity) return unknownCompany(name, deps, lang);
  const channel = await deps.channels.ensure(channelKey(who), who.workspace);
  if (foreign(channel, who)) return foreignAnswer(lang);
  const shown = deps.entities.nameIn(entity.id, lang);
  if (verb === 'subscribe') {
    const added = await deps.channels.subscribe(channel.id, entity.id);
    const said = added ? m.following(shown) : m.alreadyFollowing(shown);
    return added
      ? reply(lang, said.title, [said.line], 'ok', 'channel')
      : reply(lang, said.title, [said.line], 'info');
  }
  const removed = await deps.channels.unsubscribe(channel.id, entity.id);
  if (removed) {
    const said = m.stopped(shown);
    return reply(lang, said.title, [said.line], 'ok', 'channel');
  }
  const others = channel.subscriptions.map((id) => deps.entities.nameIn(id, lang));
  const said = m.notFollowing(shown);
  return reply(lang, said.title, [said.line, others.length ? m.followsList(others) : m.followsNone], 'warn');
}

async function subscriptions(
  channel: Channel | null,
  who: Invocation,
  deps: CommandDeps,
  lang: Lang,
): Promise<Answer> {
  const m = messages(lang).commands;
  if (foreign(channel, who)) return foreignAnswer(lang);
  const names = (channel?.subscriptions ?? []).map((id) => deps.entities.nameIn(id, lang));
  if (!names.length) return reply(lang, m.subscriptionsTitle, [m.noSubscriptions], 'info');
  return reply(lang, m.subscriptionsTitle, [m.subscriptionsLine(names)], 'info');
}

async function digest(
  existing: Channel | null,
  who: Invocation,
  deps: CommandDeps,
  lang: Lang,
): Promise<Answer> {
  const m = messages(lang).commands;
  if (foreign(existing, who)) return foreignAnswer(lang);
  if (!deps.digestNow) return reply(lang, m.digestTitle, [m.digestNotSetUp], 'warn');
  const channel = await deps.channels.ensure(channelKey(who), who.workspace);
  if (foreign(channel, who)) return foreignAnswer(lang);
  const built = await deps.digestNow(channel);
  if (!built?.entries.length) return reply(lang, m.digestTitle, [m.digestNothingNew], 'info');
  return { ...reply(lang, m.digestTitle, [], 'info', 'channel'), digest: built };
}

/** Who sees the answer, known before it is computed (Discord needs it to defer). */
export function visibilityOf(verb: Verb | 'invalid'): Answer['visibility'] {
  return verb === 'subscribe' || verb === 'unsubscribe' || verb === 'digest' ? 'channel' : 'ephemeral';
}
