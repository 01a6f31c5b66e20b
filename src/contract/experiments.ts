/**
 * Experiments that break RLHF on purpose: each one a setup (who labels, how many labels, which
 * algorithm with which settings) and the evidence that shows what went wrong (which metrics move
 * which way). The page runs them in a workspace of their own, `npm run experiment` runs them in
 * Node, and the seeded tests check that each curve goes the way its explanation says. The words
 * (title, what to watch, why it happens) live in `src/ui/strings`, keyed by the experiment's id.
 *
 * Plain data, free of TensorFlow.js.
 */
import { DEFAULT_PPO } from '../engine/rl/ppo-config';
import type { Algorithm } from './algorithms';
import type { KLEstimator } from '../engine/rl/formulas/kl';
import type { MetricName } from './metrics';
import { UNTRUNCATED, type RolloutSampling, type TuneSettings } from './tune-settings';

export type { RolloutSampling } from './tune-settings';

export const EXPERIMENT_IDS = ['reward-hacking', 'lr-collapse', 'negative-kl', 'bad-labels', 'dpo-vs-ppo'] as const;
export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

export function isExperimentId(value: unknown): value is ExperimentId {
  return EXPERIMENT_IDS.some((id) => id === value);
}

/** One arm of an experiment: a tuning run on the experiment's labels. */
export interface ExperimentArm {
  /** A short key for the arm, shown in legends and used in file names ("broken", "fixed", "ppo", "dpo"). */
  key: string;
  algorithm: Algorithm;
  /** Settings over the algorithm's defaults. */
  tune: Partial<Omit<TuneSettings, 'algorithm'>>;
  rollout?: RolloutSampling;
  /**
   * Put the KL penalty in the loss instead of the reward, with this per-token estimator: k1 (the
   * sampled tokens' log π − log π_ref) or k3 (GRPO's); absent: in the reward, as PPO does.
   */
  klInLoss?: KLEstimator;
  /** Freeze the reward model after its first training (no retraining between iterations). */
  freezeReward?: boolean;
}

/** A metric the explanation points at, and the way it moves from the first iterations to the last. */
export interface Evidence {
  metric: MetricName | 'eval/distinct_2';
  /**
   * `rises` / `falls` over the run; `below-zero` for a mean under 0 at the end; `exceeds` for an
   * end more than twice the `than` arm's (contract/experiment-evidence.ts).
   */
  expect: 'rises' | 'falls' | 'below-zero' | 'exceeds';
  /** The arm this holds for. */
  arm: string;
  /** `exceeds`: the arm it is compared with. */
  than?: string;
}

export interface Experiment {
  id: ExperimentId;
  /** The simulated labeler that gives the labels (a built-in labeler id). */
  labeler: string;
  /** Pairs labelled before the reward model trains. */
  labels: number;
  /** Fraction of the labels with a winner flipped against the labeler's own verdict (contradictory feedback; ties stay ties). */
  flipFraction: number;
  /** Tuning iterations per arm. */
  iterations: number;
  arms: readonly ExperimentArm[];
  evidence: readonly Evidence[];
}

/** The negative-KL experiment's β (of the penalty in the loss) and step size. */
const NEGATIVE_KL_TUNE = Object.freeze({ beta: 3, learningRate: 3 * DEFAULT_PPO.learningRate });

export const EXPERIMENTS: Readonly<Record<ExperimentId, Readonly<Experiment>>> = Object.freeze({
  'reward-hacking': {
    id: 'reward-hacking',
    labeler: 'happy-endings',
    labels: 20,
    flipFraction: 0,
    iterations: 20,
    // At the default learning rate 40 iterations on the shipped model stayed near the labels
    // (gold rose, docs/experiments.md); ten times the rate reaches what the proxy over-rewards.
    arms: [
      {
        key: 'beta0',
        algorithm: 'ppo',
        tune: { beta: 0, klTarget: 0, learningRate: 10 * DEFAULT_PPO.learningRate },
        freezeReward: true,
      },
    ],
    evidence: [
      { metric: 'objective/scores', expect: 'rises', arm: 'beta0' },
      { metric: 'gold/score', expect: 'falls', arm: 'beta0' },
    ],
  },
  'lr-collapse': {
    id: 'lr-collapse',
    labeler: 'happy-endings',
    labels: 40,
    flipFraction: 0,
    iterations: 20,
    arms: [{ key: 'lr10', algorithm: 'ppo', tune: { learningRate: 10 * DEFAULT_PPO.learningRate } }],
    evidence: [
      { metric: 'objective/kl', expect: 'rises', arm: 'lr10' },
      { metric: 'eval/distinct_2', expect: 'falls', arm: 'lr10' },
    ],
  },
  'negative-kl': {
    id: 'negative-kl',
    labeler: 'happy-endings',
    labels: 40,
    flipFraction: 0,
    iterations: 10,
    // The rollout never lets a response end (end-of-text held back for the whole response, as a
    // min_new_tokens setting does). The broken arm puts the sampled tokens' log π − log π_ref in
    // the loss (k1) and scores them with the full softmax: each token's term carries
    // log(1 − π(eos)) − log(1 − π_ref(eos)), the penalty's gradient raises π(eos), which the
    // sampler never draws, and the estimate falls below zero. The fixed arm scores with the
    // distribution sampled from and uses GRPO's k3, whose gradient holds the policy (k1's is zero
    // on average: with matched log-probs alone the KL runs away instead, docs/experiments.md).
    // Three times the default step size shows it within 10 iterations on the shipped model. No
    // response can end, so every one pays the missing-end-of-text penalty: a constant shift of
    // the scores, the same in both arms.
    arms: [
      {
        key: 'broken',
        algorithm: 'ppo',
        tune: NEGATIVE_KL_TUNE,
        klInLoss: 'k1',
        rollout: { topK: 0, topP: 1, minNewTokens: DEFAULT_PPO.maxNewTokens, matchedLogProbs: false },
      },
      {
        key: 'fixed',
        algorithm: 'ppo',
        tune: NEGATIVE_KL_TUNE,
        klInLoss: 'k3',
        rollout: { topK: 0, topP: 1, minNewTokens: DEFAULT_PPO.maxNewTokens, matchedLogProbs: true },
      },
    ],
    evidence: [{ metric: 'objective/kl', expect: 'below-zero', arm: 'broken' }],
  },
  'bad-labels': {
    id: 'bad-labels',
    labeler: 'happy-endings',
    labels: 12,
    flipFraction: 0.5,
    iterations: 20,
    arms: [{ key: 'noisy', algorithm: 'ppo', tune: {} }],
    evidence: [{ metric: 'gold/score', expect: 'falls', arm: 'noisy' }],
  },
  'dpo-vs-ppo': {
    id: 'dpo-vs-ppo',
    labeler: 'happy-endings',
    labels: 40,
    flipFraction: 0,
    iterations: 20,
    arms: [
      { key: 'ppo', algorithm: 'ppo', tune: {}, rollout: UNTRUNCATED },
      { key: 'dpo', algorithm: 'dpo', tune: {} },
    ],
    evidence: [],
  },
});
