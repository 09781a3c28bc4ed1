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

/** The answer, or an apology when the core failed (say Redis is down): a user never gets silence. */
export async function runSafely(
  command: Command,
  who: Invocation,
  deps: CommandDeps,
  log: Logger,
): Promise<Answer> {
  try {
    return await execute(command, who, deps);
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
