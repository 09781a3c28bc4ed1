/**
 * Reads one YAML config file and validates it with zod. Every failure becomes
 * a ConfigError whose message is one line naming the file, the field and what
 * was expected, because operators read it in a terminal, not a stack trace.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../shared/errors.ts';

export class ConfigError extends UserError {
  override readonly name = 'ConfigError';
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function fieldPath(path: (string | number)[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    '',
  );
}

export function parseConfig<S extends z.ZodTypeAny>(file: string, text: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`${displayPath(file)}: not valid YAML: ${reason}`);
  }
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${fieldPath(issue.path) || '(top level)'}: ${issue.message}`,
    );
    throw new ConfigError(`${displayPath(file)}: ${problems.join('; ')}`);
  }
  return result.data as z.output<S>;
}

export function loadConfigFile<S extends z.ZodTypeAny>(file: string, schema: S): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${displayPath(file)}: cannot read the file`);
  }
  return parseConfig(file, text, schema);
}
