/**
 * Text a language model wrote is untrusted: it may echo an article's "@everyone", invent
 * markup, or carry a javascript: link from a prompt injection. Before it reaches a formatter
 * it becomes one line of plain text that cannot ping, link anywhere but http(s) or format:
 * the formatters then escape it like any headline, so this is a second wall, not the only one.
 */
import { truncate } from './truncate.ts';

/** Headline and summary of one event in one language, written by the model. */
export interface GeneratedText {
  headline: string;
  summary: string;
}

export const GENERATED_LIMITS = { headline: 200, summary: 400 } as const;

// Word joiner: "@\u2060everyone" looks the same and is no mention on either platform.
const WJ = '\u2060';

export function sanitiseModelText(text: string, max: number): string {
  const clean = text
    .normalize('NFC')
    // Control and bidi-override characters: no hidden text, no reordered links.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    // Markdown links keep their words only: the post links to the article itself.
    .replace(/!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
    // Slack's <url|text>, <!channel>, <@U123>, <#C123>: the words, or nothing.
    .replace(/<([^<>]*)>/g, (_, inner: string) => {
      const bar = inner.indexOf('|');
      return bar >= 0 ? inner.slice(bar + 1) : /^[!@#]/.test(inner) ? '' : inner;
    })
    // Script and data URLs, wherever they appear: gone up to the next space.
    .replace(/\b(?:javascript|vbscript|data|file)\s*:\S*/gi, '')
    .replace(/@(everyone|here|channel)/gi, `@${WJ}$1`)
    // Emphasis, code, quote and spoiler marks: the words only.
    .replace(/[*_~`|>]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(clean, max);
}

export function sanitiseGenerated(text: GeneratedText): GeneratedText | null {
  const headline = sanitiseModelText(text.headline, GENERATED_LIMITS.headline);
  const summary = sanitiseModelText(text.summary, GENERATED_LIMITS.summary);
  return headline ? { headline, summary } : null;
}
