/**
 * The page's learning flow at its defaults, stated once: the page reads it, and so does
 * `npm run rlhf`, whose defaults are therefore the page's (test/node/learning-defaults.test.ts
 * checks the parsed CLI against it). docs/learning.md measures this flow at 20, 40 and 100 labels.
 *
 * A lesson at the defaults: the student labels every pair the Label stage shows (sampled from the
 * current policy, which is the base model until the first Play), trains the reward model once on
 * all of them, then presses Play once. So N labels are one round: N pairs, one reward model, one
 * Play of `tune.iterations` iterations.
 */
import { DEFAULT_REWARD, type RewardConfig } from '../engine/rl/reward-config';
import { DEFAULT_TUNE, LABEL_TEMPERATURE, defaultTune, toPPOConfig, type TuneSettings } from './tune-settings';
import type { Algorithm } from './algorithms';
import type { PPOConfig } from '../engine/rl/ppo-config';

export interface LearningDefaults {
  /** Rounds of "label, train the reward model, Play": one, as a student does it. */
  labelRounds: number;
  /** Plays per round, each of `tune.iterations` iterations. */
  playsPerRound: number;
  /**
   * While the person labels, the Reward stage trains in the background once this many labels
   * exist and again after every this many new ones, continuing from where the model stands (a
   * switch the person can turn off). `npm run rlhf` trains once per round unless
   * `--reward-every` is given: docs/learning.md measured both at 40 labels and found them alike.
   */
  backgroundTrainingEvery: number;
  /** Sampling temperature of the pairs shown for labelling: hotter than tuning, for variety. */
  labelTemperature: number;
  /** Reference samples the reward model's scores are normalised on after each training. */
  normalizationSamples: number;
  /** The reward model's training settings (its seed is the run's). */
  reward: Readonly<Omit<RewardConfig, 'seed'>>;
  /** The tuning algorithm, its settings and the iterations one press of Play runs. */
  tune: Readonly<TuneSettings>;
  /** The hands-off online loop (the page's Loop switch): labels, then iterations, per round. */
  loop: Readonly<{ pairsPerRound: number; iterationsPerRound: number }>;
}

const { seed: _seed, ...reward } = DEFAULT_REWARD;

/** Labels in a lesson: the size the learning study (docs/learning.md) picks the defaults at. */
export const LEARNING_STUDY_LABELS = 40;

/**
 * The reward model's minimum of optimiser steps the study picked: at 40 labels (about 36 training
 * pairs, 5 batches a pass) it is the 8 passes of the study's `rm8` cells, which raised PPO's mean
 * gold win-rate on both labelers it was measured on; 300 labels keep their 2 passes.
 */
export const STUDY_REWARD_MIN_STEPS = 40;

/**
 * The study's cell that measured each algorithm at the page's defaults (docs/learning.md, "Today's
 * defaults"): PPO, RLOO and DPO over 5 seeds on four labelers, GRPO over 3.
 */
export const STUDY_DEFAULT_CELLS: Readonly<Partial<Record<Algorithm, string>>> = Object.freeze({
  // PPO with its value warm-up (STUDY_PPO_VALUE_WARMUP); the `ppo` cells measured it without.
  ppo: 'ppo-vwarm2',
  grpo: 'grpo',
  rloo: 'rloo',
  dpo: 'dpo',
});

/**
 * How many words per response a simulated labeler marks when asked to mark (the page's autopilot
 * and online loop with marking on): the study's pick, up to three (`npm run rlhf -- --marks 3`), which
 * gained as much as one on `happy-endings` and more on `animals` (docs/learning.md, "Fine-grained
 * feedback").
 */
export const STUDY_MARKS_PER_RESPONSE = 3;

export const LEARNING_DEFAULTS: Readonly<LearningDefaults> = Object.freeze({
  labelRounds: 1,
  playsPerRound: 1,
  backgroundTrainingEvery: 4,
  labelTemperature: LABEL_TEMPERATURE,
  normalizationSamples: 24,
  // At least 40 optimiser steps: 40 labels get 8 passes instead of 2 (the study's `rm8` cells).
  reward: Object.freeze({ ...reward, minSteps: STUDY_REWARD_MIN_STEPS }),
  tune: DEFAULT_TUNE,
  loop: Object.freeze({ pairsPerRound: 8, iterationsPerRound: 2 }),
});

/** The engine's policy knobs the page uses for `algorithm` at its defaults (its own β and learning rate). */
export function defaultPolicyKnobs(algorithm: Algorithm): Partial<PPOConfig> {
  return toPPOConfig(defaultTune(algorithm));
}
