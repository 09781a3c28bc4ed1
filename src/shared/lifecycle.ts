/** Shutting down once, in order, finishing every step even if one fails. */
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from './log.ts';

export interface ServicePart {
  name: string;
  close(): Promise<void>;
}

export async function closeInOrder(parts: ServicePart[], log: Logger): Promise<void> {
  for (const part of parts) {
    try {
      await part.close();
    } catch (error) {
      log.error({ part: part.name, err: { message: (error as Error).message } }, 'shutdown step failed');
    }
  }
}

/** QUIT, or a hard disconnect when Redis does not answer within `ms` (it may be down). */
export async function quitRedis(redis: Redis | Cluster, ms = 2000): Promise<void> {
  const timer = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  await Promise.race([redis.quit().then(() => undefined), timer]).catch(() => undefined);
  redis.disconnect();
}
