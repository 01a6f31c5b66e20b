import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { AdamW, lossAndGrads } from '../../src/engine/train/optimizer';
import { DEFAULT_PRETRAIN, Pretrainer, learningRateAt, type PretrainConfig } from '../../src/engine/train/pretrain';
import { holdOut, prepareCorpus, splitDocuments } from '../../src/engine/train/corpus';
import { maskedCrossEntropy } from '../../src/engine/model/losses';
import { Rng } from '../../src/engine/rng';
import { maxAbsDiff, tensorsLeaked } from '../helpers/tensors';
import { thrownDetail, thrownSentence } from '../helpers/sentence';

const config = { ...GPT_PRESETS.tiny, vocabSize: 40, blockSize: 12 };

/** A small generated text: sentences from a tiny grammar, documents separated by end-of-text. */
function generatedCorpus(docs: number, seed: number): string {
  const rng = new Rng(seed);
  const who = ['the cat', 'a dog', 'the bird', 'my mom'];
  const did = ['ran to', 'saw', 'liked', 'sat on'];
  const what = ['the mat.', 'a ball.', 'the tree.', 'the park.'];
  const pick = (xs: string[]) => xs[rng.int(xs.length)];
  return Array.from({ length: docs }, () =>
    Array.from({ length: 4 }, () => `${pick(who)} ${pick(did)} ${pick(what)}`).join(' '),
  ).join('\n<|endoftext|>\n');
}

/** Characters as tokens (a-z, space, '.', eos = 39): enough to test training without a BPE. */
const encode = (t: string) =>
  [...t].map((ch) => (ch === ' ' ? 26 : ch === '.' ? 27 : Math.min(ch.charCodeAt(0) - 97, 38)));
const data = () => prepareCorpus(holdOut(splitDocuments(generatedCorpus(60, 1))), encode, 39, config.blockSize);
const runConfig: PretrainConfig = {
  ...DEFAULT_PRETRAIN,
  steps: 40,
  batchSize: 8,
  learningRate: 1e-2,
  warmupSteps: 5,
  seed: 3,
};

describe('corpus', () => {
  it('splits on end-of-text (or blank lines) and holds out the last 10% of documents', () => {
    const docs = splitDocuments(Array.from({ length: 20 }, (_, i) => `story ${i}`).join('<|endoftext|>'));
    expect(docs).toHaveLength(20);
    const split = holdOut(docs);
    expect(split.validation).toEqual(['story 18', 'story 19']);
    expect(split.train).not.toContain('story 18');
    expect(splitDocuments('one paragraph.\n\nanother one.\n')).toEqual(['one paragraph.', 'another one.']);
  });

  it('refuses empty, binary and too-short corpora with a clear error', () => {
    expect(thrownSentence(() => splitDocuments('  \n ', 'x.txt'))).toMatch(/x\.txt is empty/);
    expect(thrownSentence(() => splitDocuments('abc\u0000def', 'x.bin'))).toMatch(
      /x\.bin looks binary.*NUL byte at character 3/,
    );
    expect(thrownSentence(() => splitDocuments('\uFFFD\uFFFD\uFFFDab', 'y.bin'))).toMatch(/looks binary/);
    expect(thrownSentence(() => holdOut(['only one'], 'one.txt'))).toMatch(/one\.txt has 1 document/);
    expect(thrownSentence(() => prepareCorpus({ train: ['ab'], validation: ['cd'] }, encode, 39, 12))).toMatch(
      /training split has 3 tokens, fewer than it needs \(13\)/,
    );
  });
});

describe('AdamW', () => {
  it('matches tfjs Adam step for step when weight decay and clipping are off', async () => {
    const a = new GPT(config, 5);
    const b = new GPT(config, 5);
    const ids = tf.tensor2d([[1, 2, 3, 4, 5, 6]], undefined, 'int32');
    const loss = (m: GPT) => () =>
      maskedCrossEntropy(m.logits(ids.slice([0, 0], [1, 5]) as tf.Tensor2D), ids.slice([0, 1], [1, 5]) as tf.Tensor2D);
    const ours = new AdamW(a.params, {
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      weightDecay: 0,
      maxGradNorm: 0,
    });
    const reference = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    for (let i = 0; i < 5; i++) {
      const { loss: l, grads } = lossAndGrads(a.params, loss(a));
      await ours.step(grads);
      tf.dispose([l, ...grads.values()]);
      reference.minimize(loss(b), false, b.trainableVariables());
    }
    for (const [name, v] of a.params.entries())
      expect(maxAbsDiff(v.dataSync(), b.params.get(name).dataSync()), name).toBeLessThan(1e-5);
    tf.dispose(ids);
    [ours, reference, a, b].forEach((x) => x.dispose());
  });

  it('skips a step whose gradient is NaN, leaving every weight unchanged', async () => {
    const model = new GPT(config, 6);
    const opt = new AdamW(model.params);
    const before = model.params.entries().map(([, v]) => v.dataSync().slice());
    const grads = new Map(
      model.params.entries().map(([n, v]) => [n, tf.fill(v.shape, n.endsWith('ln_f.bias') ? NaN : 0.1)]),
    );
    const result = await opt.step(grads);
    expect(result.applied).toBe(false);
    model.params.entries().forEach(([, v], i) => expect(maxAbsDiff(v.dataSync(), before[i])).toBe(0));
    tf.dispose([...grads.values()]);
    opt.dispose();
    model.dispose();
  });
});

describe('Pretrainer', () => {
  it('warms up linearly, then decays by cosine to the floor', () => {
    const c = { ...runConfig, steps: 100, warmupSteps: 10, learningRate: 1, minLearningRateRatio: 0.1 };
    expect(learningRateAt(0, c)).toBeCloseTo(0.1);
    expect(learningRateAt(9, c)).toBeCloseTo(1);
    expect(learningRateAt(55, c)).toBeCloseTo(0.55);
    expect(learningRateAt(100, c)).toBeCloseTo(0.1);
  });

  it('learns more than token frequencies on a small generated text, without leaking tensors', async () => {
    const d = data();
    // A model that learned nothing but frequencies scores the unigram cross-entropy on validation.
    const counts = new Map<number, number>();
    for (const t of d.train) counts.set(t, (counts.get(t) ?? 0) + 1);
    const unigram =
      -d.validation
        .slice(1)
        .reduce((s, t) => s + Math.log(((counts.get(t) ?? 0) + 1) / (d.train.length + config.vocabSize)), 0) /
      (d.validation.length - 1);
    const trainer = new Pretrainer(new GPT(config, 7), d, runConfig);
    const before = await trainer.validationLoss();
    for (let i = 0; i < 5; i++) await trainer.trainStep();
    expect(
      await tensorsLeaked(async () => {
        for (let i = 0; i < 35; i++) await trainer.trainStep();
      }),
    ).toBe(0);
    const after = await trainer.validationLoss();
    expect(before).toBeGreaterThan(unigram);
    expect(after).toBeLessThan(unigram - 0.2);
    trainer.dispose();
    trainer.model.dispose();
  });

  it.each([
    ['without dropout', runConfig],
    ['with dropout (the masks are resumed too)', { ...runConfig, dropout: 0.2 }],
    ['with weight averaging under way (the sums are resumed too)', { ...runConfig, averageFrom: 10, averageEvery: 3 }],
  ])('resumed after an interruption, ends bit-identical to an uninterrupted run, %s', async (_, cfg) => {
    const d = data();
    const straight = new Pretrainer(new GPT(config, 8), d, cfg);
    for (let i = 0; i < runConfig.steps; i++) await straight.trainStep();

    const first = new Pretrainer(new GPT(config, 8), d, cfg);
    for (let i = 0; i < 17; i++) await first.trainStep();
    const state = await first.saveState({ note: 'midway' });
    first.dispose();
    first.model.dispose();
    const { trainer: resumed, info } = Pretrainer.restore(state, d);
    expect([resumed.step, info.note]).toEqual([17, 'midway']);
    while (resumed.step < runConfig.steps) await resumed.trainStep();

    for (const [name, v] of straight.model.params.entries())
      expect(maxAbsDiff(v.dataSync(), resumed.model.params.get(name).dataSync()), name).toBe(0);
    expect(resumed.averagedSnapshots).toBe(straight.averagedSnapshots);
    const [a, b] = [straight.averagedModel(), resumed.averagedModel()];
    if (a !== null && b !== null)
      for (const [name, v] of a.params.entries())
        expect(maxAbsDiff(v.dataSync(), b.params.get(name).dataSync()), name).toBe(0);
    [a, b].forEach((m) => m?.dispose());
    [straight, resumed].forEach((t) => {
      t.dispose();
      t.model.dispose();
    });
  });

  it('averages the weights after steps from, from + every, ... to the end: their plain mean, without leaking tensors', async () => {
    const d = data();
    const averaging = new Pretrainer(new GPT(config, 9), d, { ...runConfig, averageFrom: 22, averageEvery: 6 });
    const plain = new Pretrainer(new GPT(config, 9), d, runConfig);
    expect(averaging.averagedModel()).toBeNull();
    const sums = new Map<string, Float64Array>();
    const taken: number[] = [];
    for (let i = 0; i < runConfig.steps; i++) {
      if (i === 30) expect(await tensorsLeaked(() => averaging.trainStep())).toBe(0);
      else await averaging.trainStep();
      await plain.trainStep();
      if (plain.step < 22 || (plain.step - 22) % 6 !== 0) continue;
      taken.push(plain.step);
      for (const [name, v] of plain.model.params.entries()) {
        const sum = sums.get(name) ?? new Float64Array(v.size);
        v.dataSync().forEach((x, j) => (sum[j] += x));
        sums.set(name, sum);
      }
    }
    expect(taken).toEqual([22, 28, 34, 40]);
    expect(averaging.averagedSnapshots).toBe(4);
    // Averaging only reads the weights: the run itself is the plain run, bit for bit.
    for (const [name, v] of plain.model.params.entries())
      expect(maxAbsDiff(v.dataSync(), averaging.model.params.get(name).dataSync()), name).toBe(0);
    const mean = averaging.averagedModel();
    if (mean === null) throw new Error('no average after four snapshots');
    for (const [name, v] of mean.params.entries()) {
      const expected = Float32Array.from(sums.get(name) ?? [], (x) => x / 4);
      expect(maxAbsDiff(v.dataSync(), expected), name).toBeLessThan(1e-6);
    }
    // A different point from the last step's weights, scored on the same held-out stream.
    expect(
      maxAbsDiff(
        mean.params.get('transformer.wte.weight').dataSync(),
        plain.model.params.get('transformer.wte.weight').dataSync(),
      ),
    ).toBeGreaterThan(1e-4);
    expect(Number.isFinite(await averaging.validationLoss(mean))).toBe(true);
    mean.dispose();
    [averaging, plain].forEach((t) => {
      t.dispose();
      t.model.dispose();
    });
  });

  it('lets a resumed run add weight averaging before it starts, and refuses to change it after', async () => {
    const d = data();
    const cfg = { ...runConfig, averageFrom: 25, averageEvery: 5 };
    const straight = new Pretrainer(new GPT(config, 10), d, cfg);
    for (let i = 0; i < runConfig.steps; i++) await straight.trainStep();

    const first = new Pretrainer(new GPT(config, 10), d, runConfig);
    for (let i = 0; i < 17; i++) await first.trainStep();
    const state = await first.saveState();
    first.dispose();
    first.model.dispose();
    const { trainer: resumed } = Pretrainer.restore(state, d, 'state.safetensors', {
      averageFrom: 25,
      averageEvery: 5,
    });
    while (resumed.step < runConfig.steps) await resumed.trainStep();
    const [a, b] = [straight.averagedModel(), resumed.averagedModel()];
    if (a === null || b === null) throw new Error('no average');
    for (const [name, v] of a.params.entries())
      expect(maxAbsDiff(v.dataSync(), b.params.get(name).dataSync()), name).toBe(0);
    [a, b].forEach((m) => m.dispose());

    expect(
      thrownDetail(() => Pretrainer.restore(state, d, 'state.safetensors', { averageFrom: 10, averageEvery: 5 })),
    ).toEqual({
      code: 'AVERAGING_CHANGED',
      params: { file: 'state.safetensors', step: 17, reason: 'past', startFrom: 10 },
    });
    const started = await straight.saveState();
    const late = () => Pretrainer.restore(started, d, 'late.safetensors', { averageFrom: 35, averageEvery: 5 });
    expect(thrownDetail(late)).toEqual({
      code: 'AVERAGING_CHANGED',
      params: { file: 'late.safetensors', step: 40, reason: 'averaged', averaged: 4, from: 25, every: 5 },
    });
    expect(thrownSentence(late)).toMatch(
      /late\.safetensors: the run at step 40 has averaged 4 snapshots from step 25 every 5; resume it with the weight-averaging settings it was started with/,
    );
    // The same settings as the saved run are not a change.
    const again = Pretrainer.restore(started, d, 'late.safetensors', { averageFrom: 25, averageEvery: 5 }).trainer;
    expect(again.averagedSnapshots).toBe(4);
    [straight, resumed, again].forEach((t) => {
      t.dispose();
      t.model.dispose();
    });
  });

  it('refuses weight averaging that starts outside the run or has no step between snapshots', () => {
    expect(thrownDetail(() => new Pretrainer(new GPT(config, 8), data(), { ...runConfig, averageFrom: 41 }))).toEqual({
      code: 'NUMBER_BETWEEN',
      params: { file: null, field: 'averageFrom', got: '41', min: 1, max: 40, integer: true, zeroTurnsOff: true },
    });
    expect(
      thrownSentence(
        () => new Pretrainer(new GPT(config, 8), data(), { ...runConfig, averageFrom: 10, averageEvery: 0 }),
      ),
    ).toMatch(/averageEvery must be a positive integer, got 0/);
  });

  it('refuses a dropout rate outside [0, 1)', () => {
    expect(thrownSentence(() => new Pretrainer(new GPT(config, 8), data(), { ...runConfig, dropout: 1 }))).toMatch(
      /dropout must be in \[0, 1\), got 1/,
    );
  });
});

describe('sliding-window evaluation', () => {
  it('scores every token exactly once, each (after the first window) with at least T - stride of context', async () => {
    const { slidingWindows } = await import('../../src/engine/train/corpus');
    const stream = Int32Array.from({ length: 50 }, (_, i) => i);
    const windows = slidingWindows(stream, 12, 4);
    const scored = windows.flatMap(({ span, from }) => span.slice(from + 1));
    expect(scored).toEqual(Array.from(stream.slice(1)));
    windows.slice(1).forEach(({ from }) => expect(from).toBeGreaterThanOrEqual(8));
  });

  it('with stride = context, equals the plain windowed loss', async () => {
    const { slidingStreamLoss, streamLoss } = await import('../../src/engine/train/pretrain');
    const trainer = new Pretrainer(new GPT(config, 9), data(), { ...runConfig, steps: 60 });
    for (let i = 0; i < 60; i++) await trainer.trainStep();
    const stream = data().validation;
    const plain = await streamLoss(trainer.model, stream, 8);
    expect(await slidingStreamLoss(trainer.model, stream, config.blockSize)).toBeCloseTo(plain, 4);
    expect(Number.isFinite(await slidingStreamLoss(trainer.model, stream, 4))).toBe(true);
    trainer.dispose();
    trainer.model.dispose();
  });
});
