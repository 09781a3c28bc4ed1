/**
 * The relevance rules, each passing and failing, on a world built in tests/helpers/core-world.ts
 * (no config/*.yaml): an edit of the production lexicon cannot break these. Figures are written out
 * (as WEIGHTS and BARS have them) so that a changed weight fails here.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/core/classify.ts';
import type { Classification } from '../../src/core/types.ts';
import { judger, world } from '../helpers/core-world.ts';

const core = world();
const seen: Classification[] = [];
const judgeOnce = judger(core);
const judge: typeof judgeOnce = (...args) => {
  const verdict = judgeOnce(...args);
  seen.push(verdict);
  return verdict;
};

const check = (verdict: Classification, name: string) => {
  const found = verdict.checks?.find((c) => c.name === name);
  if (!found) throw new Error(`no check "${name}"`);
  return found;
};
const failedChecks = (verdict: Classification) =>
  (verdict.checks ?? []).filter((c) => !c.passed).map((c) => c.name);

describe('the aliases and the text the rules read', () => {
  it('finds an entity under its English and Japanese aliases, and reads full-width text as ASCII', () => {
    const en = judge('SoftBank to build domestic LLM');
    const ja = judge('ソフトバンク、国産ＬＬＭを開発', { lang: 'ja' });
    expect(en.relevant).toBe(true);
    expect(ja.relevant).toBe(true);
    expect(en.companies).toEqual(['softbank']);
    expect(ja.companies).toEqual(['softbank']);
    expect(ja.terms).toContain('ai:LLM');
  });

  it('ignores HTML in a lead', () => {
    const verdict = judge('Fujitsu to build LLM', {
      summary: '<p><a href="https://x">METI</a> &amp; Fujitsu</p>',
    });
    expect(verdict.companies).toEqual(['fujitsu', 'meti']);
  });
});

describe('rule: Japan named by more than the outlet, or something built', () => {
  const name = 'Japan named by more than the outlet, or something built';

  it('passes a Japanese outlet’s unmarked story that builds something, carried by the outlet', () => {
    const verdict = judge('Bank to develop new LLM', { source: 'nikkei asia' });
    expect(check(verdict, name).passed).toBe(true);
    expect(verdict.relevant).toBe(true);
    expect(verdict.reasons).toEqual(['AI: LLM', 'Japan: Japanese outlet']);
  });

  it('fails one where only the outlet says Japan and nothing is built or funded', () => {
    const verdict = judge('LLMの評価手法を解説', { lang: 'ja' });
    expect(failedChecks(verdict)).toEqual([name]);
    // The outlet alone is worth the Japan bar: one clear place mention and a half.
    expect(check(verdict, 'Japan evidence')).toMatchObject({ passed: true, value: 1.5, bar: 1.5 });
    expect(verdict.reasons).toEqual([
      `failed: ${name} — only the outlet says Japan, and nothing is built or funded`,
    ]);
  });
});

describe('rule: headline is not a survey', () => {
  it('fails a survey headline however much AI and Japan it names, and the survey also costs score', () => {
    const verdict = judge('METI survey finds Japan firms slow to adopt AI');
    expect(failedChecks(verdict)).toEqual(['headline is not a survey', 'score']);
    expect(check(verdict, 'Japan evidence').value).toBeGreaterThan(4);
    expect(verdict.reasons).toEqual([
      'failed: headline is not a survey — survey: survey',
      'failed: score (3 < 3.5) — AI 2 + Japan 4 − survey 3 (survey)',
    ]);
  });

  it('passes a survey named in the lead only: it costs score, it does not reject by itself', () => {
    const verdict = judge('METI to build domestic LLM for Japan', { summary: 'The plan follows a poll.' });
    expect(check(verdict, 'headline is not a survey').passed).toBe(true);
    expect(check(verdict, 'score').value).toBe(6 - 1.5);
    expect(verdict.relevant).toBe(true);
  });
});

describe('rule: about AI capability', () => {
  it('fails a Japanese company story that mentions AI once deep in the body', () => {
    const verdict = judge('Honda unveils new car', {
      content: 'Honda said sales rose. Honda said sales rose. It also uses AI in one plant.',
    });
    expect(failedChecks(verdict)).toEqual(['about AI capability', 'AI evidence']);
    expect(check(verdict, 'AI evidence').value).toBe(0.5);
    expect(verdict.reasons[0]).toBe('failed: about AI capability — AI named only in passing: AI');
  });

  it('fails a story without any AI term or developer, and says so', () => {
    const verdict = judge('Honda recalls cars in Japan');
    expect(verdict.reasons[0]).toBe('failed: about AI capability — no AI term or AI developer');
  });

  it('passes on an AI developer alone: a Japanese AI developer’s news is about AI', () => {
    const verdict = judge('Sakana AI raises 30 billion yen');
    expect(check(verdict, 'about AI capability').passed).toBe(true);
    expect(verdict.relevant).toBe(true);
    expect(verdict.reasons).toEqual(['Japanese actors: Sakana AI', 'AI: Sakana AI']);
  });

  it('passes chips and compute named twice with some strong AI, not once, nor without AI', () => {
    const twice = judge('SoftBank plan', { summary: 'A GPU supercomputer.', content: 'It will run AI.' });
    expect(check(twice, 'about AI capability').passed).toBe(true);
    const once = judge('SoftBank plan', { summary: 'A GPU cluster.', content: 'It will run AI.' });
    expect(failedChecks(once)).toContain('about AI capability');
    const withoutAi = judge('SoftBank plan', { summary: 'A GPU supercomputer.', content: 'Weather models.' });
    expect(failedChecks(withoutAi)).toContain('about AI capability');
  });
});

describe('rule: AI evidence, weighed by zone', () => {
  it('counts a headline mention twice (config title weight), at most two of them', () => {
    expect(check(judge('SoftBank to build LLM'), 'AI evidence').value).toBe(2);
    expect(check(judge('SoftBank to build LLM, AI, generative AI'), 'AI evidence').value).toBe(4);
  });

  it('counts a lead mention once, at most three of them', () => {
    expect(check(judge('SoftBank plan', { summary: 'LLM.' }), 'AI evidence').value).toBe(1);
    const repeated = judge('SoftBank plan', { summary: 'LLM, LLM, LLM, LLM.' });
    expect(check(repeated, 'AI evidence').value).toBe(3);
  });

  it('counts body mentions at half weight, capped by the config body cap', () => {
    const verdict = judge('SoftBank to build LLM', { content: 'AI. '.repeat(10) });
    expect(check(verdict, 'AI evidence').value).toBe(2 + 0.5 * 4);
  });

  it('fails under the bar: a foreign AI developer in the lead alone', () => {
    const verdict = judge('Copilot now available to Japanese companies', {
      summary: 'OpenAI assistant now available to Japanese companies.',
    });
    expect(check(verdict, 'AI evidence')).toMatchObject({ passed: false, value: 1, bar: 1.5 });
    expect(verdict.reasons[0]).toBe('failed: AI evidence (1 < 1.5) — AI: OpenAI');
  });
});

describe('rule: Japan evidence', () => {
  it('a ministry counts twice as much Japan as a company, and actors add at most four', () => {
    expect(check(judge('METI to build LLM'), 'Japan evidence').value).toBe(2 * 2);
    expect(check(judge('SoftBank to build LLM'), 'Japan evidence').value).toBe(2 * 1);
    const many = judge('SoftBank and Honda and Fujitsu and Mizuho to build LLM in Japan');
    expect(check(many, 'Japan evidence').value).toBe(4 + 2);
  });

  it('a city says where like "Japan" does, and is named as the evidence', () => {
    const verdict = judge('Tokyo startup builds LLM');
    expect(check(verdict, 'Japan evidence').value).toBe(2);
    expect(verdict.companies).toEqual([]);
    expect(verdict.reasons).toEqual(['AI: LLM', 'Japan: Tokyo']);
  });

  it('Japanese language counts only when a Japanese actor or place is in the story', () => {
    const foreign = judge('OpenAI releases Japanese-language LLM');
    expect(check(foreign, 'Japan evidence')).toMatchObject({ passed: false, value: 0 });
    const home = judge('Fujitsu releases Japanese-language LLM');
    expect(check(home, 'Japan evidence').value).toBe(2 + 0.5 * 2);
    expect(home.reasons).toContain('Japan: Japanese-language');
  });

  it('"home-grown" is Japanese unless another country is named up front', () => {
    expect(check(judge('Startup builds homegrown LLM'), 'Japan evidence').value).toBe(2);
    expect(check(judge('U.S. startup builds homegrown LLM'), 'Japan evidence').value).toBe(0);
  });

  it('政府 is Japan’s government in a story set in Japan, not in one that names another country first', () => {
    const home = judge('政府、AI法を閣議決定', { lang: 'ja' });
    expect(home.relevant).toBe(true);
    expect(home.companies).toEqual(['government-of-japan']);
    const abroad = judge('U.S. and 政府 to develop AI rules', { lang: 'ja' });
    expect(abroad.companies).toEqual([]);
    expect(check(abroad, 'Japan evidence').passed).toBe(false);
  });

  it('contradiction: a Japanese outlet’s story whose headline subject is a foreign actor is not set in Japan', () => {
    const marked = judge('米オープンAI、新モデルを開発', { lang: 'ja' });
    expect(check(marked, 'Japan evidence')).toMatchObject({ passed: false, value: 0 });
    expect(marked.reasons[0]).toBe(
      'failed: Japan evidence (0 < 1.5) — Japanese outlet, foreign subject: OpenAI',
    );
    const english = judge('OpenAI to develop new model', { source: 'Nikkei Asia' });
    expect(check(english, 'Japan evidence').passed).toBe(false);
    // The same outlet's unmarked story is set in Japan.
    const unmarked = judge('新モデルを開発、生成AIで', { lang: 'ja' });
    expect(unmarked.relevant).toBe(true);
    expect(unmarked.reasons).toEqual(['AI: 生成AI', 'Japan: Japanese outlet']);
    // A foreign outlet's unmarked story is not.
    expect(check(judge('Bank to develop new LLM', { source: 'Test Wire' }), 'Japan evidence').value).toBe(0);
  });
});

describe('rule: not a Japanese firm investing abroad', () => {
  const name = 'not a Japanese firm investing abroad';

  it('fails money into a foreign startup with no Japanese place in the story', () => {
    const verdict = judge('Mizuho takes stake in Silicon Valley AI startup', {
      summary: 'Mizuho will invest $200 million in a California generative AI developer.',
    });
    expect(failedChecks(verdict)).toEqual([name]);
    expect(verdict.reasons).toEqual([
      `failed: ${name} — money or build-out abroad: stake, invest (Silicon Valley, California)`,
    ]);
  });

  it('fails a build-out in a foreign country named up front, once in the lead is enough', () => {
    expect(failedChecks(judge('Saudi Arabia to build Arabic LLM'))).toContain(name);
    const lead = judge('SoftBank to build LLM', { summary: 'The site is in California.' });
    expect(failedChecks(lead)).toEqual([name]);
    // In the body, the foreign place weighs half: not abroad.
    expect(judge('SoftBank to build LLM', { content: 'The site is in California.' }).relevant).toBe(true);
  });

  it('passes money from abroad into a Japanese AI developer: it funds Japan’s capability', () => {
    const verdict = judge('サカナAI、300億円調達　米エヌビディアが出資', { lang: 'ja' });
    expect(check(verdict, name).passed).toBe(true);
    expect(verdict.relevant).toBe(true);
    expect(verdict.reasons).toEqual(['Japanese actors: Sakana AI', 'AI: Sakana AI, Nvidia']);
  });

  it('passes the same money when a Japanese place or a public body is in the story', () => {
    expect(check(judge('Mizuho takes stake in Silicon Valley AI startup for Japan'), name).passed).toBe(true);
    expect(check(judge('METI takes stake in Silicon Valley AI startup'), name).passed).toBe(true);
  });
});

describe('rule: not foreign AI used, resold or hosted (dependence is not sovereignty)', () => {
  const name = 'not foreign AI used, resold or hosted';

  it('fails a foreign model adopted by a Japanese agency, naming the use and the provider', () => {
    const verdict = judge('Digital Agency to adopt OpenAI models for government work', {
      summary: 'Japan’s Digital Agency will adopt OpenAI models.',
    });
    expect(failedChecks(verdict)).toEqual([name]);
    expect(verdict.reasons).toEqual([`failed: ${name} — foreign AI used, not built: adopt (OpenAI)`]);
    expect(failedChecks(judge('都庁、米オープンAIの生成AIを全職員に導入', { lang: 'ja' }))).toContain(name);
  });

  it('fails a foreign AI firm’s Tokyo office and a foreign product made available', () => {
    expect(failedChecks(judge('OpenAI opens Tokyo office'))).toEqual([name]);
    const available = judge('Copilot now available to Japanese companies', {
      summary: 'OpenAI assistant now available to Japanese companies.',
    });
    expect(failedChecks(available)).toContain(name);
  });

  it('passes when something of Japan’s own is up front (a Japanese-tuned model), or no foreign AI is named', () => {
    expect(judge('OpenAI opens Tokyo office to build Japanese-tuned LLM').relevant).toBe(true);
    expect(check(judge('Digital Agency to adopt LLM for government work'), name).passed).toBe(true);
  });
});

describe('rule: not supplying AI abroad', () => {
  const name = 'not supplying AI abroad';

  it('fails equipment for AI data centres in a foreign country', () => {
    const verdict = judge('MHI to supply gas turbines to U.S. AI data centers');
    expect(failedChecks(verdict)).toEqual([name]);
    expect(verdict.reasons).toEqual([`failed: ${name} — supplying AI abroad: gas turbines (U.S.)`]);
  });

  it('passes the same supply when Japan is named up front', () => {
    const verdict = judge('MHI to supply gas turbines to Japan AI data centers in U.S.');
    expect(check(verdict, name).passed).toBe(true);
    expect(verdict.relevant).toBe(true);
  });
});

describe('rule: Japan outweighs foreign evidence (half)', () => {
  const name = 'Japan outweighs foreign evidence (half)';

  it('passes Japan named against several foreign places: a headline’s foreign places count once', () => {
    const verdict = judge('Microsoft to invest in Japan, U.S. and Saudi Arabia AI data centers');
    expect(check(verdict, name)).toMatchObject({
      passed: true,
      value: 2,
      bar: 2 * 1 * 0.5,
    });
    expect(verdict.relevant).toBe(true);
  });

  it('fails Japan exactly at the bar: Japan must weigh more than half the foreign evidence', () => {
    const verdict = judge('Japan and U.S. AI plan', { summary: 'California and Saudi Arabia back it.' });
    expect(check(verdict, name)).toMatchObject({ passed: false, value: 2, bar: 2 });
  });

  it('fails another country’s sovereign AI', () => {
    const verdict = judge('Saudi Arabia to build Arabic LLM');
    expect(check(verdict, name)).toMatchObject({ passed: false, value: 0, bar: 1, strict: true });
    expect(verdict.reasons).toContain(`failed: ${name} (0 ≤ 1) — not located in Japan: Saudi Arabia, Arabic`);
  });
});

describe('rule: score', () => {
  it('fails an earnings story on AI and Japan: the negative cue costs 1.5 per up-front mention', () => {
    const verdict = judge('SoftBank quarterly profit rises on AI demand in Japan');
    expect(failedChecks(verdict)).toEqual(['score']);
    expect(verdict.score).toBe(2 + 4 - 2 * 2 * 1.5);
    expect(verdict.reasons).toEqual([
      'failed: score (0 < 3.5) — AI 2 + Japan 4 − earnings 6 (quarterly, profit)',
    ]);
  });

  it('caps AI and Japan at four each and takes half the foreign evidence off', () => {
    const verdict = judge('METI and SoftBank to build AI, LLM for Japan with U.S.');
    expect(verdict.score).toBe(4 + 4 - 0.5 * 2);
  });
});

describe('headline-only items: compute named by the headline alone', () => {
  it('counts compute in full in a headline about building or funding it, and only then', () => {
    const alone = judge('Microsoft to invest $2.9 billion in Japan cloud infrastructure');
    expect(alone.relevant).toBe(true);
    expect(check(alone, 'AI evidence').value).toBe(2 * 1);
    const withLead = judge('Microsoft to invest $2.9 billion in Japan cloud infrastructure', {
      summary: 'The company will expand its data centers for banks.',
    });
    expect(withLead.relevant).toBe(false);
    expect(failedChecks(withLead)).toEqual(['about AI capability']);
    // With a lead, compute counts half: cloud infrastructure (2) and data centers (1).
    expect(check(withLead, 'AI evidence').value).toBe(1.5);
    // Without building or funding, a headline naming compute is not about AI capability.
    expect(failedChecks(judge('SoftBank GPU supercomputer'))).toContain('about AI capability');
  });
});

describe('the decision and its explanation come from one pass', () => {
  it('every rule is a check, in order; relevant exactly when all pass; each rejection names every failed rule', () => {
    // Every verdict this file produced, accepted and rejected alike.
    expect(seen.length).toBeGreaterThan(40);
    const rejected = seen.filter((v) => !v.relevant);
    expect(rejected.length).toBeGreaterThan(15);
    for (const verdict of seen) {
      expect(verdict.checks!.map((c) => c.name)).toEqual(RULES.map((r) => r.name));
      expect(verdict.relevant).toBe(verdict.checks!.every((c) => c.passed));
      if (verdict.relevant) {
        expect(verdict.reasons.some((r) => r.startsWith('failed:'))).toBe(false);
        expect(verdict.reasons.length).toBeGreaterThan(0);
      } else {
        const names = failedChecks(verdict);
        expect(verdict.reasons).toHaveLength(names.length);
        names.forEach((name, i) => expect(verdict.reasons[i]!.startsWith(`failed: ${name}`)).toBe(true));
      }
    }
  });

  it('every rule has been seen failing in this file', () => {
    const failed = new Set(seen.flatMap(failedChecks));
    expect(RULES.map((r) => r.name).filter((name) => !failed.has(name))).toEqual([]);
  });
});
