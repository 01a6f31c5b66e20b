/**
 * Matrix products that stay fast on every backend.
 *
 * The fix for a TensorFlow.js trap on WASM: matMul with transposeA/transposeB runs 10-25x slower
 * than a plain matMul there, and tfjs's default BatchMatMul gradient uses exactly those
 * transposed forms (dA = dy·Bᵀ, dB = Aᵀ·dy). On WASM this gradient transposes explicitly, then
 * multiplies plainly; on other backends it keeps the fused transposed form, which is fast there.
 *
 * The embedding-gradient trap (gather's gradient needs UnsortedSegmentSum, missing on WASM) is
 * handled where embeddings are looked up: see `embeddingLookup` in model/layers.ts.
 */
import * as tf from '@tensorflow/tfjs';

/** Swaps the last two axes: [..., m, n] -> [..., n, m]. */
function swapLastTwo(x: tf.Tensor): tf.Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

/** Matrices in a batch: the product of every axis but the last two. */
function batchSize(x: tf.Tensor): number {
  return x.shape.slice(0, -2).reduce((n, d) => n * d, 1);
}

/**
 * a·b with optional transposes of either side: explicit transposes then a plain matMul on WASM,
 * the fused transposed matMul elsewhere. Use it wherever the model multiplies by a transpose.
 * WASM's fast path (XNNPACK) only takes one plain matrix per side; a batch of matrices (attention's
 * [B, nh, ., .]) runs a generic loop that costs the same with or without the transpose flags, so
 * transposing such a batch first would only add copies.
 */
export function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  if (tf.getBackend() !== 'wasm' || batchSize(a) > 1 || batchSize(b) > 1)
    return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? swapLastTwo(a) : a, transposeB ? swapLastTwo(b) : b);
}

/**
 * Column sums of x [N, C] -> [C], the reduction every bias and LayerNorm-gain gradient needs. On
 * WASM a sum over axis 0 transposes then reduces (about 8 ms for [2048, 512]); the same sum as
 * ones[1, N]·x is one fast matMul (0.2 ms).
 */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  const [N, C] = x.shape;
  if (tf.getBackend() !== 'wasm') return tf.sum(x, 0);
  return tf.reshape(tf.matMul(tf.ones([1, N]), x), [C]); // [1, N]·[N, C] -> [C]
}

const batchMatMulGrad: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const g = dy as tf.Tensor;
    const [a, b] = saved;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    // The four cases of d(op(A)·op(B)), as in tfjs's own BatchMatMul gradient.
    if (!transposeA && !transposeB) {
      return { a: () => product(g, b, false, true), b: () => product(a, g, true, false) };
    }
    if (!transposeA && transposeB) {
      return { a: () => product(g, b, false, false), b: () => product(g, a, true, false) };
    }
    if (transposeA && !transposeB) {
      return { a: () => product(b, g, false, true), b: () => product(a, g, false, false) };
    }
    return { a: () => product(b, g, true, true), b: () => product(g, a, true, true) };
  },
};

let installed = false;

/** Replaces tfjs's BatchMatMul gradient with the WASM-aware one. Idempotent. */
export function installWasmGradients(): void {
  if (installed) return;
  tf.unregisterGradient(tf.BatchMatMul);
  tf.registerGradient(batchMatMulGrad);
  installed = true;
}
