import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { openReplayStore, loadApp } from '../context.ts';
import { readItemsFile } from '../../replay/items-file.ts';
import { replay } from '../../replay/replay.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('process a JSONL file of items in published order and print one decision per item')
    .argument('<file>', 'items in the devset format')
    .option('--store <kind>', 'memory or redis (REDIS_URL, its own key prefix)', 'memory')
    .option('--config <dir>', 'config directory')
    .action(async (file: string, options: { store: string; config?: string }) => {
      if (options.store !== 'memory' && options.store !== 'redis')
        throw new UsageError(`--store must be memory or redis, not "${options.store}"`);
      const { core } = loadApp(options.config);
      const items = readItemsFile(file);
      const { store, close } = await openReplayStore(options.store);
      try {
        for (const line of await replay(items, core, store))
          process.stdout.write(`${JSON.stringify(line)}\n`);
      } finally {
        await close();
      }
    });
}
