import type { Command } from 'commander';
import { comparison } from '../../core/classify.ts';
import type { Classification } from '../../core/types.ts';
import { UsageError } from '../../shared/errors.ts';
import { loadApp } from '../context.ts';

interface ExplainOptions {
  summary: string;
  lang: string;
  source?: string;
  config?: string;
  json?: boolean;
}

/** One line per check, the decision, then what the classifier saw. */
export function formatExplanation(title: string, verdict: Classification): string {
  const lines = [`${verdict.relevant ? 'RELEVANT' : 'NOT RELEVANT'}: ${title}`];
  for (const check of verdict.checks ?? []) {
    const figures = check.value === undefined ? '' : ` (${comparison(check)})`;
    lines.push(`  ${check.passed ? 'pass' : 'FAIL'}  ${check.name}${figures}`);
  }
  lines.push(`  reasons: ${verdict.reasons.join(' · ') || '-'}`);
  lines.push(`  entities: ${verdict.companies.join(', ') || '-'}`);
  lines.push(`  terms: ${verdict.terms.join(', ') || '-'}`);
  return `${lines.join('\n')}\n`;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('show how one item is judged, check by check, with the figures each check looked at')
    .argument('<headline>', "the item's headline")
    .option('--summary <text>', 'its summary (the lead)', '')
    .option('--lang <lang>', 'en or ja', 'en')
    .option('--source <name>', "the outlet's name (a Japanese outlet's unmarked story is set in Japan)")
    .option('--config <dir>', 'config directory')
    .option('--json', 'the decision as one JSON object')
    .action((headline: string, options: ExplainOptions) => {
      if (options.lang !== 'en' && options.lang !== 'ja')
        throw new UsageError(`--lang must be en or ja, not "${options.lang}"`);
      const { core } = loadApp(options.config);
      const analysis = core.analyser.analyse({ title: headline, summary: options.summary, content: '' });
      const verdict = core.classify(analysis, {
        lang: options.lang,
        ...(options.source ? { source: options.source } : {}),
      });
      process.stdout.write(
        options.json ? `${JSON.stringify(verdict)}\n` : formatExplanation(headline, verdict),
      );
    });
}
