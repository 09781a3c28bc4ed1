import type { Command } from 'commander';
import { reindexAll } from '../../search/reindex.ts';
import { withApp } from '../context.ts';

export function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description(
      '(re)build the search index of every stored event with its articles; safe to repeat (REDIS_URL)',
    )
    .action(async () => {
      const count = await withApp({}, (app) => reindexAll(app.store, app.search));
      process.stdout.write(`indexed ${count} events\n`);
    });
}
