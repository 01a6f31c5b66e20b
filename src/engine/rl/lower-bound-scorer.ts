/**
 * Scores that count only what the reward model's heads agree on: each response's ensemble mean less
 * `weight` times the heads' standard deviation, a lower confidence bound on its reward. With few
 * labels the bootstrap heads disagree most where the labels say least, so the policy is pulled
 * only along what most heads learned (uncertainty-weighted optimisation, Coste et al. 2024,
 * "Reward Model Ensembles Help Mitigate Overoptimization", which subtracts the heads' variance).
 */
import { check, outOfRange } from '../errors';
import type { RewardScores } from './reward-model';
import type { Scorer } from './rollout';

/** mean[i] - weight * spread[i], per response. */
export function lowerBoundScores(mean: readonly number[], spread: readonly number[], weight: number): number[] {
  return mean.map((m, i) => m - weight * spread[i]);
}

/** A scorer over whichever reward model `current()` returns now, lowered by its heads' spread. */
export function lowerBoundScorer(
  current: () => { score(prompts: number[][], responses: number[][]): Promise<RewardScores> },
  weight: number,
): Scorer {
  check(
    Number.isFinite(weight) && weight >= 0,
    'BAD_CONFIG',
    outOfRange(null, 'spreadPenalty', weight, 'nonNegativeNumber'),
  );
  return {
    score: async (prompts, responses) => {
      const s = await current().score(prompts, responses);
      return { mean: weight === 0 ? s.mean : lowerBoundScores(s.mean, s.disagreement, weight) };
    },
  };
}
