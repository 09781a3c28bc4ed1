import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../../src/config/index.ts';
import { createCore } from '../../src/core/index.ts';
import { FIXTURES } from '../../src/shared/paths.ts';
import { readItemsFile } from '../../src/replay/items-file.ts';
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

  // Today's figures on every held-out set, full and headline-only, as floors: a change may raise
  // them (then raise the floor), never lower them unnoticed. [relevance F1, events B3 F1].
  const FLOORS: Record<string, { full: [number, number]; headline: [number, number] }> = {
    'heldout.jsonl': { full: [0.991, 1.0], headline: [0.963, 0.874] },
    'heldout2.jsonl': { full: [0.985, 0.979], headline: [0.925, 0.874] },
    'heldout3.jsonl': { full: [1.0, 1.0], headline: [0.986, 0.887] },
    'heldout4.jsonl': { full: [0.986, 0.943], headline: [0.971, 0.844] },
    'heldout5.jsonl': { full: [0.97, 0.935], headline: [0.969, 0.712] },
    'heldout6.jsonl': { full: [1.0, 0.981], headline: [0.912, 0.816] },
    'heldout7.jsonl': { full: [0.985, 0.894], headline: [0.969, 0.684] },
    'heldout8.jsonl': { full: [0.983, 0.895], headline: [0.947, 0.792] },
    'heldout9.jsonl': { full: [0.986, 0.949], headline: [0.857, 0.791] },
  };
  for (const [file, floor] of Object.entries(FLOORS))
    it(`${file}: relevance and events at least today's figures, full and headline-only, no wrong merge`, async () => {
      const items = readItemsFile(join(FIXTURES, file));
      const full = await evaluate(items);
      const headline = await evaluate(items.map((item) => ({ ...item, summary: '', content: '' })));
      // Rounded as eval prints them.
      const r = (n: number) => Math.round(n * 1000) / 1000;
      expect(r(full.relevance.f1)).toBeGreaterThanOrEqual(floor.full[0]);
      expect(r(full.events.f1)).toBeGreaterThanOrEqual(floor.full[1]);
      expect(r(headline.relevance.f1)).toBeGreaterThanOrEqual(floor.headline[0]);
      expect(r(headline.events.f1)).toBeGreaterThanOrEqual(floor.headline[1]);
      expect(full.events.wrongMerges).toBe(0);
    });

  it('devset: relevant exactly when every check passes; a rejection names each failed check, an acceptance its evidence', () => {
    const { analyser, classify } = core();
    for (const item of devset()) {
      const verdict = classify(analyser.analyse(item), { lang: item.lang, source: item.source });
      const failed = verdict.checks!.filter((check) => !check.passed).map((check) => check.name);
      expect(verdict.relevant, item.id).toBe(failed.length === 0);
      if (verdict.relevant) expect(verdict.reasons.length, item.id).toBeGreaterThan(0);
      expect(
        verdict.reasons.filter((reason) => reason.startsWith('failed: ')),
        item.id,
      ).toHaveLength(failed.length);
      failed.forEach((name, i) =>
        expect(verdict.reasons[i]!.startsWith(`failed: ${name}`), item.id).toBe(true),
      );
    }
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

describe('streaming dedupe on the devset', () => {
  it('keeps the confusables apart and joins syndicated and cross-language reports', async () => {
    const items = devset();
    const lines = await replay(items, core(), createMemoryStore());
    const eventOf = new Map(lines.map((l) => [l.id, l.event]));
    const gold = new Map(items.map((i) => [i.id, i.event]));
    const idsOf = (event: string) => items.filter((i) => i.event === event).map((i) => i.id);
    const predictedEvents = (event: string) => new Set(idsOf(event).map((id) => eventOf.get(id)));

    // Microsoft vs Oracle, one month: no Oracle item in a Microsoft event and vice versa.
    for (const id of idsOf('oracle-japan-cloud-ai-investment-2024'))
      for (const other of idsOf('microsoft-japan-ai-cloud-investment-2024'))
        expect(eventOf.get(id)).not.toBe(eventOf.get(other));
    // The two KDDI/ELYZA events, the three Fujitsu events and the two Huang visits stay apart.
    const apart = [
      ['kddi-elyza-majority-stake', 'elyza-llama3-jp-release'],
      ['fugaku-llm-release', 'fujitsu-cohere-takane'],
      ['fujitsu-cohere-takane', 'fugakunext-development-launch'],
      ['jensen-huang-japan-visit-2023', 'huang-ishiba-meeting-2025'],
    ];
    for (const [a, b] of apart)
      for (const x of predictedEvents(a!)) expect(predictedEvents(b!).has(x)).toBe(false);

    // Syndicated and cross-language reports come together: every multi-article event is one event here.
    for (const event of [
      'kddi-elyza-majority-stake',
      'microsoft-japan-ai-cloud-investment-2024',
      'oracle-japan-cloud-ai-investment-2024',
      'nii-llm-jp-3-172b-release',
      'japan-10-trillion-yen-ai-chip-plan',
      'pfn-plamo2-release',
    ])
      expect(predictedEvents(event).size, event).toBe(1);
    expect([...gold.keys()].length).toBe(152);
  });
});
