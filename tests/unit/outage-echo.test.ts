import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isOutageEcho, reportOutages } from '../../src/redis/connect.ts';
import type { RedisClient } from '../../src/redis/client.ts';
import type { Logger } from '../../src/shared/log.ts';

const quiet = { warn: () => {}, info: () => {} } as unknown as Logger;

/** A connection as reportOutages sees it: only its events matter here. */
function connection(): RedisClient & EventEmitter {
  const redis = new EventEmitter() as RedisClient & EventEmitter;
  reportOutages(redis, quiet);
  return redis;
}

describe('queue errors that echo a Redis outage already reported', () => {
  it('a lost lock is the outage’s echo while it lasts, in any of the words BullMQ uses for it', () => {
    const redis = connection();
    redis.emit('reconnecting');
    for (const message of [
      'could not renew lock for job 1',
      'Missing lock for job 1. moveToFinished',
      'Lock mismatch for job repeat:feed-1:2. Cmd moveToFinished from active',
    ])
      expect(isOutageEcho(new Error(message), redis), message).toBe(true);
  });

  it('a lost lock with no outage is a problem worth a warning', () => {
    const redis = connection();
    expect(isOutageEcho(new Error('Lock mismatch for job 1. Cmd moveToFinished from active'), redis)).toBe(
      false,
    );
  });

  it('a refused connection is an echo whatever the state', () => {
    expect(isOutageEcho(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(true);
  });
});
