import * as tf from '@tensorflow/tfjs';

/** Largest absolute elementwise difference of two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Runs fn and returns how many tensors it left behind (0 means no leak). */
export async function tensorsLeaked(fn: () => Promise<unknown> | unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}

/** Runs fn in tf.tidy, reads every returned tensor, disposes them, and checks nothing leaked. */
export function tidyRead<K extends string>(fn: () => Record<K, tf.Tensor>): Record<K, number[]> {
  const before = tf.memory().numTensors;
  const out = tf.tidy(fn);
  const read = Object.fromEntries(Object.entries<tf.Tensor>(out).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(out);
  if (tf.memory().numTensors !== before) throw new Error(`leaked ${tf.memory().numTensors - before} tensor(s)`);
  return read as Record<K, number[]>;
}
