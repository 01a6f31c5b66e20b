/**
 * The building blocks of GPT-2, leaf first: embedding lookup, LayerNorm, the tanh-form GELU and the
 * Conv1D-style linear layer. Shapes: N = rows (B·T flattened), C = width, V = vocabulary.
 */
import * as tf from '@tensorflow/tfjs';
import { product, sumRows } from '../kernels/matmul';

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

/**
 * LayerNorm over the last axis: (x - mean) / sqrt(var + eps) · gamma + beta. x: [..., C].
 * The gradient is written out (the standard one, as in llm.c): with n the normalised x,
 * dn = dy·gamma and rstd = 1 / sqrt(var + eps),
 *   dx = rstd · (dn - mean(dn) - n · mean(dn·n)),  dgamma = Σ_rows dy·n,  dbeta = Σ_rows dy,
 * which takes a third of the kernels tfjs's autodiff of moments would, and no axis-0 sums.
 */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): T {
  const C = gamma.shape[0];
  const f = tf.customGrad((xArg, gArg, bArg, save) => {
    const [xIn, g, b] = [xArg as tf.Tensor, gArg as tf.Tensor1D, bArg as tf.Tensor1D];
    const rows = tf.reshape(xIn, [-1, C]) as tf.Tensor2D; // [N, C]
    const centered = tf.sub(rows, tf.mean(rows, -1, true)); // [N, C]
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps)); // [N, 1]
    const normed = tf.mul(centered, rstd) as tf.Tensor2D; // [N, C]
    (save as tf.GradSaveFunc)([normed, rstd, g]);
    return {
      value: tf.reshape(tf.add(tf.mul(normed, g), b), xIn.shape),
      gradFunc: (dy, [n, r, gS]) => {
        const dyRows = tf.reshape(dy as tf.Tensor, [-1, C]) as tf.Tensor2D; // [N, C]
        const dn = tf.mul(dyRows, gS); // [N, C]
        const proj = tf.mul(n, tf.mean(tf.mul(dn, n), -1, true)); // [N, C]
        const dx = tf.mul(r, tf.sub(tf.sub(dn, tf.mean(dn, -1, true)), proj)); // [N, C]
        return [tf.reshape(dx, xIn.shape), sumRows(tf.mul(dyRows, n) as tf.Tensor2D), sumRows(dyRows)];
      },
    };
  });
  return f(x, gamma, beta) as T;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation as GPT-2 uses: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 * Computed as x·sigmoid(2·√(2/π)·x·(1 + 0.044715·x²)), the same function since
 * 0.5·(1 + tanh(z)) = sigmoid(2z): six kernels instead of nine, and WASM's sigmoid is
 * vectorised where its tanh is not (about 15x faster on [2048, 512]).
 */
export function geluTanh<T extends tf.Tensor>(x: T): T {
  const z2 = tf.mul(x, tf.add(2 * SQRT_2_OVER_PI, tf.mul(2 * SQRT_2_OVER_PI * 0.044715, tf.square(x)))); // 2z
  return tf.mul(x, tf.sigmoid(z2)) as T;
}

/**
 * y = x·W + b with GPT-2's Conv1D layout. x: [N, in], W: [in, out], b: [out] -> [N, out].
 * The gradient is written out so the bias gradient is a column sum (sumRows) rather than tfjs's
 * broadcast-add gradient, an axis-0 sum that is slow on WASM.
 */
export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((xArg, wArg, bArg, save) => {
    const [xIn, w, b] = [xArg as tf.Tensor2D, wArg as tf.Tensor2D, bArg as tf.Tensor1D];
    (save as tf.GradSaveFunc)([xIn, w]);
    return {
      value: tf.add(tf.matMul(xIn, w), b), // [N, out]
      gradFunc: (dy, [xS, wS]) => {
        const g = dy as tf.Tensor2D;
        return [product(g, wS, false, true), product(xS, g, true, false), sumRows(g)]; // [N, in], [in, out], [out]
      },
    };
  });
  return f(x, weight, bias) as tf.Tensor2D;
}
