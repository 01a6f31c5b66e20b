/**
 * Log-probs that match a truncated sampler. When the rollout samples with top-k or top-p, each
 * token comes from the distribution renormalised over the ids the truncation kept at its step:
 *   q(y) = π(y) / Σ_{j ∈ S} π(j)   for y in S, 0 outside.
 * Scoring those tokens with the full softmax π instead (policy and reference alike) is the
 * mismatch behind negative KL estimates: mass the policy moves outside S lowers log π(y) of every
 * sampled token without changing what is sampled, so log π - log π_ref of the samples can go below
 * zero and the KL penalty turns into a bonus. With matched log-probs both the policy and the
 * reference are renormalised over the same kept set S, so the KL is that of two distributions on
 * S (at least 0 in expectation) and the PPO ratio is that of the distribution actually sampled.
 */
import * as tf from '@tensorflow/tfjs';

/** Added to the logits of dropped ids: finite, so gradients stay finite; exp of it is 0. */
const DROPPED = -1e9;

/**
 * Logit bias [b, Lr, V] for rows `idx` of a rollout's kept sets ([B][tokens][ids]): 0 on kept ids,
 * DROPPED elsewhere; 0 everywhere on padding columns (masked out of every loss anyway) and on the
 * steps past a row's list (nothing dropped there).
 */
export function keptBias(
  kept: readonly (readonly (readonly number[])[])[],
  idx: number[],
  Lr: number,
  V: number,
): tf.Tensor3D {
  const bias = new Float32Array(idx.length * Lr * V);
  idx.forEach((row, b) => {
    const steps = kept[row];
    for (let t = 0; t < Lr; t++) {
      if (t >= steps.length) continue;
      const base = (b * Lr + t) * V;
      bias.fill(DROPPED, base, base + V);
      for (const id of steps[t]) bias[base + id] = 0;
    }
  });
  return tf.tensor3d(bias, [idx.length, Lr, V]);
}

/** Logits restricted to the kept ids (bias null: unchanged). Call inside tf.tidy. */
export function restrictLogits(logits: tf.Tensor3D, bias: tf.Tensor3D | null): tf.Tensor3D {
  return bias === null ? logits : (tf.add(logits, bias) as tf.Tensor3D);
}
