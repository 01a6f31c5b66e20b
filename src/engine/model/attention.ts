/**
 * Causal multi-head self-attention, with an optional key/value cache for fast decoding.
 * Shapes: B batch, T new tokens, Tp cached (past) tokens, Tk = Tp + T keys, C width,
 * nh heads, hs = C / nh head size.
 */
import * as tf from '@tensorflow/tfjs';
import { linear } from './layers';

/** One block's keys (stored transposed, ready for q·kᵀ) and values for every token seen so far. */
export type LayerCache = {
  kT: tf.Tensor4D; // [B, nh, hs, Tp]
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
  const [q2, k2, v2] = tf.split(qkv, 3, 1); // 3 × [B·T, C]
  // q is pre-scaled by 1/√hs: cheaper on [B, nh, T, hs] than on the [B, nh, T, Tk] scores.
  const q = tf.mul(tf.transpose(tf.reshape(q2, [B, T, nHead, hs]), [0, 2, 1, 3]), 1 / Math.sqrt(hs)); // [B, nh, T, hs]
  // k goes straight to [B, nh, hs, T], so q·kᵀ is a plain matMul (transposed matMuls are slow on WASM).
  let kT = tf.transpose(tf.reshape(k2, [B, T, nHead, hs]), [0, 2, 3, 1]) as tf.Tensor4D; // [B, nh, hs, T]
  let v = tf.transpose(tf.reshape(v2, [B, T, nHead, hs]), [0, 2, 1, 3]) as tf.Tensor4D; // [B, nh, T, hs]
  if (past !== undefined) {
    kT = tf.concat([past.kT, kT], 3); // [B, nh, hs, Tk]
    v = tf.concat([past.v, v], 2); // [B, nh, Tk, hs]
  }
  const scores = tf.add(tf.matMul(q, kT), bias); // [B, nh, T, Tk]
  const att = tf.softmax(scores, -1); // [B, nh, T, Tk]
  const heads = tf.matMul(att, v); // [B, nh, T, hs]
  const merged = tf.reshape<tf.Rank.R2>(tf.transpose(heads, [0, 2, 1, 3]), [B * T, C]); // [B·T, C]
  const y = tf.reshape(linear(merged, p.cProjW, p.cProjB), [B, T, C]) as tf.Tensor3D; // [B, T, C]
  return { y, present: { kT, v } };
}
