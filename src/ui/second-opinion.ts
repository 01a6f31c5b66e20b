/**
 * Second opinions: a pair already labelled, asked again (of the same person later, of another
 * person at this machine under their own labeler name, or of the simulated labeler), so that
 * agreement is measured inside the app (agreement.ts secondOpinionAgreement). Which pair to ask:
 * one drawn at random among the first-labelled pairs that this labeler has not re-asked yet, its
 * sides swapped half the time so the answer is not remembered by position.
 */
import type { PairRequest } from '../contract/pairs';
import { samePair } from '../engine/interchange/same-pair';
import type { ComparisonRecord } from '../storage/records';

const keyOf = (pair: { prompt: string; a: string; b: string }) => samePair(pair, 'tie').key;

/**
 * A stored pair to ask again of `labeler`, or null when none is left. `onScreen` is left out too
 * (the next pair is drawn while the current one is still being answered).
 */
export function pickSecondOpinion(
  stored: readonly ComparisonRecord[],
  labeler: string,
  onScreen: PairRequest | null,
  random: () => number,
): PairRequest | null {
  const done = new Set(stored.filter((c) => c.secondOpinion === true && c.labeler === labeler).map(keyOf));
  if (onScreen !== null) done.add(keyOf(onScreen));
  const candidates = new Map<string, ComparisonRecord>();
  for (const c of stored) {
    const key = keyOf(c);
    if (c.choice !== 'skip' && c.secondOpinion !== true && !done.has(key) && !candidates.has(key))
      candidates.set(key, c);
  }
  const list = [...candidates.values()];
  if (list.length === 0) return null;
  const pick = list[Math.min(list.length - 1, Math.floor(random() * list.length))];
  const swap = random() < 0.5;
  const [a, b] = swap ? [pick.b, pick.a] : [pick.a, pick.b];
  // The sides keep whether they ended, so the second opinion trains on the same ids as the first.
  const [aEnded, bEnded] = swap ? [pick.bEnded, pick.aEnded] : [pick.aEnded, pick.bEnded];
  return {
    prompt: pick.prompt,
    a,
    b,
    aEnded: aEnded === true,
    bEnded: bEnded === true,
    reason: { kind: 'secondOpinion' },
    uncertainty: null,
  };
}
