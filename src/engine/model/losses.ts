/**
 * What the training objectives need from logits: per-token log-probabilities of given tokens (the
 * quantity PPO, DPO and the KL penalty are written in) and the masked cross-entropy of SFT and
 * pretraining. Shapes: B batch, T positions, V vocabulary.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * log π(token_t | context) at every position: log_softmax(logits / temperature) read at `tokens`.
 * logits [B, T, V], tokens [B, T] int32 -> [B, T].
 * Dividing by the sampling temperature makes these the log-probs of the distribution the tokens
 * were actually sampled from (a detail PPO implementations get wrong surprisingly often).
 * The read-out is a one-hot product rather than a gather, so it is differentiable on every backend.
 */
export function tokenLogProbs(logits: tf.Tensor3D, tokens: tf.Tensor2D, temperature = 1): tf.Tensor2D {
  const V = logits.shape[2];
  const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
  const logp = tf.logSoftmax(scaled, -1); // [B, T, V]
  const picked = tf.mul(logp, tf.oneHot(tf.cast(tokens, 'int32'), V)); // [B, T, V]
  return tf.sum(picked, -1) as tf.Tensor2D; // [B, T]
}

/**
 * Mean negative log-likelihood over the positions where mask is 1:
 * Σ mask·(-log p(target)) / Σ mask. logits [B, T, V], targets [B, T], mask [B, T] -> scalar.
 * A mask of all zeros gives 0 (nothing to learn), not NaN.
 */
export function maskedCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D, mask?: tf.Tensor2D): tf.Scalar {
  const nll = tf.neg(tokenLogProbs(logits, targets)); // [B, T]
  if (mask === undefined) return tf.mean(nll) as tf.Scalar;
  const m = tf.cast(mask, 'float32');
  return tf.div(tf.sum(tf.mul(nll, m)), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
}

/** Per-position entropy of softmax(logits / temperature), in nats: logits [B, T, V] -> [B, T]. */
export function entropy(logits: tf.Tensor3D, temperature = 1): tf.Tensor2D {
  const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
  const logp = tf.logSoftmax(scaled, -1); // [B, T, V]
  return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1)) as tf.Tensor2D; // [B, T]
}
