/**
 * PPO's clipped objectives (Schulman et al. 2017), written as TRL's PPO trainer writes them.
 * Losses are masked means over response tokens; `clipfrac` and `approxkl` are diagnostics that
 * say how far the policy moved during this update. Shapes: B responses, T response tokens.
 */
import * as tf from '@tensorflow/tfjs';
import { maskedMean } from './masked';
import { checkSameShape } from './shapes';

/**
 * The clipped surrogate: with ratio = π/π_old per token,
 *   loss = maskedMean(max(-A·ratio, -A·clip(ratio, 1-ε, 1+ε))),
 * the pessimistic bound that stops a single update from moving the policy far.
 * logp, oldLogp, advantages, mask [B, T] -> scalars: loss; clipfrac, the fraction of real tokens
 * where the clipped term is the larger (so its gradient is 0); approxkl = ½·maskedMean((log ratio)²).
 */
export function ppoPolicyLoss(
  logp: tf.Tensor2D,
  oldLogp: tf.Tensor2D,
  advantages: tf.Tensor2D,
  mask: tf.Tensor2D,
  clipRange: number,
): { loss: tf.Scalar; clipfrac: tf.Scalar; approxkl: tf.Scalar } {
  checkSameShape('ppoPolicyLoss', { logp, oldLogp, advantages, mask });
  const logRatio = tf.sub(logp, oldLogp); // [B, T]
  const ratio = tf.exp(logRatio); // [B, T]
  const pgLoss1 = tf.mul(tf.neg(advantages), ratio); // [B, T]
  const pgLoss2 = tf.mul(tf.neg(advantages), tf.clipByValue(ratio, 1 - clipRange, 1 + clipRange)); // [B, T]
  const pgLossMax = tf.maximum(pgLoss1, pgLoss2); // [B, T]
  return {
    loss: maskedMean(pgLossMax, mask) as tf.Scalar,
    clipfrac: maskedMean(tf.cast(tf.greater(pgLoss2, pgLoss1), 'float32'), mask) as tf.Scalar,
    approxkl: tf.mul(maskedMean(tf.square(logRatio), mask), 0.5) as tf.Scalar,
  };
}

/**
 * The clipped value loss: the new prediction may move at most `clipRangeValue` from the value
 * recorded at rollout time, and the worse of the clipped and unclipped squared errors is kept:
 *   loss = ½·maskedMean(max((V - R)², (clip(V, V_old - c, V_old + c) - R)²)).
 * values, oldValues, returns, mask [B, T] -> scalars: loss; clipfrac, the fraction of real
 * tokens where the clipped error is the larger.
 */
export function valueLoss(
  values: tf.Tensor2D,
  oldValues: tf.Tensor2D,
  returns: tf.Tensor2D,
  mask: tf.Tensor2D,
  clipRangeValue: number,
): { loss: tf.Scalar; clipfrac: tf.Scalar } {
  checkSameShape('valueLoss', { values, oldValues, returns, mask });
  const vfLoss1 = tf.square(tf.sub(values, returns)); // [B, T]
  const lowest = tf.sub(oldValues, clipRangeValue); // [B, T]
  const highest = tf.add(oldValues, clipRangeValue); // [B, T]
  const valuesClipped = tf.minimum(tf.maximum(values, lowest), highest); // [B, T]
  const vfLoss2 = tf.square(tf.sub(valuesClipped, returns)); // [B, T]
  const vfLossMax = tf.maximum(vfLoss1, vfLoss2); // [B, T]
  return {
    loss: tf.mul(maskedMean(vfLossMax, mask), 0.5) as tf.Scalar,
    clipfrac: maskedMean(tf.cast(tf.greater(vfLoss2, vfLoss1), 'float32'), mask) as tf.Scalar,
  };
}
