/**
 * How well the reward model does on the labels it never trained on: accuracy, loss and
 * calibration on the held-out pairs (isHeldOut), and how it judged each of them.
 */
import { isHeldOut, type PreferencePair } from './preferences';

export interface CalibrationBin {
  /** Mean predicted probability that the first response is better, in this bin. */
  predicted: number;
  /** How often the first response was in fact labelled better (ties count 0.5). */
  observed: number;
  count: number;
}

export interface RewardEvaluation {
  /** Share of held-out non-tie pairs where the model prefers the labelled winner; NaN when none. */
  accuracy: number;
  /** Mean Bradley-Terry loss on held-out pairs. */
  loss: number;
  calibration: CalibrationBin[];
  /** Held-out pairs. */
  pairs: number;
  /** Of those, the pairs with a winner (not ties): accuracy is measured on these alone. */
  decided: number;
}

/** How the reward model judged one held-out pair. */
export interface HeldOutOutcome {
  pair: PreferencePair;
  pChosen: number;
  loss: number;
}

/** What the evaluation reads of a reward model: its normalised scores and their scale. */
export interface HeldOutScorer {
  score(prompts: number[][], responses: number[][]): Promise<{ mean: number[] }>;
  normalization: { mean: number; std: number };
}

/**
 * Accuracy, loss and calibration (both orientations of each pair, 5 bins) on the held-out
 * labelled pairs (pairs made from marked words are left out), and how each of them was judged
 * (`perPair`, in the order given: P(chosen is better) and its Bradley-Terry loss, whose mean is `loss`).
 */
export async function evaluateHeldOut(
  rm: HeldOutScorer,
  all: PreferencePair[],
): Promise<RewardEvaluation & { perPair: HeldOutOutcome[] }> {
  const held = all.filter((p) => isHeldOut(p.key) && p.fromMark !== true);
  if (held.length === 0) return { accuracy: NaN, loss: NaN, calibration: [], pairs: 0, decided: 0, perPair: [] };
  const chosen = await rm.score(
    held.map((p) => p.prompt),
    held.map((p) => p.chosen),
  );
  const rejected = await rm.score(
    held.map((p) => p.prompt),
    held.map((p) => p.rejected),
  );
  const sd = rm.normalization.std;
  const pChosen = held.map((_, i) => 1 / (1 + Math.exp(-(chosen.mean[i] - rejected.mean[i]) * sd)));
  const decided = held.map((p, i) => [p, i] as const).filter(([p]) => p.target !== 0.5);
  const accuracy = decided.length === 0 ? NaN : decided.filter(([, i]) => pChosen[i] > 0.5).length / decided.length;
  const losses = held.map(
    (p, i) => -(p.target * Math.log(pChosen[i] + 1e-12) + (1 - p.target) * Math.log(1 - pChosen[i] + 1e-12)),
  );
  const loss = losses.reduce((a, b) => a + b, 0) / held.length;
  const points = held.flatMap((p, i) => [
    [pChosen[i], p.target],
    [1 - pChosen[i], 1 - p.target],
  ]);
  const calibration = [0, 1, 2, 3, 4].map((bin) => {
    const inBin = points.filter(([pred]) => Math.min(4, Math.floor(pred * 5)) === bin);
    const avg = (k: number) => (inBin.length === 0 ? NaN : inBin.reduce((a, x) => a + x[k], 0) / inBin.length);
    return { predicted: avg(0), observed: avg(1), count: inBin.length };
  });
  const perPair = held.map((pair, i) => ({ pair, pChosen: pChosen[i], loss: losses[i] }));
  return { accuracy, loss, calibration, pairs: held.length, decided: decided.length, perPair };
}
