/**
 * Finds every known phrase (entity aliases and lexicon terms) in one pass.
 *
 * A character trie scanned leftmost-longest: "OpenAI" is consumed as an entity
 * before "AI" could count as a term, and "ソフトバンクグループ" wins over
 * "ソフトバンク". Latin phrases need word boundaries (so "NEC" is not found in
 * "connect"); Japanese phrases do not, since Japanese has no spaces. Phrases
 * written in capitals (NEC, PFN, AIST) match case-sensitively.
 */

export interface PhraseEntry<T> {
  phrase: string;
  payload: T;
}

export interface PhraseHit<T> {
  payload: T;
  start: number;
  end: number;
}

interface Node<T> {
  next: Map<string, Node<T>>;
  entries: { payload: T; caseSensitive: string | null; boundaryEnd: boolean }[];
}

function isAlnum(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const code = ch.charCodeAt(0);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAcronym(phrase: string): boolean {
  return /[A-Z]/.test(phrase) && phrase === phrase.toUpperCase() && /^[A-Z0-9&.-]+$/.test(phrase);
}

export class PhraseIndex<T> {
  private readonly root: Node<T> = { next: new Map(), entries: [] };
  private readonly boundaryStart = new Set<string>();

  constructor(entries: Iterable<PhraseEntry<T>>) {
    for (const { phrase, payload } of entries) this.add(phrase, payload);
  }

  private add(phrase: string, payload: T): void {
    const text = phrase.normalize('NFKC').trim();
    if (!text) return;
    const lower = text.toLowerCase();
    let node = this.root;
    for (const ch of lower) {
      let child = node.next.get(ch);
      if (!child) {
        child = { next: new Map(), entries: [] };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.entries.push({
      payload,
      caseSensitive: isAcronym(text) ? text : null,
      boundaryEnd: isAlnum(lower[lower.length - 1]),
    });
    if (isAlnum(lower[0])) this.boundaryStart.add(lower[0]!);
  }

  /** `text` must already be normalised (NFKC); case is handled here. */
  scan(text: string): PhraseHit<T>[] {
    const lower = text.toLowerCase();
    // toLowerCase can change length for a few exotic characters; fall back to
    // case-insensitive positions in that case by using the lowered text for both.
    const original = lower.length === text.length ? text : lower;
    const hits: PhraseHit<T>[] = [];
    let i = 0;
    while (i < lower.length) {
      const first = lower[i]!;
      if (this.boundaryStart.has(first) && isAlnum(lower[i - 1])) {
        i++;
        continue;
      }
      let node = this.root.next.get(first);
      let j = i + 1;
      let best: { end: number; payloads: T[] } | null = null;
      while (node) {
        if (node.entries.length) {
          const boundaryOk = !isAlnum(lower[j]);
          let payloads: T[] | null = null;
          for (const entry of node.entries) {
            if (entry.boundaryEnd && !boundaryOk) continue;
            if (entry.caseSensitive !== null && original.slice(i, j) !== entry.caseSensitive) continue;
            (payloads ??= []).push(entry.payload);
          }
          if (payloads) best = { end: j, payloads };
        }
        if (j >= lower.length) break;
        node = node.next.get(lower[j]!);
        j++;
      }
      if (best) {
        for (const payload of best.payloads) hits.push({ payload, start: i, end: best.end });
        i = best.end;
      } else {
        i++;
      }
    }
    return hits;
  }
}
