/** Classification throughput on one core: the devset repeated to 100,000+ items. */
import { readItemsFile } from '../src/replay/items-file.ts';
import { loadApp } from '../src/cli/context.ts';
import { FIXTURES } from '../src/shared/paths.ts';
import { join } from 'node:path';

export default async function classifyBench(): Promise<void> {
  const { core } = loadApp();
  const devset = readItemsFile(join(FIXTURES, 'devset.jsonl'));
  const rounds = Math.ceil(100_000 / devset.length);
  // Warm up so the JIT has compiled the scanner before timing.
  for (const item of devset) core.classify(core.analyser.analyse(item), item);
  let relevant = 0;
  const started = performance.now();
  for (let r = 0; r < rounds; r++)
    for (const item of devset) if (core.classify(core.analyser.analyse(item), item).relevant) relevant++;
  const seconds = (performance.now() - started) / 1000;
  const total = rounds * devset.length;
  console.log(
    `classify: ${total} items in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} items/s on one core (${relevant / rounds} relevant per pass)`,
  );
}
