import type { Command } from 'commander';
import { logger } from '../../shared/log.ts';
import { createPrometheusMetrics } from '../../metrics/prometheus.ts';
import { startCommandServer } from '../../server/server.ts';
import { closeInOrder } from '../../shared/lifecycle.ts';
import { DEFAULT_PREFIX, loadApp } from '../context.ts';
import { migrateAtStart } from '../migrate-layout.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run only the slash-command server: /slack/events, /discord/interactions, /healthz, /metrics (PORT, SLACK_SIGNING_SECRET, DISCORD_PUBLIC_KEY)',
    )
    .option('--config <dir>', 'config directory')
    .action(async (options: { config?: string }) => {
      const { config, core } = loadApp(options.config);
      const { openApp } = await import('../../app/app.ts');
      const app = await openApp({ config, core, prefix: DEFAULT_PREFIX, log: logger });
      // Before anything reads: the previous version's keys moved to the hash-tagged layout (one Redis only).
      await migrateAtStart(app.redis, app.prefix, logger).catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
      // Alone, /metrics shows the queues, Redis and the process (nothing is processed or posted here).
      const metrics = createPrometheusMetrics({ redis: app.redis, prefix: app.prefix });
      const part = await startCommandServer(app, process.env, { metrics }).catch(async (error: unknown) => {
        await metrics.close();
        await app.close();
        throw error;
      });
      const signal = await new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      logger.info({ signal }, 'shutting down');
      // Each step bounded or attempted even if one fails: SIGTERM exits with Redis down too.
      await closeInOrder(
        [
          { name: 'http', close: () => part.close() },
          { name: 'metrics', close: () => metrics.close() },
          { name: 'app', close: () => app.close() },
        ],
        logger,
      );
    });
}
