/**
 * Masked statistics over response tokens, the reductions every RLHF loss is written in.
 *
 * Shapes in the RL formulas: B responses in the batch, T response tokens (right-padded).
 * `mask` [B, T] float32 is 1 on real response tokens and 0 on the padding after end-of-text, so
 * padding never moves a mean, a variance or a loss. Semantics follow Hugging Face TRL's
 * `masked_mean`, `masked_var` and `masked_whiten`, except that an empty mask gives 0 rather
 * than NaN (a batch with nothing to learn should not poison the weights).
 */
import * as tf from '@tensorflow/tfjs';
import { checkRank, checkSameShape } from './shapes';

/** Added to the variance before the square root, as TRL, so a constant input whitens to 0. */
const WHITEN_EPS = 1e-8;

/**
 * Σ mask·x / Σ mask, over all elements (scalar) or along `axis`.
 * x, mask [B, T] -> scalar, or [T] for axis 0, [B] for axis 1.
 */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor, axis?: number): tf.Tensor {
  checkSameShape('maskedMean', { x, mask });
  const m = tf.cast(mask, 'float32');
  const total = tf.sum(tf.mul(x, m), axis);
  const count = tf.maximum(tf.sum(m, axis), 1); // an empty mask gives 0, not 0/0
  return tf.div(total, count);
}

/**
 * Masked variance of all elements: mean of (x - mean)² over the mask, with Bessel's correction
 * n/(n-1) when `unbiased` (TRL's default). x, mask [B, T] -> scalar.
 */
export function maskedVar(x: tf.Tensor, mask: tf.Tensor, unbiased = true): tf.Scalar {
  const mean = maskedMean(x, mask); // scalar
  const centered = tf.sub(x, mean);
  const variance = maskedMean(tf.square(centered), mask) as tf.Scalar;
  if (!unbiased) return variance;
  const count = tf.sum(tf.cast(mask, 'float32'));
  // One real element has variance 0 whatever the correction; clamping avoids 0/0 there.
  const bessel = tf.div(count, tf.maximum(tf.sub(count, 1), 1));
  return tf.mul(variance, bessel) as tf.Scalar;
}

/**
 * Whitening over the real tokens: (x - mean) / sqrt(var + 1e-8) with masked mean and unbiased
 * masked variance. With `shiftMean` false the mean is added back, so only the scale changes:
 * TRL does this to rewards, whose sign carries meaning. x, mask [B, T] -> [B, T].
 * Padding positions hold whatever the formula gives there; multiply by the mask if they must be 0.
 */
export function maskedWhiten(x: tf.Tensor, mask: tf.Tensor, shiftMean = true): tf.Tensor {
  const mean = maskedMean(x, mask); // scalar
  const variance = maskedVar(x, mask, true); // scalar
  const whitened = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, WHITEN_EPS)));
  return shiftMean ? whitened : tf.add(whitened, mean);
}

/**
 * log π(response | prompt): the sum of per-token log-probs over the real response tokens.
 * tokenLogps, mask [B, T] -> [B]. DPO compares whole responses through this sum.
 */
export function sequenceLogProb(tokenLogps: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  checkRank('sequenceLogProb', 'tokenLogps', tokenLogps, 2);
  checkSameShape('sequenceLogProb', { tokenLogps, mask });
  return tf.sum(tf.mul(tokenLogps, tf.cast(mask, 'float32')), 1) as tf.Tensor1D; // [B]
}
