/**
 * How a sequence's score is read from the trunk: at its last real token (GPT2ForSequenceClassification,
 * the default), or as the mean of the hidden states after each response token, so that what any
 * one word says reaches the score directly rather than through attention to it.
 */
export type RewardPooling = 'last' | 'mean';

export const REWARD_POOLINGS: readonly RewardPooling[] = ['last', 'mean'];

/**
 * The reward model's training settings, kept free of TensorFlow.js (like ppo-config.ts) so the
 * page's defaults (contract/learning-defaults.ts) can name them without bundling the engine.
 */
export interface RewardConfig {
  /** Heads in the ensemble; 1 disables uncertainty estimates. */
  ensembleSize: number;
  /** Passes over the training pairs per call to train(), at least. */
  epochs: number;
  /**
   * Optimiser steps per call to train(), at least: with few pairs, more passes are made until
   * this many steps are taken (40 labels: 5 batches a pass, so 8 passes instead of 2). Many
   * pairs take `epochs` passes as before. 0 is `epochs` passes whatever the count.
   */
  minSteps: number;
  /** Pairs per optimiser step. */
  batchSize: number;
  /** AdamW step size for trunk and heads. */
  learningRate: number;
  /**
   * FGM adversarial training (Miyato et al.): also train on input embeddings pushed by this
   * L2 norm along the loss gradient, so the score cannot hinge on tiny input changes. 0 is off.
   */
  fgmEpsilon: number;
  /**
   * Label smoothing ε, from 0 up to 0.5 (where every target is 0.5 and nothing is learned): each label's target probability moves toward 0.5 by ε (a clear
   * preference trains toward 1 - ε, a tie stays 0.5), so a few pairs cannot push the margin
   * without bound. 0 is off.
   */
  labelSmoothing: number;
  /**
   * How many of the trunk's last transformer blocks train, with the final layer norm and the
   * heads; the embeddings and the earlier blocks keep the policy's weights, so a few pairs fit
   * fewer weights. 0 trains every weight.
   */
  trainableLayers: number;
  /**
   * Early stop on the ensemble's own held-out signal: each head never sees about a third of the
   * pairs (their bootstrap weight is 0), so its loss on those "out-of-bag" pairs estimates how it
   * does on pairs it never trained on. After the first `epochs` passes, training stops once that
   * loss, averaged over heads, has not improved for this many passes. 0 is off.
   */
  earlyStopPatience: number;
  /**
   * Only the heads train: a linear read-out of the policy's own hidden states (a probe), the
   * fewest weights a few pairs can fit. Overrides trainableLayers.
   */
  frozenTrunk: boolean;
  /** Where the heads read the trunk (see RewardPooling). */
  pooling: RewardPooling;
  /** Seeds head init, pair order and bootstrap weights. */
  seed: number;
}

export const DEFAULT_REWARD: RewardConfig = {
  ensembleSize: 4,
  epochs: 2,
  minSteps: 0,
  batchSize: 8,
  learningRate: 3e-4,
  fgmEpsilon: 0,
  labelSmoothing: 0,
  trainableLayers: 0,
  earlyStopPatience: 0,
  frozenTrunk: false,
  pooling: 'last',
  seed: 0,
};
