import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.ts';
import { createCore } from '../../src/core/index.ts';
import { readItemsFile } from '../../src/replay/items-file.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const seeds = () => readItemsFile(join(FIXTURES, 'seeds.jsonl'));
export const devset = () => readItemsFile(join(FIXTURES, 'devset.jsonl'));
export const core = () => createCore(loadConfig());
