/**
 * How often one judge orders pairs the way another does: the reward model against a simulated
 * labeler's gold score, on the pairs the gold score tells apart. A reward model that agrees on
 * few of them sends the policy somewhere the labeler did not ask for, however well it fits its
 * own labels.
 */
import { invariant } from '../errors';

export interface Agreement {
  /** Pairs the reference judge tells apart (its two scores differ, by at least the least difference asked). */
  pairs: number;
  /** Of those, the pairs the other judge orders the same way; a pair it scores equal counts half. */
  agree: number;
  /** agree / pairs; null when the reference judge told no pair apart. */
  rate: number | null;
}

/** A pair's two scores by one judge. */
export type ScoredPair = readonly [a: number, b: number];

/**
 * `judged`'s agreement with `reference` over the pairs where `reference`'s scores differ by at
 * least `minDifference` (0: any difference; a simulated labeler's noticeable difference: the pairs
 * it would not call a tie); pair i is the same two responses in both lists.
 */
export function agreement(
  reference: readonly ScoredPair[],
  judged: readonly ScoredPair[],
  minDifference = 0,
): Agreement {
  invariant(
    reference.length === judged.length,
    `agreement: ${reference.length} reference pairs, ${judged.length} judged`,
  );
  let pairs = 0;
  let agree = 0;
  reference.forEach(([a, b], i) => {
    const apart = Math.abs(a - b);
    if (apart === 0 || apart < minDifference) return;
    pairs++;
    const [x, y] = judged[i];
    if (x === y) agree += 0.5;
    else if (x > y === a > b) agree += 1;
  });
  return { pairs, agree, rate: pairs === 0 ? null : agree / pairs };
}
