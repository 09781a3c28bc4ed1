/** What both adapters do around the core: never fail silently, and know when an answer is late. */
import type { Logger } from '../shared/log.ts';
import { messages } from '../core/i18n/messages.ts';
import type { Lang } from '../core/types.ts';
import { channelKey, execute } from './execute.ts';
import type { Answer, Command, CommandDeps, Invocation } from './types.ts';

/** When the core failed: an apology in the channel's language. */
export function failure(lang: Lang): Answer {
  const m = messages(lang).commands;
  return { lang, visibility: 'ephemeral', tone: 'error', title: m.failureTitle, lines: [m.failure] };
}

/** The answer when the store is down or does not answer in time: one line, to the asker only. */
export function unavailable(lang: Lang): Answer {
  return {
    lang,
    visibility: 'ephemeral',
    tone: 'error',
    title: messages(lang).commands.unavailable,
    lines: [],
  };
}

/** A command that has not answered after this long gets UNAVAILABLE (its store hangs, say Redis is restarting). */
export const COMMAND_TIMEOUT_MS = 10_000;

/**
 * The answer, or an apology when the core failed or hangs (say Redis is down): a user never
 * gets silence. With Redis down the command is not even tried (deps.available).
 */
export async function runSafely(
  command: Command,
  who: Invocation,
  deps: CommandDeps,
  log: Logger,
): Promise<Answer> {
  const context = { verb: command.verb, platform: who.platform };
  // The registry may be what is down: the language this channel was last seen with, else English.
  const lang = deps.languages?.get(channelKey(who)) ?? 'en';
  if (deps.available && !deps.available()) {
    log.warn(context, 'command answered "temporarily unavailable": the store is not connected');
    return unavailable(lang);
  }
  try {
    const answer = await within(execute(command, who, deps), deps.timeoutMs ?? COMMAND_TIMEOUT_MS);
    if (answer) return answer;
    log.warn(context, 'command answered "temporarily unavailable": the store did not answer in time');
    return unavailable(lang);
  } catch (error) {
    log.error(
      { err: { message: (error as Error).message }, verb: command.verb, platform: who.platform },
      'command failed',
    );
    return failure(lang);
  }
}

/** The value if it settles within `ms`, else null (the work goes on). */
export function within<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Slack and Discord both give a request three seconds; answers slower than this are sent afterwards. */
export const DEFAULT_ACK_BUDGET_MS = 2000;
