import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../shared/errors.ts';
import { FIXTURES } from '../../shared/paths.ts';
import { loadApp } from '../context.ts';
import { readItemsFile } from '../../replay/items-file.ts';
import { formatScores, score } from '../../replay/metrics.ts';
import { replay } from '../../replay/replay.ts';
import { createMemoryStore } from '../../store/memory-store.ts';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      'relevance P/R/F1 and event B-cubed on the devset, the seeds and every held-out set, or the files given',
    )
    .option('--config <dir>', 'config directory')
    .argument('[files...]', 'labelled JSONL files to score instead of the bundled ones')
    .option('--file <file...>', 'the same, as an option')
    .option(
      '--headline-only',
      'judge each item by its headline alone (summary and body removed), as some feeds carry',
    )
    .action(
      async (given: string[], options: { config?: string; file?: string[]; headlineOnly?: boolean }) => {
        const { core } = loadApp(options.config);
        // The held-out sets were written blind to the rules; they show how the judgement generalises.
        const chosen = [...given, ...(options.file ?? [])];
        const files = chosen.length
          ? chosen
          : [
              join(FIXTURES, 'devset.jsonl'),
              join(FIXTURES, 'seeds.jsonl'),
              ...readdirSync(FIXTURES)
                .filter((f) => /^heldout\d*\.jsonl$/.test(f))
                .sort()
                .map((f) => join(FIXTURES, f)),
            ];
        for (const file of files) {
          if (!existsSync(file)) throw new InputError(`${file}: not found`);
          const read = readItemsFile(file);
          const items = options.headlineOnly
            ? read.map((item) => ({ ...item, summary: '', content: '' }))
            : read;
          const predicted = await replay(items, core, createMemoryStore());
          const gold = items.map((i) => ({
            id: i.id,
            relevant: i.relevant ?? false,
            event: i.event ?? null,
          }));
          const name = `${file.split('/').pop() ?? file}${options.headlineOnly ? ' (headline only)' : ''}`;
          process.stdout.write(`${formatScores(name, score(gold, predicted))}\n`);
        }
      },
    );
}
