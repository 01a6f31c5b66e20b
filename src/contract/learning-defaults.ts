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

export const LEARNING_DEFAULTS: Readonly<LearningDefaults> = Object.freeze({
  labelRounds: 1,
  playsPerRound: 1,
  labelTemperature: LABEL_TEMPERATURE,
  normalizationSamples: 24,
  reward: Object.freeze(reward),
  tune: DEFAULT_TUNE,
  loop: Object.freeze({ pairsPerRound: 8, iterationsPerRound: 2 }),
});

/** The engine's policy knobs the page uses for `algorithm` at its defaults (its own β and learning rate). */
export function defaultPolicyKnobs(algorithm: Algorithm): Partial<PPOConfig> {
  return toPPOConfig(defaultTune(algorithm));
}
