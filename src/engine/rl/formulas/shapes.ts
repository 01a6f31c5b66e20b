/**
 * Shape checks shared by the RL formulas. A mismatched mask broadcasts silently in tfjs and gives
 * a plausible but wrong number, so every formula checks its operands before computing.
 */
import type * as tf from '@tensorflow/tfjs';
import { invariant } from '../../errors';

/** Throws (a bug in the caller) unless every named tensor has exactly the shape of the first. */
export function checkSameShape(where: string, tensors: Record<string, tf.Tensor>): void {
  const entries = Object.entries(tensors);
  const [firstName, first] = entries[0];
  for (const [name, t] of entries.slice(1)) {
    invariant(
      t.shape.length === first.shape.length && t.shape.every((d, i) => d === first.shape[i]),
      `${where}: ${name} has shape [${t.shape}] but ${firstName} has shape [${first.shape}]`,
    );
  }
}

/** Throws (a bug in the caller) unless `t` has the given rank. */
export function checkRank(where: string, name: string, t: tf.Tensor, rank: number): void {
  invariant(t.rank === rank, `${where}: ${name} must have rank ${rank}, got shape [${t.shape}]`);
}
