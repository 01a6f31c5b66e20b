/**
 * Agreement between labelers on the pairs more than one of them labelled: Cohen's kappa,
 * κ = (p_o - p_e) / (1 - p_e), where p_o is how often the two gave the same answer (A, B or tie)
 * and p_e how often they would by chance, given how often each gives each answer. A pair is the
 * same pair when prompt and both responses match (in either order: swapped sides swap the answer).
 */
import { samePair, type PairAnswer } from '../engine/interchange/same-pair';

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

type Answer = PairAnswer;
const ANSWERS: readonly Answer[] = ['a', 'b', 'tie'];

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
    const { key, answer } = samePair(label, label.choice);
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

/** A label with what the second-opinion measure needs: when it was given and whether it was a re-ask. */
export interface TimedPair extends LabelledPair {
  createdAt: number;
  secondOpinion?: boolean;
}

/**
 * Kappa between first answers and second opinions. Each second opinion (a pair asked again) is
 * set against the first answer that pair got (the earliest label that is not itself a second
 * opinion; skips say nothing and are left out). Grouped by who gave the first answer and who the
 * second, so `labelers` may name the same person twice: that row is their consistency with
 * themselves.
 */
export function secondOpinionAgreement(labels: readonly TimedPair[]): Agreement[] {
  const first = new Map<string, { labeler: string; answer: Answer }>();
  const groups = new Map<string, { labelers: [string, string]; x: Answer[]; y: Answer[] }>();
  const ordered = [...labels].sort((p, q) => p.createdAt - q.createdAt);
  for (const label of ordered) {
    if (label.choice === 'skip' || label.secondOpinion === true) continue;
    const { key, answer } = samePair(label, label.choice);
    if (!first.has(key)) first.set(key, { labeler: label.labeler, answer });
  }
  for (const label of ordered) {
    if (label.choice === 'skip' || label.secondOpinion !== true) continue;
    const { key, answer } = samePair(label, label.choice);
    const original = first.get(key);
    if (original === undefined) continue;
    const id = JSON.stringify([original.labeler, label.labeler]);
    const group = groups.get(id) ?? { labelers: [original.labeler, label.labeler], x: [], y: [] };
    group.x.push(original.answer);
    group.y.push(answer);
    groups.set(id, group);
  }
  return [...groups.values()]
    .sort((g, h) => g.labelers.join('\n').localeCompare(h.labelers.join('\n')))
    .map(({ labelers, x, y }) => ({ labelers, pairs: x.length, ...kappaOf(x, y) }));
}
