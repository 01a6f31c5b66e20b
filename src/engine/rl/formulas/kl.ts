/**
 * The KL penalty that keeps the policy near the reference model, and the per-token rewards PPO
 * actually optimises: -β·KL on every response token, plus the reward model's score on the last
 * one (Ziegler et al. 2019; TRL's PPO trainer). Shapes: B responses, T response tokens.
 */
import * as tf from '@tensorflow/tfjs';
import { invariant } from '../../errors';
import { checkRank, checkSameShape } from './shapes';

/**
 * Estimators of KL(π || π_ref) from one sampled token (Schulman, "Approximating KL divergence"):
 * k1 = log π - log π_ref is unbiased but can be negative per token;
 * k3 = (r - 1) - log r with r = π_ref / π is also unbiased, lower-variance and never negative.
 */
export type KLEstimator = 'k1' | 'k3';

/** Per-token KL estimate at the sampled tokens. logp, refLogp [B, T] -> [B, T]. */
export function klPenalty(logp: tf.Tensor2D, refLogp: tf.Tensor2D, estimator: KLEstimator): tf.Tensor2D {
  checkSameShape('klPenalty', { logp, refLogp });
  if (estimator === 'k1') return tf.sub(logp, refLogp);
  invariant(estimator === 'k3', `klPenalty: unknown estimator "${String(estimator)}" (use k1 or k3)`);
  const logRatio = tf.sub(refLogp, logp); // log r, [B, T]
  const ratio = tf.exp(logRatio); // r, [B, T]
  return tf.sub(tf.sub(ratio, 1), logRatio);
}

export interface KLShapedRewardsInput {
  /** Reward-model score of each whole response [B]. */
  scores: tf.Tensor1D;
  /** log π(token) under the policy that sampled the responses [B, T]. */
  logp: tf.Tensor2D;
  /** log π_ref(token) under the frozen reference model [B, T]. */
  refLogp: tf.Tensor2D;
  /** 1 on real response tokens, 0 on padding [B, T]. */
  mask: tf.Tensor2D;
  /** KL coefficient β. */
  beta: number;
  estimator: KLEstimator;
  /**
   * Index of each response's last real token [B] int32; default: the position of the last 1 in
   * mask. It must point at a real token: rewards are 0 on padding, so a score put there is dropped.
   */
  lastIndex?: tf.Tensor1D;
}

/**
 * Per-token rewards for PPO: nonScoreReward = -β·KL on every real token, and rewards =
 * nonScoreReward plus the score on the last real token. Both [B, T], 0 on padding (an all-padding
 * row, an empty response, therefore gets no score).
 */
export function klShapedRewards(input: KLShapedRewardsInput): { rewards: tf.Tensor2D; nonScoreReward: tf.Tensor2D } {
  const { scores, logp, refLogp, mask, beta, estimator } = input;
  checkSameShape('klShapedRewards', { logp, refLogp, mask });
  checkRank('klShapedRewards', 'scores', scores, 1);
  const [nScores, B] = [scores.shape[0], logp.shape[0]];
  invariant(nScores === B, `klShapedRewards: ${nScores} scores for ${B} responses`);
  const m = tf.cast(mask, 'float32'); // [B, T]
  const kl = klPenalty(logp, refLogp, estimator); // [B, T]
  const nonScoreReward = tf.mul(tf.mul(kl, -beta), m) as tf.Tensor2D; // [B, T]
  const lastIndex = input.lastIndex ?? lastRealIndex(m);
  const T = logp.shape[1];
  const atLast = tf.oneHot(tf.cast(lastIndex, 'int32'), T); // [B, T]
  const scoreReward = tf.mul(tf.mul(atLast, tf.expandDims(scores, 1)), m); // [B, T]
  return { rewards: tf.add(nonScoreReward, scoreReward) as tf.Tensor2D, nonScoreReward };
}

/** Position of the last 1 in each row of a 0/1 mask [B, T] -> [B] int32 (0 for an empty row). */
function lastRealIndex(mask: tf.Tensor2D): tf.Tensor1D {
  const T = mask.shape[1];
  const positions = tf.range(1, T + 1, 1, 'float32'); // [T], 1-based so position 0 still counts
  return tf.argMax(tf.mul(mask, positions), 1) as tf.Tensor1D; // [B]
}
