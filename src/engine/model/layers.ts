/**
 * The building blocks of GPT-2, leaf first: embedding lookup, LayerNorm, the tanh-form GELU and the
 * Conv1D-style linear layer. Shapes: N = rows (B·T flattened), C = width, V = vocabulary.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * rows = table[ids]: [V, C] gathered by ids [N] -> [N, C].
 *
 * The gradient is written by hand: tfjs's own gradient of gather needs the UnsortedSegmentSum
 * kernel, which the WASM backend lacks. d(table) = scatterND(ids, dy), which sums the rows of
 * repeated ids, the same result as a one-hot matmul without the [N, V] one-hot matrix.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const lookup = tf.customGrad((t, i, save) => {
    const tbl = t as tf.Tensor2D;
    const idx = i as tf.Tensor1D;
    (save as tf.GradSaveFunc)([idx]);
    return {
      value: tf.gather(tbl, idx), // [N, C]
      gradFunc: (dy, saved) => {
        const [savedIds] = saved;
        const dTable = tf.scatterND(tf.expandDims(savedIds, 1), dy as tf.Tensor2D, tbl.shape); // [V, C]
        return [dTable, tf.zerosLike(savedIds)];
      },
    };
  });
  return lookup(table, ids) as tf.Tensor2D;
}

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) · gamma + beta. x: [..., C]. */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): T {
  const { mean, variance } = tf.moments(x, -1, true); // [..., 1]
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, gamma), beta) as T;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation as GPT-2 uses: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function geluTanh<T extends tf.Tensor>(x: T): T {
  const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner))) as T;
}

/** y = x·W + b with GPT-2's Conv1D layout. x: [N, in], W: [in, out], b: [out] -> [N, out]. */
export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, weight), bias);
}
