/**
 * Prompt + response pairs laid out for one forward pass: prompts left-padded to Lq so they all end
 * at column Lq - 1, responses right-padded to Lr after that. The logits at columns Lq-1 .. Lq+Lr-2
 * predict the response tokens; a sequence's reward is read at its last real token.
 *
 *   [pad pad p0 p1 p2 | r0 r1 eos pad]      keyMask [0 0 1 1 1 | 1 1 1 0]
 */
import * as tf from '@tensorflow/tfjs';
import { check, invariant } from '../errors';
import { leftPad } from '../generate/generate';
import type { GPT } from '../model/gpt';

export interface SequenceBatch {
  /** Prompt columns (Lq) and response columns (Lr). */
  Lq: number;
  Lr: number;
  ids: number[][]; // [B, Lq + Lr]
  keyMask: number[][]; // [B, Lq + Lr]
  positions: number[][]; // [B, Lq + Lr]
  responseTokens: number[][]; // [B, Lr]
  responseMask: number[][]; // [B, Lr]: 1 on real response tokens (end-of-text included)
  /** Column of each row's last real token: the last response token, or the prompt's last if empty. */
  lastIndex: number[]; // [B]
}

/**
 * Lays out prompts and responses (token ids). A response longer than the context leaves room for
 * is cut at the context's end (its reward is read there); a prompt with no room at all is an error.
 */
export function buildSequences(
  prompts: number[][],
  responses: number[][],
  blockSize: number,
  padId: number,
): SequenceBatch {
  invariant(
    prompts.length === responses.length && prompts.length > 0,
    `need one response per prompt (got ${prompts.length} prompts, ${responses.length} responses)`,
  );
  const q = leftPad(prompts, padId);
  const Lq = q.ids[0].length;
  check(Lq < blockSize, 'BAD_PROMPT', { code: 'NO_ROOM_FOR_RESPONSE', params: { tokens: Lq, context: blockSize } });
  const cut = responses.map((r) => r.slice(0, blockSize - Lq));
  const Lr = Math.max(1, ...cut.map((r) => r.length));
  const responseTokens = cut.map((r) => [...r, ...new Array<number>(Lr - r.length).fill(padId)]);
  const responseMask = cut.map((r) => [
    ...new Array<number>(r.length).fill(1),
    ...new Array<number>(Lr - r.length).fill(0),
  ]);
  const ids = q.ids.map((p, b) => [...p, ...responseTokens[b]]);
  const keyMask = q.mask.map((m, b) => [...m, ...responseMask[b]]);
  const positions = q.positions.map((p, b) => {
    const start = prompts[b].length;
    return [...p, ...responseTokens[b].map((_, i) => (responseMask[b][i] === 1 ? start + i : 0))];
  });
  const lastIndex = cut.map((r) => Lq - 1 + r.length);
  return { Lq, Lr, ids, keyMask, positions, responseTokens, responseMask, lastIndex };
}

/** The batch as tensors; call inside tf.tidy. */
export function sequenceTensors(s: SequenceBatch) {
  return {
    ids: tf.tensor2d(s.ids, undefined, 'int32'),
    keyMask: tf.tensor2d(s.keyMask, undefined, 'int32'),
    positions: tf.tensor2d(s.positions, undefined, 'int32'),
    responseTokens: tf.tensor2d(s.responseTokens, undefined, 'int32'),
    responseMask: tf.tensor2d(s.responseMask, undefined, 'float32'),
    lastIndex: tf.tensor1d(s.lastIndex, 'int32'),
  };
}

export type SequenceTensors = ReturnType<typeof sequenceTensors>;

/** The trunk's hidden states at the columns that predict response tokens: [B, Lr, C]. */
export function responseHidden(
  model: GPT,
  s: SequenceBatch,
  t: SequenceTensors,
  embeddingDelta?: tf.Tensor3D,
): tf.Tensor3D {
  const { hidden } = model.hidden(t.ids, { keyMask: t.keyMask, positions: t.positions, embeddingDelta });
  return tf.slice(hidden, [0, s.Lq - 1, 0], [-1, s.Lr, -1]); // [B, Lr, C]
}

/**
 * Mean of the hidden states after each real response token: [B, C] (a row with no response
 * token gives zeros).
 */
export function meanResponseHidden(
  model: GPT,
  s: SequenceBatch,
  t: SequenceTensors,
  embeddingDelta?: tf.Tensor3D,
): tf.Tensor2D {
  const { hidden } = model.hidden(t.ids, { keyMask: t.keyMask, positions: t.positions, embeddingDelta });
  const h = tf.slice(hidden, [0, s.Lq, 0], [-1, s.Lr, -1]); // [B, Lr, C]
  const count = tf.maximum(tf.sum(t.responseMask, 1, true), 1); // [B, 1]
  return tf.div(tf.sum(tf.mul(h, tf.expandDims(t.responseMask, 2)), 1), count) as tf.Tensor2D;
}

/** Hidden state at each row's last real token: [B, C] (a one-hot read-out, differentiable everywhere). */
export function lastTokenHidden(
  model: GPT,
  s: SequenceBatch,
  t: SequenceTensors,
  embeddingDelta?: tf.Tensor3D,
): tf.Tensor2D {
  const { hidden } = model.hidden(t.ids, { keyMask: t.keyMask, positions: t.positions, embeddingDelta }); // [B, L, C]
  const L = s.Lq + s.Lr;
  const pick = tf.expandDims(tf.oneHot(t.lastIndex, L), 2); // [B, L, 1]
  return tf.sum(tf.mul(hidden, pick), 1) as tf.Tensor2D; // [B, C]
}
