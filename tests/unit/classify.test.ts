import { describe, expect, it } from 'vitest';
import { core, devset } from '../helpers/fixtures.ts';
import type { FeedItem } from '../../src/core/types.ts';

const { analyser, classify, registry } = core();

function judge(title: string, summary = '', content = '', lang: 'en' | 'ja' = 'en') {
  const item: FeedItem = {
    id: 'x',
    source: 'test',
    url: 'https://t.example/x',
    lang,
    published: '2026-01-01T00:00:00Z',
    title,
    summary,
    content,
  };
  return classify(analyser.analyse(item), { lang });
}

describe('relevance classifier', () => {
  it('finds the same company under its English and Japanese aliases', () => {
    const en = judge('SoftBank and NEC start joint development of a domestic LLM');
    const ja = judge('ソフトバンクと日本電気、国産LLMを共同開発', '', '', 'ja');
    expect(en.relevant).toBe(true);
    expect(ja.relevant).toBe(true);
    expect(ja.companies).toEqual(expect.arrayContaining(['softbank', 'nec']));
    expect(en.companies).toEqual(expect.arrayContaining(['softbank', 'nec']));
    expect(registry.resolve('三菱重工')?.id).toBe('mhi');
    expect(registry.resolve('ＭＨＩ')?.id).toBe('mhi');
  });

  it('reads full-width headlines as their ASCII form', () => {
    const verdict = judge(
      'ＮＴＴ、独自ＬＬＭ「ｔｓｕｚｕｍｉ」の新版を公開　パラメータ数は７０億',
      '',
      '',
      'ja',
    );
    expect(verdict.relevant).toBe(true);
    expect(verdict.companies).toContain('ntt');
    expect(verdict.terms).toContain('ai:LLM');
  });

  it('rejects a Japanese firm investing in AI abroad', () => {
    const verdict = judge(
      'Mizuho takes stake in Silicon Valley AI startup',
      'Mizuho Financial Group will invest $200 million in a California-based generative AI developer, the bank said.',
      'The startup builds large language models for US banks and plans to expand in the United States.',
    );
    expect(verdict.relevant).toBe(false);
    expect(verdict.reasons).toContain('investment abroad');
  });

  it("rejects another country's sovereign AI", () => {
    const verdict = judge(
      'Saudi Arabia launches national AI company to build Arabic language models',
      'The kingdom will fund data centres and an Arabic LLM under its sovereign AI push.',
    );
    expect(verdict.relevant).toBe(false);
  });

  it("rejects a Japanese company's news without AI", () => {
    expect(
      judge(
        'Honda recalls 300,000 vehicles in Japan over fuel pump defect',
        'Honda Motor said on Friday it would recall cars sold in Japan.',
      ).relevant,
    ).toBe(false);
    expect(
      judge(
        'ソニーG、映画事業を再編　米スタジオを統合',
        'ソニーグループは映画事業の再編を発表した。',
        '',
        'ja',
      ).relevant,
    ).toBe(false);
  });

  it('rejects consumer-use surveys and US products merely available in Japanese', () => {
    expect(
      judge(
        'Survey: 3 in 10 Japanese office workers use ChatGPT weekly',
        'A poll of 5,000 respondents in Japan found rising use of generative AI at work.',
      ).relevant,
    ).toBe(false);
    expect(
      judge(
        '米Anthropic、「Claude」が日本語に対応',
        '米AnthropicのAIアシスタントが日本語で使えるようになった。',
        '',
        'ja',
      ).relevant,
    ).toBe(false);
  });

  it('keeps a foreign firm building AI capacity in Japan', () => {
    const verdict = judge(
      'Amazon to invest 2.3 trillion yen in Japan cloud and AI data centers',
      'Amazon Web Services will expand its Tokyo and Osaka regions through 2027 to meet demand for generative AI.',
    );
    expect(verdict.relevant).toBe(true);
    expect(verdict.reasons.join(' ')).toMatch(/Japan/);
  });

  it('does not promote a long article on one passing mention of AI', () => {
    const filler =
      'Toyota said sales of hybrid cars rose in Europe and North America during the quarter. '.repeat(30);
    const verdict = judge(
      'Toyota raises annual profit forecast on weak yen',
      'Toyota Motor lifted its full-year outlook.',
      `${filler} The company also uses AI in some plants.`,
    );
    expect(verdict.relevant).toBe(false);
    expect(verdict.reasons).toContain('not about AI capability');
  });

  it('explains a relevant decision with companies, terms and a score', () => {
    const verdict = judge(
      'Sakana AI raises 30 billion yen to build Japanese-language models',
      'The Tokyo startup will expand its research team.',
    );
    expect(verdict.relevant).toBe(true);
    expect(verdict.companies[0]).toBe('sakana-ai');
    expect(verdict.score).toBeGreaterThan(0);
    expect(verdict.reasons.some((r) => r.startsWith('Japanese actors: Sakana AI'))).toBe(true);
  });

  it('ignores HTML in summaries', () => {
    const verdict = judge(
      'Fujitsu unveils new AI supercomputer in Japan',
      '<p><a href="https://x">Fujitsu</a> &amp; RIKEN <b>unveiled</b></p>',
    );
    expect(verdict.relevant).toBe(true);
    expect(verdict.companies).toEqual(expect.arrayContaining(['fujitsu', 'riken']));
  });
});

describe('dependence is not sovereignty', () => {
  it('a foreign model adopted by a Japanese agency is someone else’s AI used here, and says so', () => {
    const agency = judge(
      'Digital Agency to let civil servants use OpenAI models for government work',
      'Japan’s Digital Agency said it will adopt OpenAI’s models for drafting and research by staff.',
    );
    expect(agency.relevant).toBe(false);
    expect(agency.reasons.join(' ')).toMatch(/foreign AI used, not built: .*\(OpenAI\)/);
    const ja = judge(
      '都庁、ChatGPTを全職員に導入',
      '東京都は米オープンAIの生成AIを業務に活用する。',
      '',
      'ja',
    );
    expect(ja.relevant).toBe(false);
  });

  it('a foreign AI firm’s Tokyo office and a foreign product made available in Japan are not Japanese capability', () => {
    expect(judge('Anthropic opens Tokyo office to serve Japanese enterprises').relevant).toBe(false);
    expect(judge('米アンソロピック、東京にオフィスを開設', '', '', 'ja').relevant).toBe(false);
    expect(
      judge('Copilot now available to Japanese companies', 'The assistant now supports Japanese.').relevant,
    ).toBe(false);
  });

  it('a Japanese firm supplying AI data centres abroad is AI abroad', () => {
    const supply = judge(
      '三菱重工、米データセンター向けガスタービン受注を拡大',
      '生成AI需要で米国の受注が増える。',
      '',
      'ja',
    );
    expect(supply.relevant).toBe(false);
    expect(supply.reasons).toContain('supplying AI abroad');
  });

  it('what the policy keeps stays relevant: compute built in Japan, a model derived from a foreign base, a Japanese startup’s model', () => {
    expect(
      judge(
        'Microsoft to invest $2.9 billion in AI data centers in Japan',
        'Microsoft will expand AI infrastructure in Japan.',
      ).relevant,
    ).toBe(true);
    expect(
      judge(
        'Fujitsu to sell Takane, a Japanese LLM developed with Cohere',
        'Fujitsu will offer the Command R+-derived model to Japanese companies for private deployment.',
      ).relevant,
    ).toBe(true);
    expect(
      judge(
        'ELYZA releases Llama-based model tuned for Japanese',
        'Tokyo startup ELYZA released a Llama-based model for Japanese.',
      ).relevant,
    ).toBe(true);
  });
});

describe('headline-only items', () => {
  it('a compute build-out or investment in Japan named by its headline alone is AI compute', () => {
    expect(judge('Amazon Web Services to invest $15 billion in Japan cloud infrastructure').relevant).toBe(
      true,
    );
    expect(judge('SoftBank to be first to deploy Nvidia DGX B200 SuperPOD').relevant).toBe(true);
    // With a body that never says AI, the same data centre is not AI capability.
    expect(
      judge(
        'AWS to invest $15 billion in Japan cloud infrastructure',
        'The company will expand its data centres for retail and banking customers in Tokyo and Osaka.',
      ).relevant,
    ).toBe(false);
  });

  it('money from abroad into a Japanese AI developer funds Japan’s capability, not investment abroad', () => {
    expect(judge('サカナＡＩ、３００億円調達　米エヌビディアが出資', '', '', 'ja').relevant).toBe(true);
  });

  it('teaming up on a model is co-development; teaming up with a provider for its tools is use', () => {
    expect(judge('Fujitsu, Cohere team up on Japanese-language AI model for businesses').relevant).toBe(true);
    expect(judge('Rakuten teams up with OpenAI for business AI tools').relevant).toBe(false);
  });
});

describe('the decision and its explanation come from one pass', () => {
  it('an item is relevant exactly when every check passes, and a rejection names the failing check', () => {
    for (const item of devset()) {
      const verdict = classify(analyser.analyse(item), { lang: item.lang, source: item.source });
      expect(verdict.checks?.length).toBeGreaterThan(5);
      expect(verdict.relevant, item.id).toBe(verdict.checks!.every((check) => check.passed));
    }
    const rejected = judge('LLMの評価手法を解説', '', '', 'ja');
    expect(rejected.relevant).toBe(false);
    expect(rejected.reasons.at(-1)).toBe('failed: Japan named by more than the outlet, or something built');
  });
});
