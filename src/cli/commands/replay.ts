import type { Command } from 'commander';
import { UsageError } from '../../shared/errors.ts';
import { openReplayStore, loadApp } from '../context.ts';
import { readItemsFile } from '../../replay/items-file.ts';
import { parseOrder } from '../../replay/order.ts';
import { replay } from '../../replay/replay.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'process a JSONL file of items (in published order unless --order says) and print one decision per item',
    )
    .argument('<file>', 'items in the devset format')
    .option('--store <kind>', 'memory or redis (REDIS_URL, its own key prefix)', 'memory')
    .option('--config <dir>', 'config directory')
    .option(
      '--order <order>',
      'published (the stream order, default), reverse, or shuffle[:SEED]; each decision uses only what came before',
      'published',
    )
    .action(async (file: string, options: { store: string; config?: string; order: string }) => {
      if (options.store !== 'memory' && options.store !== 'redis')
        throw new UsageError(`--store must be memory or redis, not "${options.store}"`);
      const order = parseOrder(options.order);
      const { core } = loadApp(options.config);
      const items = readItemsFile(file);
      const { store, close } = await openReplayStore(options.store);
      try {
        for (const line of await replay(items, core, store, order))
          process.stdout.write(`${JSON.stringify(line)}\n`);
      } finally {
        await close();
      }
    });
}
