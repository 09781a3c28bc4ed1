/**
 * MULTI and pipeline results, checked. `exec()` answers null when a transaction was aborted
 * (a WATCHed key changed) and one [error, result] pair per command, where an error does not
 * stop the commands after it: a caller that ignores the reply never hears of either.
 */
import type { ChainableCommander } from 'ioredis';

export class RedisExecError extends Error {
  override readonly name = 'RedisExecError';
  constructor(
    message: string,
    /** Position of the failed command in the transaction or pipeline, when one failed. */
    readonly index?: number,
    override readonly cause?: Error,
  ) {
    super(message);
  }
}

/** The replies of every command, in order; throws on an aborted transaction or any command's error. */
export async function execChecked(batch: ChainableCommander): Promise<unknown[]> {
  const results = await batch.exec();
  if (!results) throw new RedisExecError('Redis transaction aborted: nothing was written');
  return results.map(([error, result], index) => {
    if (error)
      throw new RedisExecError(
        `Redis command ${index + 1} of ${results.length} failed: ${error.message}`,
        index,
        error,
      );
    return result;
  });
}
