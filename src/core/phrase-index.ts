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
  // Keyed by UTF-16 code unit: numeric keys avoid allocating a string per character scanned.
  next: Map<number, Node<T>>;
  entries: { payload: T; caseSensitive: string | null; boundaryEnd: boolean }[];
}

function isAlnumCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** NaN (out of range) is not alphanumeric, which makes text edges word boundaries. */
function alnumAt(text: string, index: number): boolean {
  return isAlnumCode(text.charCodeAt(index));
}

function isAcronym(phrase: string): boolean {
  return /[A-Z]/.test(phrase) && phrase === phrase.toUpperCase() && /^[A-Z0-9&.-]+$/.test(phrase);
}

export class PhraseIndex<T> {
  private readonly root: Node<T> = { next: new Map(), entries: [] };
  // Most scanned characters start no phrase; an array answers that for ASCII without hashing,
  // and a bitmap for every other code unit (most kana and kanji of a Japanese body start none).
  private readonly asciiStarts: (Node<T> | undefined)[] = [];
  private readonly starts = new Uint8Array(65536);

  constructor(entries: Iterable<PhraseEntry<T>>) {
    for (const { phrase, payload } of entries) this.add(phrase, payload);
    for (const [code, node] of this.root.next) {
      if (code < 128) this.asciiStarts[code] = node;
      this.starts[code] = 1;
    }
  }

  private add(phrase: string, payload: T): void {
    const text = phrase.normalize('NFKC').trim();
    if (!text) return;
    const lower = text.toLowerCase();
    let node = this.root;
    for (let k = 0; k < lower.length; k++) {
      const code = lower.charCodeAt(k);
      let child = node.next.get(code);
      if (!child) {
        child = { next: new Map(), entries: [] };
        node.next.set(code, child);
      }
      node = child;
    }
    node.entries.push({
      payload,
      caseSensitive: isAcronym(text) ? text : null,
      boundaryEnd: alnumAt(lower, lower.length - 1),
    });
  }

  /** `text` must already be normalised (NFKC); case is handled here. */
  scan(text: string): PhraseHit<T>[] {
    const lower = text.toLowerCase();
    // toLowerCase can change length for a few exotic characters; fall back to
    // case-insensitive positions in that case by using the lowered text for both.
    const original = lower.length === text.length ? text : lower;
    const hits: PhraseHit<T>[] = [];
    const length = lower.length;
    let i = 0;
    while (i < length) {
      const first = lower.charCodeAt(i);
      if (this.starts[first] === 0) {
        i++;
        continue;
      }
      // A phrase starting with a letter or digit must start a word ("NEC" is not in "connect").
      if (isAlnumCode(first) && i > 0 && alnumAt(lower, i - 1)) {
        i++;
        continue;
      }
      let node = first < 128 ? this.asciiStarts[first] : this.root.next.get(first);
      let j = i + 1;
      let bestEnd = -1;
      let bestPayloads: T[] | null = null;
      while (node) {
        if (node.entries.length) {
          const boundaryOk = !alnumAt(lower, j);
          let payloads: T[] | null = null;
          for (const entry of node.entries) {
            if (entry.boundaryEnd && !boundaryOk) continue;
            if (entry.caseSensitive !== null && original.slice(i, j) !== entry.caseSensitive) continue;
            (payloads ??= []).push(entry.payload);
          }
          if (payloads) {
            bestEnd = j;
            bestPayloads = payloads;
          }
        }
        if (j >= length) break;
        node = node.next.get(lower.charCodeAt(j));
        j++;
      }
      if (bestPayloads) {
        for (const payload of bestPayloads) hits.push({ payload, start: i, end: bestEnd });
        i = bestEnd;
      } else {
        i++;
      }
    }
    return hits;
  }
}
