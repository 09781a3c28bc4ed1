/** What both adapters do around the core: never fail silently, and know when an answer is late. */
import type { Logger } from '../log.ts';
import { execute } from './execute.ts';
import type { Answer, Command, CommandDeps, Invocation } from './types.ts';

export const FAILURE: Answer = {
  visibility: 'ephemeral',
  tone: 'error',
  title: 'Something went wrong',
  lines: ['The server could not answer just now. Please try again in a minute.'],
};

/** The answer when the store is down or does not answer in time: one line, to the asker only. */
export const UNAVAILABLE: Answer = {
  visibility: 'ephemeral',
  tone: 'error',
  title: 'aiwatch is temporarily unavailable: please try again in a few minutes.',
  lines: [],
};

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
  if (deps.available && !deps.available()) {
    log.warn(context, 'command answered "temporarily unavailable": the store is not connected');
    return UNAVAILABLE;
  }
  try {
    const answer = await within(execute(command, who, deps), deps.timeoutMs ?? COMMAND_TIMEOUT_MS);
    if (answer) return answer;
    log.warn(context, 'command answered "temporarily unavailable": the store did not answer in time');
    return UNAVAILABLE;
  } catch (error) {
    log.error(
      { err: { message: (error as Error).message }, verb: command.verb, platform: who.platform },
      'command failed',
    );
    return FAILURE;
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
