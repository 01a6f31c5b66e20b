/**
 * Agreement between labelers on the pairs more than one of them labelled: Cohen's kappa,
 * κ = (p_o - p_e) / (1 - p_e), where p_o is how often the two gave the same answer (A, B or tie)
 * and p_e how often they would by chance, given how often each gives each answer. A pair is the
 * same pair when prompt and both responses match (in either order: swapped sides swap the answer).
 */
export interface LabelledPair {
  prompt: string;
  a: string;
  b: string;
  choice: 'a' | 'b' | 'tie' | 'skip';
  labeler: string;
}

export interface Agreement {
  labelers: [string, string];
  /** Pairs both labelled (skips left out). */
  pairs: number;
  /** Share of those pairs with the same answer. */
  observed: number;
  /** Cohen's kappa; null when chance agreement is 1 (both always gave one same answer). */
  kappa: number | null;
}

type Answer = 'a' | 'b' | 'tie';
const ANSWERS: readonly Answer[] = ['a', 'b', 'tie'];

/** One key per unordered pair of responses, and the answer as if A were the smaller text. */
function canonical(p: LabelledPair & { choice: Answer }): { key: string; answer: Answer } {
  const swapped = p.a > p.b;
  const answer = swapped && p.choice !== 'tie' ? (p.choice === 'a' ? 'b' : 'a') : p.choice;
  const [first, second] = swapped ? [p.b, p.a] : [p.a, p.b];
  return { key: JSON.stringify([p.prompt, first, second]), answer };
}

function kappaOf(x: Answer[], y: Answer[]): { observed: number; kappa: number | null } {
  const n = x.length;
  const observed = x.filter((v, i) => v === y[i]).length / n;
  const share = (xs: Answer[], v: Answer) => xs.filter((u) => u === v).length / n;
  const chance = ANSWERS.reduce((sum, v) => sum + share(x, v) * share(y, v), 0);
  return { observed, kappa: chance === 1 ? null : (observed - chance) / (1 - chance) };
}

/** Kappa for every two labelers who labelled at least one pair in common. */
export function agreement(labels: readonly LabelledPair[]): Agreement[] {
  const byPair = new Map<string, Map<string, Answer>>();
  for (const label of labels) {
    if (label.choice === 'skip') continue;
    const { key, answer } = canonical({ ...label, choice: label.choice });
    const answers = byPair.get(key) ?? new Map<string, Answer>();
    answers.set(label.labeler, answer); // a later answer by the same labeler replaces the earlier
    byPair.set(key, answers);
  }
  const labelers = [...new Set(labels.map((l) => l.labeler))].sort();
  const out: Agreement[] = [];
  for (let i = 0; i < labelers.length; i++) {
    for (let j = i + 1; j < labelers.length; j++) {
      const both = [...byPair.values()].filter((m) => m.has(labelers[i]) && m.has(labelers[j]));
      if (both.length === 0) continue;
      const { observed, kappa } = kappaOf(
        both.map((m) => m.get(labelers[i])!),
        both.map((m) => m.get(labelers[j])!),
      );
      out.push({ labelers: [labelers[i], labelers[j]], pairs: both.length, observed, kappa });
    }
  }
  return out;
}
