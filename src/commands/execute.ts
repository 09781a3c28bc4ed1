/**
 * The one command core both chat adapters call: a Command and who asked where in,
 * a platform-neutral Answer out. Channel-scoped commands (subscribe, unsubscribe,
 * subscriptions, digest) never cross workspaces: a channel belongs to the Slack team or
 * Discord guild config/channels.yaml names for it, or else to the one whose command added it,
 * and refuses any other.
 */
import type { Channel } from '../channels/registry.ts';
import type { Lang } from '../core/types.ts';
import { company, event, latest, search, unknownCompany } from './queries.ts';
import type { Answer, Command, CommandDeps, Invocation, Verb } from './types.ts';
import { MAX_LATEST } from './types.ts';

export const USAGE: { syntax: string; text: string }[] = [
  { syntax: 'latest [n]', text: `the newest events (n up to ${MAX_LATEST}, 10 by default)` },
  {
    syntax: 'search <words>',
    text: 'events whose headlines contain every word, English or Japanese: 生成AI, sovereign AI',
  },
  {
    syntax: 'company <name>',
    text: 'events of one company, by any name in either script: SoftBank, ソフトバンク, MHI, 三菱重工',
  },
  {
    syntax: 'event <id>',
    text: 'one event with all its articles, outlets, languages and why it is relevant',
  },
  { syntax: 'subscribe <company>', text: 'alert this channel as soon as that company has news' },
  { syntax: 'unsubscribe <company>', text: 'stop those alerts' },
  { syntax: 'subscriptions', text: 'the companies this channel follows' },
  { syntax: 'digest', text: "this channel's digest, now" },
  { syntax: 'help', text: 'this list' },
];

function reply(
  title: string,
  lines: string[],
  tone: Answer['tone'],
  visibility: Answer['visibility'] = 'ephemeral',
): Answer {
  return { visibility, tone, title, lines };
}

export const channelKey = (who: Invocation) => `${who.platform}:${who.channelId}`;

/** A registered channel belongs to its workspace; one registered without any belongs to nobody here. */
function foreign(channel: Channel | null, who: Invocation): boolean {
  return channel !== null && channel.workspace !== who.workspace;
}

const FOREIGN = reply(
  'Not available here',
  [
    'This channel is registered to another workspace, so its subscriptions cannot be read or changed from here.',
  ],
  'error',
);

function mayChange(who: Invocation, admins: CommandDeps['admins']): boolean {
  return (
    admins === 'anyone' || admins.includes(who.userId) || admins.includes(`${who.platform}:${who.userId}`)
  );
}

export async function execute(command: Command, who: Invocation, deps: CommandDeps): Promise<Answer> {
  const channel = await deps.channels.get(channelKey(who));
  const view = {
    language: (channel?.language ?? 'en') as Lang,
    timeZone: channel?.timezone ?? 'Asia/Tokyo',
    entities: deps.entities,
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
      return change(command.verb, command.company, channel, who, deps);
    case 'subscriptions':
      return subscriptions(channel, who, deps);
    case 'digest':
      return digest(channel, who, deps);
    case 'help':
      return { ...reply('/aiwatch: Japanese sovereign-AI news', [], 'info'), usage: USAGE };
    case 'invalid':
      return {
        ...reply(
          'Not understood',
          [command.problem, command.suggestion ? `Did you mean “${command.suggestion}”?` : ''].filter(
            Boolean,
          ),
          'warn',
        ),
        usage: USAGE,
      };
  }
}

async function change(
  verb: 'subscribe' | 'unsubscribe',
  name: string,
  existing: Channel | null,
  who: Invocation,
  deps: CommandDeps,
): Promise<Answer> {
  if (foreign(existing, who)) return FOREIGN;
  if (!mayChange(who, deps.admins))
    return reply(
      'Not allowed',
      ['Only the admins listed in config/channels.yaml can change what this channel follows.'],
      'error',
    );
  const entity = deps.entities.resolve(name);
  if (!entity) return unknownCompany(name, deps);
  const channel = await deps.channels.ensure(channelKey(who), who.workspace);
  if (foreign(channel, who)) return FOREIGN;
  if (verb === 'subscribe') {
    const added = await deps.channels.subscribe(channel.id, entity.id);
    return added
      ? reply(
          `Following ${entity.name}`,
          [`This channel now gets an alert as soon as ${entity.name} has news.`],
          'ok',
          'channel',
        )
      : reply(`Already following ${entity.name}`, [`This channel already follows ${entity.name}.`], 'info');
  }
  const removed = await deps.channels.unsubscribe(channel.id, entity.id);
  if (removed)
    return reply(
      `Stopped following ${entity.name}`,
      [`This channel no longer gets alerts for ${entity.name}.`],
      'ok',
      'channel',
    );
  const others = channel.subscriptions.map((id) => deps.entities.nameOf(id));
  return reply(
    `Not following ${entity.name}`,
    [
      `This channel does not follow ${entity.name}, so there was nothing to stop.`,
      others.length ? `It follows: ${others.join(', ')}.` : 'It follows no company.',
    ],
    'warn',
  );
}

async function subscriptions(channel: Channel | null, who: Invocation, deps: CommandDeps): Promise<Answer> {
  if (foreign(channel, who)) return FOREIGN;
  const names = (channel?.subscriptions ?? []).map((id) => deps.entities.nameOf(id));
  if (!names.length)
    return reply(
      'Subscriptions',
      ['This channel follows no company. Add one with “subscribe <company>”.'],
      'info',
    );
  return reply(
    'Subscriptions',
    [
      `This channel follows ${names.length === 1 ? 'one company' : `${names.length} companies`}: ${names.join(', ')}.`,
    ],
    'info',
  );
}

async function digest(existing: Channel | null, who: Invocation, deps: CommandDeps): Promise<Answer> {
  if (foreign(existing, who)) return FOREIGN;
  if (!deps.digestNow) return reply('Digest', ['Digests are not set up on this server yet.'], 'warn');
  const channel = await deps.channels.ensure(channelKey(who), who.workspace);
  if (foreign(channel, who)) return FOREIGN;
  const built = await deps.digestNow(channel);
  if (!built?.entries.length)
    return reply('Digest', ['Nothing new for this channel since its last digest.'], 'info');
  return { ...reply('Digest', [], 'info', 'channel'), digest: built };
}

/** Who sees the answer, known before it is computed (Discord needs it to defer). */
export function visibilityOf(verb: Verb | 'invalid'): Answer['visibility'] {
  return verb === 'subscribe' || verb === 'unsubscribe' || verb === 'digest' ? 'channel' : 'ephemeral';
}
