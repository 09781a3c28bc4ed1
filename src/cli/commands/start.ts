import type { Command } from 'commander';
import { logger } from '../../shared/log.ts';
import { startService } from '../../service/service.ts';
import { DEFAULT_PREFIX, loadApp } from '../context.ts';
import { startSummary } from '../start-summary.ts';

/** Resolves on the first SIGTERM or SIGINT; a second one exits at once. */
function shutdownRequested(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      resolve(signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the service: feed worker (one scheduled poll per feed, item processing); REDIS_URL')
    .option('--config <dir>', 'config directory')
    .action(async (options: { config?: string }) => {
      const { config, core } = loadApp(options.config);
      const stopping = shutdownRequested();
      const service = await startService({ config, core, prefix: DEFAULT_PREFIX });
      const channels = await service.app.channels.list().catch(() => []);
      const summary = startSummary(config, channels, process.env);
      logger.info(summary.fields, summary.text);
      const signal = await stopping;
      logger.info({ signal }, 'shutting down: finishing the jobs in hand');
      await service.close();
      logger.info('stopped');
    });
}
