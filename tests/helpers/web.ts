/**
 * The real HTTP server with the web archive over a Redis store filled with the devset and the
 * seeds through the real pipeline (tests/helpers/commands.ts), under the suite's own prefix.
 */
import type { Redis } from 'ioredis';
import { logger } from '../../src/shared/log.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { createArchive } from '../../src/web/archive.ts';
import { createWebHandler, type WebOptions } from '../../src/web/handler.ts';
import { devsetDeps } from './commands.ts';

export async function startArchive(redis: Redis, prefix: string, options: WebOptions = {}) {
  const { deps, core } = await devsetDeps(redis, prefix);
  const archive = createArchive({
    redis,
    prefix,
    store: deps.store,
    search: deps.search,
    entities: core.registry,
  });
  const serve = (web: WebOptions): Promise<RunningServer> =>
    startServer({
      commands: deps,
      log: logger.child({}, { level: 'silent' }),
      port: 0,
      host: '127.0.0.1',
      web: createWebHandler(archive, core.registry, web),
    });
  const server = await serve(options);
  return { server, deps, core, archive, serve };
}
