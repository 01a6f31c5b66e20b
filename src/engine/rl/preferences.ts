/**
 * Human (or simulated) feedback as the reward model consumes it. Every kind of label becomes
 * preference pairs with a target probability that the first response is better:
 *   - a comparison A vs B: target 1 for the chosen one; a tie trains toward 0.5;
 *   - star ratings of single responses: for every two rated responses to the same prompt, the
 *     higher-rated is chosen (target 1); equal stars make a tie (0.5). Ratings thus train the same
 *     Bradley-Terry objective as comparisons, rather than a separate regression term.
 */
import type { Comparison, Rating } from '../../contract/labels';
import { check } from '../errors';
import { Rng } from '../rng';

export type { Comparison, Rating } from '../../contract/labels';

/** A pair in token ids: P(chosen better than rejected) should be `target` (1, or 0.5 for a tie). */
export interface PreferencePair {
  prompt: number[];
  chosen: number[];
  rejected: number[];
  target: number;
}

type Encode = (text: string) => number[];

export function comparisonToPair(c: Comparison, encode: Encode): PreferencePair {
  const [chosen, rejected] = c.choice === 'b' ? [c.b, c.a] : [c.a, c.b];
  return {
    prompt: encode(c.prompt),
    chosen: encode(chosen),
    rejected: encode(rejected),
    target: c.choice === 'tie' ? 0.5 : 1,
  };
}

/** Pairs from ratings, grouped by prompt; at most `maxPairsPerPrompt` per prompt, most-different first. */
export function ratingsToPairs(ratings: Rating[], encode: Encode, maxPairsPerPrompt = 16): PreferencePair[] {
  const byPrompt = new Map<string, Rating[]>();
  for (const r of ratings) byPrompt.set(r.prompt, [...(byPrompt.get(r.prompt) ?? []), r]);
  const pairs: PreferencePair[] = [];
  for (const [prompt, rs] of byPrompt) {
    const candidates: [Rating, Rating][] = [];
    for (let i = 0; i < rs.length; i++)
      for (let j = i + 1; j < rs.length; j++)
        candidates.push(rs[i].stars >= rs[j].stars ? [rs[i], rs[j]] : [rs[j], rs[i]]);
    candidates.sort((x, y) => y[0].stars - y[1].stars - (x[0].stars - x[1].stars));
    for (const [hi, lo] of candidates.slice(0, maxPairsPerPrompt)) {
      pairs.push({
        prompt: encode(prompt),
        chosen: encode(hi.response),
        rejected: encode(lo.response),
        target: hi.stars === lo.stars ? 0.5 : 1,
      });
    }
  }
  return pairs;
}

/**
 * Whether pair i is held out for evaluation: every 10th pair, so the split is stable as labels
 * arrive (a pair never moves between training and held-out).
 */
export function isHeldOut(index: number): boolean {
  return index % 10 === 9;
}

/** A Poisson(1) draw: the weight of one pair in one bootstrap resample (the online bootstrap). */
function poisson1(rng: Rng): number {
  const limit = Math.exp(-1);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/**
 * Weight of pair `index` in ensemble member `member`'s bootstrap resample. Drawn from a seed of
 * (seed, member, index) alone, so each pair keeps its weights as the dataset grows.
 */
export function bootstrapWeight(seed: number, member: number, index: number): number {
  check(
    Number.isInteger(index) && index >= 0,
    'BAD_ARGUMENT',
    `pair index must be a non-negative integer, got ${index}`,
  );
  const mixed = new Rng((seed * 0x9e3779b1) ^ (member * 0x85ebca6b) ^ (index * 0xc2b2ae35)).nextUint32();
  return poisson1(new Rng(mixed));
}
