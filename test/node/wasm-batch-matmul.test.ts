import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { installWasmBatchMatMul } from '../../src/engine/kernels/wasm-batch-matmul';
import { Rng } from '../../src/engine/rng';
import { maxAbsDiff } from '../helpers/tensors';

function random(shape: number[], rng: Rng): { values: Float32Array; shape: number[] } {
  const values = Float32Array.from({ length: shape.reduce((n, d) => n * d, 1) }, () => rng.normal());
  return { values, shape };
}

/** a·b with the given flags on a backend, as plain numbers. */
async function productOn(
  backend: string,
  a: ReturnType<typeof random>,
  b: ReturnType<typeof random>,
  tA: boolean,
  tB: boolean,
) {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return tf.tidy(() =>
      tf.matMul(tf.tensor(a.values, a.shape), tf.tensor(b.values, b.shape), tA, tB).dataSync().slice(),
    );
  } finally {
    await tf.setBackend(previous);
  }
}

// [a shape, b shape] before transposes: batches, broadcasts, and widths that are not multiples of 4 or 16.
const CASES: [number[], number[]][] = [
  [
    [2, 3, 5],
    [2, 5, 7],
  ],
  [
    [2, 4, 33, 17],
    [2, 4, 17, 37],
  ],
  [
    [3, 1, 6],
    [3, 6, 16],
  ],
  [
    [1, 9, 4],
    [5, 4, 20],
  ],
  [
    [5, 9, 4],
    [4, 3],
  ],
  [
    [16, 4, 1, 32],
    [16, 4, 32, 13],
  ],
];

function transposed(shape: number[], t: boolean): number[] {
  if (!t) return shape;
  const s = [...shape];
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1], s[s.length - 2]];
  return s;
}

describe('WASM SIMD batched matMul', () => {
  it('is installed on the WASM backend (SIMD is available in Node)', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(installWasmBatchMatMul()).toBe(true);
  });

  it('matches the CPU backend for every transpose combination, batch broadcast and odd width', async () => {
    const rng = new Rng(3);
    for (const [aShape, bShape] of CASES) {
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        const a = random(transposed(aShape, tA), rng);
        const b = random(transposed(bShape, tB), rng);
        const wasm = await productOn('wasm', a, b, tA, tB);
        const cpu = await productOn('cpu', a, b, tA, tB);
        expect(maxAbsDiff(wasm, cpu), `${aShape} x ${bShape}, transposeA ${tA}, transposeB ${tB}`).toBeLessThan(1e-4);
      }
    }
  });

  it('leaves no buffers behind in the backend, transposed operand included', () => {
    const [a, b] = [tf.ones([3, 4, 5]), tf.ones([3, 6, 5])];
    const before = tf.engine().backend.numDataIds();
    tf.matMul(a, b, false, true).dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([a, b]);
  });
});
