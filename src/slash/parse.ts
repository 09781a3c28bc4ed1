/**
 * From what a user typed to a Command: Slack's free text ("latest 5", "search 生成AI"),
 * Discord's subcommand options, and the page tokens behind "Next" buttons.
 * Full-width input (ｌａｔｅｓｔ５) reads like half-width, as everywhere else.
 */
import { normaliseText } from '../core/normalise.ts';
import { MAX_LATEST, PAGE_SIZE, VERBS, type Command, type Verb } from './types.ts';
import { editDistance } from '../core/edit-distance.ts';

const SYNONYMS: Record<string, Verb> = {
  new: 'latest',
  recent: 'latest',
  news: 'latest',
  最新: 'latest',
  find: 'search',
  検索: 'search',
  co: 'company',
  企業: 'company',
  会社: 'company',
  イベント: 'event',
  sub: 'subscribe',
  follow: 'subscribe',
  購読: 'subscribe',
  unsub: 'unsubscribe',
  unfollow: 'unsubscribe',
  購読解除: 'unsubscribe',
  解除: 'unsubscribe',
  subs: 'subscriptions',
  following: 'subscriptions',
  購読一覧: 'subscriptions',
  ダイジェスト: 'digest',
  '?': 'help',
  ヘルプ: 'help',
};

const QUOTES = /^["'“”‘’「『]+|["'“”‘’」』]+$/g;

function unquote(text: string): string {
  return text.replace(QUOTES, '').trim();
}

function verbOf(word: string): Verb | undefined {
  const lower = word.toLowerCase();
  return (VERBS as readonly string[]).includes(lower) ? (lower as Verb) : SYNONYMS[lower];
}

function closestVerb(word: string): Verb | undefined {
  const lower = word.toLowerCase();
  let best: { verb: Verb; distance: number } | undefined;
  for (const verb of VERBS) {
    const distance = lower.length > 2 && verb.startsWith(lower) ? 0 : editDistance(lower, verb);
    if (!best || distance < best.distance) best = { verb, distance };
  }
  return best && best.distance <= 2 ? best.verb : undefined;
}

function latest(arg: string): Command {
  if (!arg) return { verb: 'latest', n: PAGE_SIZE, page: 1 };
  const n = /^\d{1,6}$/.test(arg) ? Number(arg) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LATEST)
    return { verb: 'invalid', problem: { code: 'latest-range', arg, max: MAX_LATEST } };
  return { verb: 'latest', n, page: 1 };
}

/** Builds a command from a verb and its one argument (the rest of the line, or a Discord option). */
export function commandOf(verb: Verb, rawArg: string): Command {
  // NFKC and spaces only: markup was already decoded once (parseText), and decoding twice would strip "<…>" typed as text.
  const arg = unquote(rawArg.normalize('NFKC').replace(/\s+/g, ' ').trim());
  switch (verb) {
    case 'latest':
      return latest(arg);
    case 'search':
      return arg
        ? { verb, text: arg, page: 1 }
        : { verb: 'invalid', problem: { code: 'search-needs-words' } };
    case 'company':
      return arg
        ? { verb, name: arg, page: 1 }
        : { verb: 'invalid', problem: { code: 'company-needs-name' } };
    case 'event': {
      const id = arg.split(' ')[0]?.replace(/^[`<[(]+|[`>\])]+$/g, '') ?? '';
      return id ? { verb, id, page: 1 } : { verb: 'invalid', problem: { code: 'event-needs-id' } };
    }
    case 'subscribe':
    case 'unsubscribe':
      return arg ? { verb, company: arg } : { verb: 'invalid', problem: { code: 'needs-company', verb } };
    default:
      return { verb };
  }
}

/** Slack: the whole text after /aiwatch. */
export function parseText(text: string): Command {
  const line = normaliseText(text);
  if (!line) return { verb: 'help' };
  const space = line.indexOf(' ');
  const word = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space + 1);
  const verb = verbOf(word);
  if (verb) return commandOf(verb, rest);
  const suggestion = closestVerb(word);
  return {
    verb: 'invalid',
    problem: { code: 'no-command', word },
    ...(suggestion ? { suggestion } : {}),
  };
}

/** Discord: the subcommand and its options (n, text, name, id, company). */
export function parseOptions(
  subcommand: string,
  options: Readonly<Record<string, string | number | boolean | undefined>>,
): Command {
  const verb = verbOf(subcommand);
  if (!verb) return { verb: 'invalid', problem: { code: 'no-command', word: subcommand } };
  const arg = options.n ?? options.text ?? options.name ?? options.id ?? options.company ?? '';
  return commandOf(verb, String(arg));
}

// --- Page tokens: "verb|page|argument", carried by Next/Previous buttons. ---

/** Discord limits a button's custom_id to 100 characters. */
export const MAX_TOKEN_LENGTH = 100;

export function pageToken(command: Command, page: number): string | undefined {
  let arg: string;
  if (command.verb === 'latest') arg = String(command.n);
  else if (command.verb === 'search') arg = command.text;
  else if (command.verb === 'company') arg = command.name;
  else if (command.verb === 'event') arg = command.id;
  else return undefined;
  const token = `${command.verb}|${page}|${arg}`;
  return token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

export function parseToken(token: string): Command | null {
  const match = /^(latest|search|company|event)\|(\d{1,4})\|(.+)$/s.exec(token);
  if (!match) return null;
  const page = Number(match[2]);
  const command = commandOf(match[1] as Verb, match[3]!);
  if (page < 1 || !('page' in command)) return null;
  return { ...command, page };
}
