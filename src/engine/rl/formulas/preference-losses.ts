/**
 * Losses that learn from pairwise preferences: the Bradley-Terry reward-model loss and Direct
 * Preference Optimisation (Rafailov et al. 2023), which is the same loss with the reward written
 * as β·(log π - log π_ref). B is the number of (chosen, rejected) pairs.
 *
 * A target p [B] is the probability that "chosen" really is preferred: 1 for a clear preference,
 * 0.5 for a tie. The loss is then the binary cross-entropy of σ(margin) against p, written with
 * log σ(x) = -softplus(-x) so that large margins neither overflow nor lose precision.
 */
import * as tf from '@tensorflow/tfjs';
import { checkRank, checkSameShape } from './shapes';

/** P(chosen ≻ rejected) = σ(r_chosen - r_rejected) under Bradley-Terry. rChosen, rRejected [B] -> [B]. */
export function bradleyTerryProbability(rChosen: tf.Tensor1D, rRejected: tf.Tensor1D): tf.Tensor1D {
  checkSameShape('bradleyTerryProbability', { rChosen, rRejected });
  return tf.sigmoid(tf.sub(rChosen, rRejected)) as tf.Tensor1D; // [B]
}

/**
 * A label's target probability smoothed by ε: p + ε·(1 - 2p), so 1 -> 1 - ε, 0 -> ε and a tie
 * (0.5) stays. target [B] (any shape) -> same shape.
 */
export function smoothTarget<T extends tf.Tensor>(target: T, epsilon: number): T {
  return tf.add(target, tf.mul(tf.sub(1, tf.mul(target, 2)), epsilon)) as T;
}

/**
 * Reward-model loss: mean over pairs of -log σ(r_chosen - r_rejected), or with a target p,
 * -(p·log σ(margin) + (1-p)·log σ(-margin)). A tie (p = 0.5) is minimised at equal rewards.
 * rChosen, rRejected, target [B] -> scalar.
 */
export function bradleyTerryLoss(rChosen: tf.Tensor1D, rRejected: tf.Tensor1D, target?: tf.Tensor1D): tf.Scalar {
  checkRank('bradleyTerryLoss', 'rChosen', rChosen, 1);
  return tf.mean(bradleyTerryLosses(rChosen, rRejected, target)) as tf.Scalar;
}

/**
 * The Bradley-Terry loss of each pair, not averaged: any shape, e.g. [B, K] for K ensemble heads
 * that weight pairs differently. rChosen, rRejected, target: same shape -> same shape.
 */
export function bradleyTerryLosses<T extends tf.Tensor>(rChosen: T, rRejected: T, target?: T): T {
  checkSameShape('bradleyTerryLosses', { rChosen, rRejected, ...(target ? { target } : {}) });
  const margin = tf.sub(rChosen, rRejected); // same shape
  return preferenceCrossEntropy(margin, target as tf.Tensor1D | undefined) as T;
}

export interface DPOInput {
  /** log π(chosen | prompt), summed over the response's tokens [B]. */
  policyChosenLogps: tf.Tensor1D;
  /** log π(rejected | prompt) [B]. */
  policyRejectedLogps: tf.Tensor1D;
  /** log π_ref(chosen | prompt) under the frozen reference model [B]. */
  refChosenLogps: tf.Tensor1D;
  /** log π_ref(rejected | prompt) [B]. */
  refRejectedLogps: tf.Tensor1D;
  /** Probability that chosen is preferred [B]: 1 by default, 0.5 for a tie. */
  target?: tf.Tensor1D;
}

/**
 * DPO: the implicit reward of a response is β·(log π - log π_ref); the loss is Bradley-Terry on
 * those rewards, -log σ(β·((π_c - ref_c) - (π_r - ref_r))) in log-probs. Returns the scalar loss,
 * the implicit rewards chosenRewards, rejectedRewards [B] as TRL reports them, and
 * rewardAccuracy, the fraction of pairs where the chosen reward is the higher (scalar).
 */
export function dpoLoss(
  input: DPOInput,
  beta: number,
): { loss: tf.Scalar; chosenRewards: tf.Tensor1D; rejectedRewards: tf.Tensor1D; rewardAccuracy: tf.Scalar } {
  const { policyChosenLogps, policyRejectedLogps, refChosenLogps, refRejectedLogps, target } = input;
  checkRank('dpoLoss', 'policyChosenLogps', policyChosenLogps, 1);
  const logps = { policyChosenLogps, policyRejectedLogps, refChosenLogps, refRejectedLogps };
  checkSameShape('dpoLoss', { ...logps, ...(target ? { target } : {}) });
  const chosenLogRatio = tf.sub(policyChosenLogps, refChosenLogps); // [B]
  const rejectedLogRatio = tf.sub(policyRejectedLogps, refRejectedLogps); // [B]
  const logits = tf.mul(tf.sub(chosenLogRatio, rejectedLogRatio), beta); // [B]
  const chosenRewards = tf.mul(chosenLogRatio, beta) as tf.Tensor1D;
  const rejectedRewards = tf.mul(rejectedLogRatio, beta) as tf.Tensor1D;
  return {
    loss: tf.mean(preferenceCrossEntropy(logits, target)) as tf.Scalar,
    chosenRewards,
    rejectedRewards,
    rewardAccuracy: tf.mean(tf.cast(tf.greater(chosenRewards, rejectedRewards), 'float32')) as tf.Scalar,
  };
}

/** Per-pair -(p·log σ(x) + (1-p)·log σ(-x)); p = 1 when no target is given. x, p [B] -> [B]. */
function preferenceCrossEntropy(margin: tf.Tensor, target?: tf.Tensor1D): tf.Tensor {
  const logPChosen = logSigmoid(margin); // [B]
  if (target === undefined) return tf.neg(logPChosen);
  const logPRejected = logSigmoid(tf.neg(margin)); // [B]
  const p = tf.cast(target, 'float32');
  return tf.neg(tf.add(tf.mul(p, logPChosen), tf.mul(tf.sub(1, p), logPRejected)));
}

/**
 * log σ(x) = -softplus(-x), stable for large |x|. Not tf.logSigmoid: in tfjs 4.22 its custom
 * gradient reads its input after the engine has disposed it whenever that input is computed
 * (not a leaf), so tf.grad through a loss built on it throws.
 */
function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(x)));
}
