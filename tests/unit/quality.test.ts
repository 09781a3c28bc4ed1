import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../../src/config/index.ts';
import { createCore } from '../../src/core/index.ts';
import { score } from '../../src/replay/metrics.ts';
import { replay } from '../../src/replay/replay.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { core, devset, seeds } from '../helpers/fixtures.ts';

async function evaluate(items: ReturnType<typeof devset>, c = core()) {
  const predicted = await replay(items, c, createMemoryStore());
  return score(
    items.map((i) => ({ id: i.id, relevant: i.relevant ?? false, event: i.event ?? null })),
    predicted,
  );
}

describe('quality bars', () => {
  it('devset: relevance precision and recall at least 0.97', async () => {
    const s = await evaluate(devset());
    expect(s.relevance.precision).toBeGreaterThanOrEqual(0.97);
    expect(s.relevance.recall).toBeGreaterThanOrEqual(0.97);
  });

  it('devset: event B-cubed F1 at least 0.95 with at most 2 wrongly merged pairs', async () => {
    const s = await evaluate(devset());
    expect(s.events.f1).toBeGreaterThanOrEqual(0.95);
    expect(s.events.wrongMerges).toBeLessThanOrEqual(2);
  });

  it('seeds: all relevant, exactly the two expected events', async () => {
    const s = await evaluate(seeds());
    expect(s.relevance.recall).toBe(1);
    expect(s.events.f1).toBe(1);
  });

  it('a company and a term added to config/ are used on the next run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiwatch-config-'));
    cpSync(DEFAULT_CONFIG_DIR, dir, { recursive: true });
    const item = {
      title: 'Zentek unveils Kumo, a Japanese robot brain',
      summary: 'The Nagoya firm Zentek will ship the system to factories.',
      content: '',
    };
    const before = createCore(loadConfig(dir));
    expect(before.classify(before.analyser.analyse(item)).relevant).toBe(false);

    writeFileSync(
      join(dir, 'entities.yaml'),
      readFileSync(join(dir, 'entities.yaml'), 'utf8') +
        '  - { id: zentek, name: Zentek, kind: company, country: JP, aiFocus: true, aliases: { en: [Zentek], ja: [ゼンテック] } }\n',
    );
    const lexicon = parse(readFileSync(join(dir, 'lexicon.yaml'), 'utf8')) as { ai: { strong: string[] } };
    lexicon.ai.strong.push('robot brain');
    writeFileSync(join(dir, 'lexicon.yaml'), stringify(lexicon));
    const after = createCore(loadConfig(dir));
    const verdict = after.classify(after.analyser.analyse(item));
    expect(verdict.relevant).toBe(true);
    expect(verdict.companies).toContain('zentek');
    expect(verdict.terms).toContain('ai:robot brain');
  });
});
