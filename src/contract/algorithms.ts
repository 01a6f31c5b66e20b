/**
 * The ways of tuning the policy, and the facts about each that the engine's session, the worker's
 * checks, the Tune form and `npm run rlhf` all need: one table, so that adding an algorithm or
 * changing what one needs is one edit. The defaults are the engine's own (ppo-config.ts,
 * algorithm-defaults.ts, both free of TensorFlow.js).
 */
import { DEFAULT_DPO, DEFAULT_SFT, GRPO_BETA } from '../engine/rl/algorithm-defaults';
import { DEFAULT_PPO } from '../engine/rl/ppo-config';
import type { TuneKey } from './tune-settings';

export const ALGORITHMS = ['ppo', 'grpo', 'rloo', 'dpo', 'sft'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export function isAlgorithm(value: unknown): value is Algorithm {
  return ALGORITHMS.some((name) => name === value);
}

export interface AlgorithmFacts {
  /** Samples responses and learns from the reward model's scores of them (an online method). */
  needsRewardModel: boolean;
  /** Its baseline is the mean over several responses to one prompt: samples per prompt must be 2 or more. */
  needsGroups: boolean;
  /** Fewest decided preferences (comparisons that are not ties, plus ratings) it can learn from. */
  minPreferences: number;
  /** Fewest demonstrations (responses a person rewrote) it can learn from. */
  minDemonstrations: number;
  /** The Tune settings it uses, in the form's order; the form shows only these. */
  settings: readonly TuneKey[];
  /** Its own KL coefficient and learning rate, which a switch to it brings along (SFT has no beta; it keeps PPO's, unused). */
  defaults: Readonly<{ beta: number; learningRate: number }>;
}

const ONLINE_SETTINGS = [
  'beta',
  'clipRange',
  'learningRate',
  'samplesPerPrompt',
  'promptsPerIteration',
  'maxNewTokens',
  'iterations',
  'klBudget',
] as const satisfies readonly TuneKey[];

const online = (overrides: Partial<AlgorithmFacts>): AlgorithmFacts => ({
  needsRewardModel: true,
  needsGroups: false,
  minPreferences: 0,
  minDemonstrations: 0,
  settings: ONLINE_SETTINGS,
  defaults: { beta: DEFAULT_PPO.beta, learningRate: DEFAULT_PPO.learningRate },
  ...overrides,
});

/**
 * PPO's value-model warm-up in the page and `npm run rlhf`, picked by the learning study: before
 * a trainer's first policy update, two rollouts train the value model alone (docs/learning.md).
 * The page builds a new trainer when its settings change, a saved reward model is loaded, the
 * policy is reset or replaced, or the page reloads; a reward model retrained in place keeps the
 * trainer. The engine's own default is none, as in TRL.
 */
export const STUDY_PPO_VALUE_WARMUP = 2;

/** DPO's learning rate in the page and `npm run rlhf`, picked by the learning study. */
export const STUDY_DPO_LEARNING_RATE = 5e-5;

export const ALGORITHM_FACTS: Readonly<Record<Algorithm, Readonly<AlgorithmFacts>>> = Object.freeze({
  ppo: online({ settings: ['beta', 'klTarget', ...ONLINE_SETTINGS.slice(1)] }),
  grpo: online({ needsGroups: true, defaults: { beta: GRPO_BETA, learningRate: DEFAULT_PPO.learningRate } }),
  rloo: online({ needsGroups: true }),
  dpo: {
    needsRewardModel: false,
    needsGroups: false,
    minPreferences: 2,
    minDemonstrations: 0,
    settings: ['beta', 'learningRate', 'iterations', 'klBudget'],
    // The learning study's pick for a lesson (40 labels, one Play): 5e-5 raised the mean gold
    // win-rate on three of four labelers within 7 nats (docs/learning.md); the engine's own
    // default (1e-5) suits the 300-label loop's many passes.
    defaults: { beta: DEFAULT_DPO.beta, learningRate: STUDY_DPO_LEARNING_RATE },
  },
  sft: {
    needsRewardModel: false,
    needsGroups: false,
    minPreferences: 0,
    minDemonstrations: 1,
    settings: ['learningRate', 'iterations', 'klBudget'],
    defaults: { beta: DEFAULT_PPO.beta, learningRate: DEFAULT_SFT.learningRate },
  },
});
