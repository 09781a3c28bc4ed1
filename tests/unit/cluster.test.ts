import { describe, expect, it } from 'vitest';
import { extractNumbers, extractNames } from '../../src/core/features.ts';
import { replay } from '../../src/replay/replay.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { world } from '../helpers/core-world.ts';

describe('event features', () => {
  it('normalises amounts across languages and scripts', () => {
    expect(extractNumbers('政府、ＡＩに１兆円支援'.normalize('NFKC'))).toContain('jpy:1e+12');
    expect(extractNumbers('up to 1 trillion yen for AI')).toContain('jpy:1e+12');
    expect(extractNumbers('¥1 trillion fund')).toContain('jpy:1e+12');
    expect(extractNumbers('4400億円を投資')).toContain('jpy:4.4e+11');
    expect(extractNumbers('invest 440 billion yen')).toContain('jpy:4.4e+11');
    expect(extractNumbers('80億ドル（約1兆2千億円）')).toEqual(
      expect.arrayContaining(['usd:8e+9', 'jpy:1.2e+12']),
    );
    expect(extractNumbers('$8 billion pledge')).toContain('usd:8e+9');
    expect(extractNumbers('a 172bn-parameter model')).toContain('params:1.72e+11');
    expect(extractNumbers('1720億パラメータのLLM')).toContain('params:1.72e+11');
    expect(extractNumbers('founded in 2024 with 100 staff')).toEqual([]);
  });

  it('extracts model and product names', () => {
    expect(extractNames(['PFN、次世代LLM「PLaMo 2」を公開'])).toContain('plamo');
    expect(extractNames(['SB Intuitions posts Sarashina2-8x70B on Hugging Face'])).toContain('sarashina');
  });
});

describe('streaming dedupe keeps one company’s different stories apart', () => {
  const item = (id: string, published: string, title: string, summary: string, lang: 'en' | 'ja' = 'en') => ({
    id,
    source: `Outlet ${id}`,
    url: `https://news.example/${id}`,
    lang,
    published,
    title,
    summary,
    content: '',
  });

  it('a data-centre plan and a model release by SoftBank on one day are two events; their reports join them', async () => {
    const items = [
      item(
        'dc-1',
        '2026-06-01T01:00:00Z',
        'SoftBank to build AI data center in Hokkaido',
        'SoftBank will spend 100 billion yen on a data center in Tomakomai for domestic AI.',
      ),
      item(
        'model-1',
        '2026-06-01T03:00:00Z',
        'SoftBank releases Sarashina3 Japanese LLM',
        'SoftBank unit SB Intuitions released its Sarashina3 large language model for Japanese.',
      ),
      item(
        'dc-2',
        '2026-06-01T05:00:00Z',
        'ソフトバンク、北海道にＡＩデータセンター　１０００億円投資',
        'ソフトバンクは苫小牧市に1000億円を投じAI向けデータセンターを建設する。',
        'ja',
      ),
      item(
        'model-2',
        '2026-06-01T06:00:00Z',
        'ソフトバンク系、国産LLM「Sarashina3」を公開',
        'SBインテュイションズは日本語の大規模言語モデル「Sarashina3」を公開した。',
        'ja',
      ),
    ];
    const lines = await replay(items, world(), createMemoryStore());
    const eventOf = Object.fromEntries(lines.map((l) => [l.id, l.event]));
    expect(lines.every((l) => l.relevant)).toBe(true);
    expect(eventOf['dc-1']).not.toBe(eventOf['model-1']);
    expect(eventOf['dc-2']).toBe(eventOf['dc-1']);
    expect(eventOf['model-2']).toBe(eventOf['model-1']);
  });
});
