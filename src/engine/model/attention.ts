/**
 * Causal multi-head self-attention, with an optional key/value cache for fast decoding.
 * Shapes: B batch, T new tokens, Tp cached (past) tokens, Tk = Tp + T keys, C width,
 * nh heads, hs = C / nh head size.
 */
import * as tf from '@tensorflow/tfjs';
import { linear } from './layers';

/**
 * One block's keys and values for every token seen so far. Both grow along the token axis, the
 * second-to-last, where appending a token copies whole rows (appending along the last axis, as a
 * transposed key cache would, is about 10x slower on WASM).
 */
export type LayerCache = {
  k: tf.Tensor4D; // [B, nh, Tp, hs]
  v: tf.Tensor4D; // [B, nh, Tp, hs]
};

export interface AttentionParams {
  cAttnW: tf.Tensor2D; // [C, 3C]
  cAttnB: tf.Tensor1D; // [3C]
  cProjW: tf.Tensor2D; // [C, C]
  cProjB: tf.Tensor1D; // [C]
}

/** Large enough that exp(-1e9) is exactly 0 in float32, small enough to never overflow. */
const MASKED = -1e9;

/**
 * The additive attention bias [B or 1, 1, T, Tk]: 0 where query i may look at key j, MASKED elsewhere.
 * A query at absolute position Tp + i sees keys j <= Tp + i (causality) whose keyMask is 1 (not padding).
 */
export function attentionBias(T: number, Tp: number, keyMask?: tf.Tensor2D): tf.Tensor4D {
  const Tk = Tp + T;
  const keyIdx = tf.reshape(tf.range(0, Tk, 1, 'int32'), [1, Tk]); // [1, Tk]
  const queryIdx = tf.reshape(tf.range(Tp, Tk, 1, 'int32'), [T, 1]); // [T, 1]
  let allowed = tf.reshape(tf.cast(tf.lessEqual(keyIdx, queryIdx), 'float32'), [1, 1, T, Tk]);
  if (keyMask !== undefined) {
    const B = keyMask.shape[0];
    allowed = tf.mul(allowed, tf.reshape(tf.cast(keyMask, 'float32'), [B, 1, 1, Tk])); // [B, 1, T, Tk]
  }
  return tf.mul(tf.sub(1, allowed), MASKED) as tf.Tensor4D;
}

/**
 * [B·T, C] -> [B, nh, T, hs]. One new token (decoding) needs no transpose: the axes moved have size 1.
 */
function splitHeads(x: tf.Tensor2D, B: number, T: number, nHead: number): tf.Tensor4D {
  const hs = x.shape[1] / nHead;
  if (T === 1) return tf.reshape(x, [B, nHead, 1, hs]);
  return tf.transpose(tf.reshape(x, [B, T, nHead, hs]), [0, 2, 1, 3]); // [B, nh, T, hs]
}

/**
 * y = softmax(q·kᵀ/√hs + bias)·v, heads concatenated and projected.
 * x: [B, T, C], bias: [B or 1, 1, T, Tk]. Returns y [B, T, C] and the cache extended by these T tokens.
 */
export function causalSelfAttention(
  x: tf.Tensor3D,
  p: AttentionParams,
  nHead: number,
  bias: tf.Tensor4D,
  past?: LayerCache,
): { y: tf.Tensor3D; present: LayerCache } {
  const [B, T, C] = x.shape;
  const hs = C / nHead;
  const qkv = linear(tf.reshape(x, [B * T, C]), p.cAttnW, p.cAttnB); // [B·T, 3C]
  const [q2, k2, v2] = tf.split(qkv, 3, 1) as tf.Tensor2D[]; // 3 × [B·T, C]
  // q is pre-scaled by 1/√hs: cheaper on [B, nh, T, hs] than on the [B, nh, T, Tk] scores.
  const q = tf.mul(splitHeads(q2, B, T, nHead), 1 / Math.sqrt(hs)); // [B, nh, T, hs]
  let k = splitHeads(k2, B, T, nHead); // [B, nh, T, hs]
  let v = splitHeads(v2, B, T, nHead); // [B, nh, T, hs]
  if (past !== undefined) {
    k = tf.concat([past.k, k], 2); // [B, nh, Tk, hs]
    v = tf.concat([past.v, v], 2); // [B, nh, Tk, hs]
  }
  // A batch of products: on WASM the transposed form costs the same as a plain one (see product).
  const scores = tf.add(tf.matMul(q, k, false, true), bias); // [B, nh, T, Tk]
  const att = tf.softmax(scores, -1); // [B, nh, T, Tk]
  const heads = tf.matMul(att, v); // [B, nh, T, hs]
  const merged =
    T === 1
      ? tf.reshape<tf.Rank.R2>(heads, [B, C])
      : tf.reshape<tf.Rank.R2>(tf.transpose(heads, [0, 2, 1, 3]), [B * T, C]); // [B·T, C]
  const y = tf.reshape(linear(merged, p.cProjW, p.cProjB), [B, T, C]) as tf.Tensor3D; // [B, T, C]
  return { y, present: { k, v } };
}
