/**
 * What the training objectives need from logits: per-token log-probabilities of given tokens (the
 * quantity PPO, DPO and the KL penalty are written in) and the masked cross-entropy of SFT and
 * pretraining. Shapes: B batch, T positions, V vocabulary.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * log Σ_v exp(l_v) of each row, from p = softmax(l): the largest p is exp(0) / Σ exp(l - max l),
 * so log Σ exp(l) = max l - log(max p). On WASM the softmax kernel is vectorised while exp and log
 * over [N, V] are not (logSoftmax costs 9x a softmax), and max p >= 1/V never underflows.
 * l, p: [N, V] -> [N].
 */
function logPartition(l: tf.Tensor2D, p: tf.Tensor2D): tf.Tensor1D {
  return tf.sub(tf.max(l, -1), tf.log(tf.max(p, -1))) as tf.Tensor1D;
}

/**
 * log softmax(l)[n, t_n] for each row n: l [N, V], picks [N, 2] int32 rows of (n, t_n) -> [N].
 * Its gradient is written out, d/dl = onehot(t) - softmax(l), so no [N, V] one-hot or log-softmax
 * is ever made; the one-hot term is a scatter of dy into the picked cells.
 */
function pickedLogProbs(l: tf.Tensor2D, picks: tf.Tensor2D): tf.Tensor1D {
  const f = tf.customGrad((lIn, iIn, save) => {
    const [rows, idx] = [lIn as tf.Tensor2D, iIn as tf.Tensor2D];
    const p = tf.softmax(rows); // [N, V]
    (save as tf.GradSaveFunc)([p, idx]);
    return {
      value: tf.sub(tf.gatherND(rows, idx), logPartition(rows, p)), // [N]
      gradFunc: (dy, [pSaved, idxSaved]) => {
        const dyCol = tf.expandDims(dy as tf.Tensor1D, 1); // [N, 1]
        const onehotDy = tf.scatterND(idxSaved, dy as tf.Tensor1D, pSaved.shape); // [N, V]
        return [tf.sub(onehotDy, tf.mul(pSaved, dyCol)), tf.zerosLike(idxSaved)];
      },
    };
  });
  return f(l, picks) as tf.Tensor1D;
}

/**
 * log π(token_t | context) at every position: log_softmax(logits / temperature) read at `tokens`.
 * logits [B, T, V], tokens [B, T] int32 -> [B, T].
 * Dividing by the sampling temperature makes these the log-probs of the distribution the tokens
 * were actually sampled from (a detail PPO implementations get wrong surprisingly often).
 */
export function tokenLogProbs(logits: tf.Tensor3D, tokens: tf.Tensor2D, temperature = 1): tf.Tensor2D {
  const [B, T, V] = logits.shape;
  const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
  const rows = tf.range(0, B * T, 1, 'int32'); // [N]
  const picks = tf.stack([rows, tf.reshape(tf.cast(tokens, 'int32'), [B * T])], 1) as tf.Tensor2D; // [N, 2]
  const logp = pickedLogProbs(tf.reshape(scaled, [B * T, V]), picks); // [N]
  return tf.reshape(logp, [B, T]) as tf.Tensor2D;
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

/**
 * Entropy -Σ p·log p of each row of l [N, V] -> [N], with p = softmax(l) and log p = l - logZ
 * (see logPartition). Gradient written out: dH/dl = -p·(log p + H).
 */
function rowEntropy(l: tf.Tensor2D): tf.Tensor1D {
  const f = tf.customGrad((lIn, save) => {
    const rows = lIn as tf.Tensor2D;
    const p = tf.softmax(rows); // [N, V]
    const logp = tf.sub(rows, tf.expandDims(logPartition(rows, p), 1)); // [N, V]
    const h = tf.neg(tf.sum(tf.mul(p, logp), -1)) as tf.Tensor1D; // [N]
    (save as tf.GradSaveFunc)([p, logp, h]);
    return {
      value: h,
      gradFunc: (dy, [pS, logpS, hS]) => {
        const logpPlusH = tf.add(logpS, tf.expandDims(hS, 1)); // [N, V]
        return tf.mul(tf.neg(tf.mul(pS, logpPlusH)), tf.expandDims(dy as tf.Tensor1D, 1)); // [N, V]
      },
    };
  });
  return f(l) as tf.Tensor1D;
}

/** Per-position entropy of softmax(logits / temperature), in nats: logits [B, T, V] -> [B, T]. */
export function entropy(logits: tf.Tensor3D, temperature = 1): tf.Tensor2D {
  const [B, T, V] = logits.shape;
  const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
  return tf.reshape(rowEntropy(tf.reshape(scaled, [B * T, V])), [B, T]) as tf.Tensor2D;
}
