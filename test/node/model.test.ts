import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS, countParameters, parseGPTConfig } from '../../src/engine/model/config';
import { maskedCrossEntropy } from '../../src/engine/model/losses';
import { embeddingLookup } from '../../src/engine/model/layers';
import { Rng } from '../../src/engine/rng';
import { maxAbsDiff, tensorsLeaked } from '../helpers/tensors';
import { thrownSentence } from '../helpers/sentence';

const tiny = GPT_PRESETS.tiny;

function randomIds(rng: Rng, B: number, T: number, V: number): number[][] {
  return Array.from({ length: B }, () => Array.from({ length: T }, () => rng.int(V)));
}

function lossOf(model: GPT, ids: number[][]): tf.Scalar {
  const x = tf.tensor2d(
    ids.map((r) => r.slice(0, -1)),
    undefined,
    'int32',
  );
  const y = tf.tensor2d(
    ids.map((r) => r.slice(1)),
    undefined,
    'int32',
  );
  return maskedCrossEntropy(model.logits(x), y);
}

async function withBackend<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return await fn();
  } finally {
    await tf.setBackend(previous);
  }
}

describe('GPT', () => {
  it('has GPT-2 parameter names and the parameter count the config predicts', () => {
    const model = new GPT(tiny, 1);
    const names = model.params.specs.map((s) => s.name);
    expect(names).toContain('transformer.h.0.attn.c_attn.weight');
    expect(names).toContain('transformer.h.1.mlp.c_proj.bias');
    expect(names).toContain('transformer.ln_f.weight');
    const total = model.trainableVariables().reduce((n, v) => n + v.size, 0);
    expect(total).toBe(countParameters(tiny));
    expect(model.params.get('transformer.h.0.attn.c_attn.weight').shape).toEqual([16, 48]);
    model.dispose();
  });

  it('gives the same initial weights for the same seed, different for another', async () => {
    const [a, b, c] = [new GPT(tiny, 7), new GPT(tiny, 7), new GPT(tiny, 8)];
    const w = (m: GPT) => m.params.get('transformer.wte.weight').dataSync();
    expect(maxAbsDiff(w(a), w(b))).toBe(0);
    expect(maxAbsDiff(w(a), w(c))).toBeGreaterThan(0);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('rejects unknown, missing and inconsistent config fields with a clear error', () => {
    expect(thrownSentence(() => parseGPTConfig({ ...tiny, nlayer: 2 }))).toMatch(/unknown config field.*"nlayer"/);
    expect(thrownSentence(() => parseGPTConfig({ vocabSize: 10 }))).toMatch(/missing config field "blockSize"/);
    expect(thrownSentence(() => parseGPTConfig({ ...tiny, nHead: 3 }))).toMatch(/divisible by nHead/);
    expect(thrownSentence(() => parseGPTConfig({ ...tiny, nEmbd: -4 }))).toMatch(
      /nEmbd must be a positive integer, got -4/,
    );
    expect(thrownSentence(() => parseGPTConfig('gpt2'))).toMatch(/JSON object/);
  });

  it('is causal: changing a later token does not change earlier logits', () => {
    const model = new GPT(tiny, 2);
    const ids = randomIds(new Rng(3), 1, 10, tiny.vocabSize);
    const changed = ids.map((r) => r.map((t, i) => (i === 7 ? (t + 1) % tiny.vocabSize : t)));
    const [a, b] = [ids, changed].map((x) =>
      tf.tidy(() => model.logits(tf.tensor2d(x, undefined, 'int32')).arraySync()),
    );
    expect(maxAbsDiff(a[0].slice(0, 7).flat(), b[0].slice(0, 7).flat())).toBe(0);
    expect(maxAbsDiff(a[0][7], b[0][7])).toBeGreaterThan(0);
    model.dispose();
  });

  it('gradients match central finite differences along random directions', async () => {
    const model = new GPT(tiny, 4);
    const ids = randomIds(new Rng(5), 2, 9, tiny.vocabSize);
    const vars = model.trainableVariables();
    const { grads } = tf.variableGrads(() => lossOf(model, ids), vars);
    const rng = new Rng(6);
    for (let trial = 0; trial < 3; trial++) {
      const dirs = vars.map((v) =>
        tf.tensor(
          Array.from({ length: v.size }, () => rng.normal()),
          v.shape,
        ),
      );
      const norm = Math.sqrt(dirs.reduce((s, d) => s + tf.sum(tf.square(d)).dataSync()[0], 0));
      const analytic = vars.reduce((s, v, i) => s + tf.sum(tf.mul(grads[v.name], dirs[i])).dataSync()[0], 0) / norm;
      const eps = 2e-3;
      const shifted = (sign: number) => {
        const saved = vars.map((v) => v.clone());
        vars.forEach((v, i) => v.assign(tf.add(v, tf.mul(dirs[i], (sign * eps) / norm))));
        const l = tf.tidy(() => lossOf(model, ids).dataSync()[0]);
        vars.forEach((v, i) => v.assign(saved[i]));
        tf.dispose(saved);
        return l;
      };
      const numeric = (shifted(1) - shifted(-1)) / (2 * eps);
      expect(Math.abs(numeric - analytic)).toBeLessThan(0.02 * Math.abs(analytic) + 2e-3);
      tf.dispose(dirs);
    }
    tf.dispose(grads);
    model.dispose();
  });

  it('WASM gradients (custom embedding and matMul gradients) equal the CPU backend defaults', async () => {
    const ids = randomIds(new Rng(8), 2, 12, tiny.vocabSize);
    const gradsOn = (backend: string) =>
      withBackend(backend, async () => {
        const model = new GPT(tiny, 9);
        const { value, grads } = tf.variableGrads(() => lossOf(model, ids), model.trainableVariables());
        const out = model.params.entries().map(([name, v]) => [name, grads[v.name].dataSync().slice()] as const);
        tf.dispose([value, ...Object.values(grads)]);
        model.dispose();
        return new Map(out);
      });
    const wasm = await gradsOn('wasm');
    const cpu = await gradsOn('cpu');
    for (const [name, g] of wasm) expect(maxAbsDiff(g, cpu.get(name)!), name).toBeLessThan(1e-4);
  });

  it('embeddingLookup gradient sums repeated ids like gather on the CPU backend', async () => {
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ids = tf.tensor1d([2, 0, 2, 2], 'int32');
    const dy = tf.tensor2d([
      [1, 0],
      [0, 1],
      [2, 2],
      [-1, 3],
    ]);
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), dy)))(table);
    expect(await ours.array()).toEqual([
      [0, 1],
      [0, 0],
      [2, 5],
    ]);
    tf.dispose([table, ids, dy, ours]);
  });

  it('overfits a short text (loss falls below 0.1 nats)', async () => {
    const model = new GPT({ ...tiny, blockSize: 24 }, 10);
    const text = [...'the cat sat on the mat. '].map((ch) => ch.charCodeAt(0) % tiny.vocabSize);
    const ids = [text.slice(0, 25)];
    const opt = tf.train.adam(0.02);
    let loss = Infinity;
    for (let i = 0; i < 150 && loss > 0.1; i++) {
      const l = opt.minimize(() => lossOf(model, ids), true, model.trainableVariables())!;
      loss = (await l.data())[0];
      l.dispose();
    }
    expect(loss).toBeLessThan(0.1);
    opt.dispose();
    model.dispose();
  });

  it('dropout: rate 0 is the plain forward pass; a seed gives one mask; masks scale what they keep', async () => {
    const model = new GPT(tiny, 13);
    const ids = tf.tensor2d(randomIds(new Rng(14), 2, 8, tiny.vocabSize), undefined, 'int32');
    const run = (dropout?: { rate: number; seed: number }) => tf.tidy(() => model.logits(ids, { dropout }).dataSync());
    const plain = run();
    expect(maxAbsDiff(run({ rate: 0, seed: 1 }), plain)).toBe(0);
    const a = run({ rate: 0.3, seed: 1 });
    expect(maxAbsDiff(run({ rate: 0.3, seed: 1 }), a)).toBe(0);
    expect(maxAbsDiff(run({ rate: 0.3, seed: 2 }), a)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(a, plain)).toBeGreaterThan(1e-3);
    // Inverted dropout keeps the expectation: over many masks the kept values average to x.
    const x = tf.ones([1, 20000]);
    const kept = tf.tidy(() => tf.dropout(x, 0.3, undefined, 7).dataSync());
    const mean = Array.from(kept).reduce((s, v) => s + v, 0) / kept.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
    expect(new Set(Array.from(kept, (v) => v.toFixed(4)))).toEqual(new Set(['0.0000', (1 / 0.7).toFixed(4)]));
    x.dispose();
    ids.dispose();
    model.dispose();
  });

  it('leaks no tensors in a forward pass or a training step', async () => {
    const model = new GPT(tiny, 11);
    const ids = randomIds(new Rng(12), 2, 8, tiny.vocabSize);
    const opt = tf.train.adam(1e-3);
    opt.minimize(() => lossOf(model, ids), false, model.trainableVariables()); // creates Adam's slots once
    expect(await tensorsLeaked(() => tf.tidy(() => model.logits(tf.tensor2d(ids, undefined, 'int32'))).dispose())).toBe(
      0,
    );
    expect(await tensorsLeaked(() => opt.minimize(() => lossOf(model, ids), false, model.trainableVariables()))).toBe(
      0,
    );
    opt.dispose();
    model.dispose();
  });
});
