/** Reads items in the devset format (one JSON object a line). */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FeedItem } from '../core/types.ts';
import { InputError } from '../shared/errors.ts';

const lineSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  source: z.string().default(''),
  url: z.string().min(1),
  guid: z.string().optional(),
  lang: z.enum(['en', 'ja']),
  published: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO-8601 date'),
  title: z.string(),
  summary: z.string().default(''),
  content: z.string().default(''),
  relevant: z.boolean().optional(),
  event: z.string().nullable().optional(),
});

export type LabelledItem = FeedItem & { relevant?: boolean; event?: string | null };

export function parseItemsFile(file: string, text: string): LabelledItem[] {
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, index }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new InputError(`${file}:${index + 1}: not valid JSON`);
      }
      const result = lineSchema.safeParse(raw);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new InputError(
          `${file}:${index + 1}: ${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      const { guid, ...rest } = result.data;
      return guid ? { ...rest, guid } : rest;
    });
}

export function readItemsFile(file: string): LabelledItem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: cannot read the file`);
  }
  return parseItemsFile(file, text);
}

/** Stream order: by publication time, file order breaking ties. */
export function inPublishedOrder<T extends { published: string }>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index, at: Date.parse(item.published) }))
    .sort((a, b) => (a.at || 0) - (b.at || 0) || a.index - b.index)
    .map(({ item }) => item);
}
