/** Relevance P/R/F1 and event B-cubed, computed as ../shared/tools/score.mjs does. */

export interface Gold {
  id: string;
  relevant: boolean;
  event: string | null;
}

export interface Predicted {
  id: string;
  relevant: boolean;
  event: string | null;
}

export interface Scores {
  items: number;
  relevance: { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number };
  events: {
    precision: number;
    recall: number;
    f1: number;
    wrongMerges: number;
    missedPairs: number;
    goldPairs: number;
  };
  falsePositives: string[];
  falseNegatives: string[];
}

const f1 = (p: number, r: number) => (2 * p * r) / Math.max(1e-9, p + r);

export function score(gold: Gold[], predicted: Predicted[]): Scores {
  const byId = new Map(predicted.map((p) => [p.id, p]));
  let tp = 0;
  const falsePositives: string[] = [];
  const falseNegatives: string[] = [];
  for (const g of gold) {
    const p = Boolean(byId.get(g.id)?.relevant);
    if (g.relevant && p) tp++;
    else if (g.relevant) falseNegatives.push(g.id);
    else if (p) falsePositives.push(g.id);
  }
  const precision = tp / Math.max(1, tp + falsePositives.length);
  const recall = tp / Math.max(1, tp + falseNegatives.length);

  const relevant = gold.filter((g) => g.relevant);
  const cluster = (g: Gold) => {
    const p = byId.get(g.id);
    return p?.relevant && p.event != null ? `P:${p.event}` : `S:${g.id}`;
  };
  let bp = 0;
  let br = 0;
  let wrongMerges = 0;
  let missedPairs = 0;
  let goldPairs = 0;
  for (const a of relevant) {
    const samePredicted = relevant.filter((b) => cluster(b) === cluster(a));
    const sameGold = relevant.filter((b) => b.event === a.event);
    bp += samePredicted.filter((b) => b.event === a.event).length / samePredicted.length;
    br += sameGold.filter((b) => cluster(b) === cluster(a)).length / sameGold.length;
  }
  for (let i = 0; i < relevant.length; i++)
    for (let j = i + 1; j < relevant.length; j++) {
      const sameGold = relevant[i]!.event === relevant[j]!.event;
      const samePredicted = cluster(relevant[i]!) === cluster(relevant[j]!);
      if (sameGold) goldPairs++;
      if (sameGold && !samePredicted) missedPairs++;
      if (!sameGold && samePredicted) wrongMerges++;
    }
  bp /= Math.max(1, relevant.length);
  br /= Math.max(1, relevant.length);
  return {
    items: gold.length,
    relevance: {
      precision,
      recall,
      f1: f1(precision, recall),
      tp,
      fp: falsePositives.length,
      fn: falseNegatives.length,
    },
    events: { precision: bp, recall: br, f1: f1(bp, br), wrongMerges, missedPairs, goldPairs },
    falsePositives,
    falseNegatives,
  };
}

export function formatScores(name: string, s: Scores): string {
  const r = (x: number) => x.toFixed(3);
  return (
    `${name}: ${s.items} items | relevance P=${r(s.relevance.precision)} R=${r(s.relevance.recall)} F1=${r(s.relevance.f1)}` +
    ` | events B3 P=${r(s.events.precision)} R=${r(s.events.recall)} F1=${r(s.events.f1)}` +
    ` | wrong merges=${s.events.wrongMerges} missed pairs=${s.events.missedPairs}/${s.events.goldPairs}` +
    (s.falsePositives.length ? ` | FP ${s.falsePositives.join(',')}` : '') +
    (s.falseNegatives.length ? ` | FN ${s.falseNegatives.join(',')}` : '')
  );
}
