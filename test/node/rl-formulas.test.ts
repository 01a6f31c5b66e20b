// The RLHF formulas that shape rewards and advantages, against hand-worked numbers and against
// plain-loop references. Losses (PPO, value, Bradley-Terry, DPO) are in rl-formulas-losses.test.ts.
import * as tf from '@tensorflow/tfjs';
import { tidyRead } from '../helpers/tensors';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors';
import { Rng } from '../../src/engine/rng';
import { gae, gaeReference } from '../../src/engine/rl/formulas/gae';
import { grpoAdvantages, rlooAdvantages } from '../../src/engine/rl/formulas/group-advantages';
import { klPenalty, klShapedRewards } from '../../src/engine/rl/formulas/kl';
import { maskedMean, maskedVar, maskedWhiten, sequenceLogProb } from '../../src/engine/rl/formulas/masked';
import { mergeMoments, momentsStd, NO_MOMENTS } from '../../src/engine/rl/formulas/running-moments';
import { scheduledLearningRate } from '../../src/engine/rl/formulas/schedule';
import { maxAbsDiff } from '../helpers/tensors';

/** B rows of T numbers drawn from a scaled normal. */
function randomMatrix(rng: Rng, B: number, T: number, scale = 1): number[][] {
  return Array.from({ length: B }, () => Array.from({ length: T }, () => scale * rng.normal()));
}

/** Right-padded 0/1 masks with the given number of real tokens per row. */
function prefixMask(lengths: number[], T: number): number[][] {
  return lengths.map((n) => Array.from({ length: T }, (_, t) => (t < n ? 1 : 0)));
}

/** The real (mask 1) entries of a matrix, flattened. */
function realEntries(x: number[], mask: number[][]): number[] {
  return mask.flat().flatMap((m, i) => (m === 1 ? [x[i]] : []));
}

const t2 = (x: number[][]) => tf.tensor2d(x);

describe('masked statistics', () => {
  const mask = [
    [1, 1, 1, 0],
    [1, 0, 0, 0],
  ];
  const x = [
    [1, 2, 3, 100],
    [6, -50, 7, 8],
  ];

  it('maskedMean and maskedVar use only real tokens', () => {
    // real entries 1, 2, 3, 6: mean 3; squared deviations 4, 1, 0, 9 sum to 14
    const r = tidyRead(() => ({
      mean: maskedMean(t2(x), t2(mask)),
      rows: maskedMean(t2(x), t2(mask), 1),
      biased: maskedVar(t2(x), t2(mask), false),
      unbiased: maskedVar(t2(x), t2(mask)),
    }));
    expect(r.mean[0]).toBeCloseTo(3, 6);
    expect(r.rows[0]).toBeCloseTo(2, 6); // (1 + 2 + 3) / 3
    expect(r.rows[1]).toBeCloseTo(6, 6);
    expect(r.biased[0]).toBeCloseTo(14 / 4, 5);
    expect(r.unbiased[0]).toBeCloseTo(14 / 3, 5);
  });

  it('maskedMean of an empty mask is 0, not NaN', () => {
    const r = tidyRead(() => ({ mean: maskedMean(t2(x), tf.zeros([2, 4])) }));
    expect(r.mean[0]).toBe(0);
  });

  it('maskedWhiten ignores padding and gives masked mean 0 and variance 1', () => {
    const changedPadding = [
      [1, 2, 3, -7],
      [6, 9, 1e3, 0],
    ];
    const r = tidyRead(() => ({
      a: maskedWhiten(t2(x), t2(mask)),
      b: maskedWhiten(t2(changedPadding), t2(mask)),
    }));
    const real = realEntries(r.a, mask);
    expect(maxAbsDiff(real, realEntries(r.b, mask))).toBe(0);
    const mean = real.reduce((s, v) => s + v, 0) / real.length;
    const variance = real.reduce((s, v) => s + (v - mean) ** 2, 0) / (real.length - 1);
    expect(mean).toBeCloseTo(0, 6);
    expect(variance).toBeCloseTo(1, 5);
    expect(real[0]).toBeCloseTo((1 - 3) / Math.sqrt(14 / 3), 5);
  });

  it('maskedWhiten with shiftMean false rescales but keeps the mean', () => {
    const r = tidyRead(() => ({
      shifted: maskedWhiten(t2(x), t2(mask)),
      kept: maskedWhiten(t2(x), t2(mask), false),
    }));
    const kept = realEntries(r.kept, mask);
    expect(kept.reduce((s, v) => s + v, 0) / kept.length).toBeCloseTo(3, 5);
    expect(
      maxAbsDiff(
        kept.map((v) => v - 3),
        realEntries(r.shifted, mask),
      ),
    ).toBeLessThan(1e-5);
  });

  it('sequenceLogProb sums log-probs over real tokens only', () => {
    const r = tidyRead(() => ({
      s: sequenceLogProb(
        t2([
          [-1, -2, -3],
          [-0.5, -9, -9],
        ]),
        t2([
          [1, 1, 1],
          [1, 0, 0],
        ]),
      ),
    }));
    expect(maxAbsDiff(r.s, [-6, -0.5])).toBeLessThan(1e-6);
  });

  it('rejects a mask whose shape differs from the values', () => {
    const before = tf.memory().numTensors;
    // The engine builds every mask itself: a mismatch is a bug, not a person's input, so no message code.
    expect(() => tf.tidy(() => maskedMean(tf.zeros([2, 4]), tf.ones([2, 3])))).not.toThrow(EngineError);
    expect(() => tf.tidy(() => maskedMean(tf.zeros([2, 4]), tf.ones([2, 3])))).toThrow(/mask has shape \[2,3\]/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('running moments', () => {
  it('merged batch by batch, they are the mean and population std of everything seen (a plain loop)', () => {
    const batches = [[1, 2, 3.5], [10], [], [-4, 0.25, 7, 7, 2]];
    let m = NO_MOMENTS;
    const seen: number[] = [];
    for (const b of batches) {
      m = mergeMoments(m, b);
      seen.push(...b);
      const mean = seen.reduce((a, x) => a + x, 0) / seen.length;
      const std = Math.sqrt(seen.reduce((a, x) => a + (x - mean) ** 2, 0) / seen.length);
      expect(m.count).toBe(seen.length);
      expect(m.mean).toBeCloseTo(mean, 12);
      expect(momentsStd(m)).toBeCloseTo(std, 12);
    }
    // Nothing seen, or nothing that differs: a std of 1, so normalising only shifts.
    expect(momentsStd(NO_MOMENTS)).toBe(1);
    expect(momentsStd(mergeMoments(NO_MOMENTS, [5, 5, 5]))).toBe(1);
  });
});

describe('KL penalty and shaped rewards', () => {
  it('k1 and k3 match hand-computed values', () => {
    // logp = [-1, -2], ref = [-1.5, -1]: k1 = logp - ref = [0.5, -1];
    // log r = ref - logp = [-0.5, 1], k3 = (e^-0.5 - 1) + 0.5 = 0.1065307, (e - 1) - 1 = 0.7182818
    const r = tidyRead(() => ({
      k1: klPenalty(t2([[-1, -2]]), t2([[-1.5, -1]]), 'k1'),
      k3: klPenalty(t2([[-1, -2]]), t2([[-1.5, -1]]), 'k3'),
    }));
    expect(maxAbsDiff(r.k1, [0.5, -1])).toBeLessThan(1e-6);
    expect(maxAbsDiff(r.k3, [0.1065307, 0.7182818])).toBeLessThan(1e-6);
  });

  it('k3 is never negative, and zero where the policies agree', () => {
    const rng = new Rng(3);
    const logp = randomMatrix(rng, 4, 16, 3);
    const refLogp = randomMatrix(rng, 4, 16, 3);
    refLogp[0] = logp[0].slice();
    const r = tidyRead(() => ({ k3: klPenalty(t2(logp), t2(refLogp), 'k3') }));
    expect(Math.min(...r.k3)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r.k3.slice(0, 16))).toBe(0);
    expect(Math.max(...r.k3)).toBeGreaterThan(0.1);
  });

  it('puts the score on the last real token, -beta * KL on every real token, nothing on padding', () => {
    const rng = new Rng(11);
    const [B, T, beta] = [4, 5, 0.1];
    const lengths = [5, 2, 1, 0];
    const mask = prefixMask(lengths, T);
    const logp = randomMatrix(rng, B, T);
    const refLogp = randomMatrix(rng, B, T);
    const scores = [1.5, -2, 3, 7];
    const inputs = () => ({ scores: tf.tensor1d(scores), logp: t2(logp), refLogp: t2(refLogp), mask: t2(mask), beta });
    const r = tidyRead(() => klShapedRewards({ ...inputs(), estimator: 'k1' }));
    const explicit = tidyRead(() =>
      klShapedRewards({ ...inputs(), estimator: 'k1', lastIndex: tf.tensor1d([4, 1, 0, 0], 'int32') }),
    );
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const i = b * T + t;
        const real = t < lengths[b];
        const expectedNonScore = real ? -beta * (logp[b][t] - refLogp[b][t]) : 0;
        const expectedScore = real && t === lengths[b] - 1 ? scores[b] : 0;
        expect(r.nonScoreReward[i]).toBeCloseTo(expectedNonScore, 5);
        expect(r.rewards[i] - r.nonScoreReward[i]).toBeCloseTo(expectedScore, 5);
      }
    }
    expect(maxAbsDiff(explicit.rewards, r.rewards)).toBe(0);
  });

  it('uses the k3 estimator when asked, and rejects scores of the wrong length', () => {
    const r = tidyRead(() =>
      klShapedRewards({
        scores: tf.tensor1d([0]),
        logp: t2([[-1, -2]]),
        refLogp: t2([[-1.5, -1]]),
        mask: t2([[1, 1]]),
        beta: 2,
        estimator: 'k3',
      }),
    );
    expect(maxAbsDiff(r.nonScoreReward, [-2 * 0.1065307, -2 * 0.7182818])).toBeLessThan(1e-5);
    const bad = () =>
      klShapedRewards({
        scores: tf.tensor1d([1, 2]),
        logp: t2([[-1, -2]]),
        refLogp: t2([[-1, -2]]),
        mask: t2([[1, 1]]),
        beta: 0.1,
        estimator: 'k1',
      });
    expect(() => tf.tidy(bad)).toThrow(/2 scores for 1 responses/);
  });
});

describe('GAE', () => {
  it('matches a case worked out by hand', () => {
    // gamma 0.9, lambda 0.8, one response of 2 real tokens then padding (whose r and V are junk):
    // t=1: delta = 1 + 0.9*0 - 0.2 = 0.8, A1 = 0.8
    // t=0: delta = 0 + 0.9*0.2 - 0.5 = -0.32, A0 = -0.32 + 0.9*0.8*0.8 = 0.256
    // returns = A + V = [0.756, 1.0], 0 on padding
    const r = tidyRead(() => gae(t2([[0, 1, 5]]), t2([[0.5, 0.2, 9]]), t2([[1, 1, 0]]), 0.9, 0.8));
    expect(maxAbsDiff(r.advantages, [0.256, 0.8, 0])).toBeLessThan(1e-6);
    expect(maxAbsDiff(r.returns, [0.756, 1.0, 0])).toBeLessThan(1e-6);
    const ref = gaeReference([[0, 1, 5]], [[0.5, 0.2, 9]], [[1, 1, 0]], 0.9, 0.8);
    expect(maxAbsDiff(ref.advantages[0], [0.256, 0.8, 0])).toBeLessThan(1e-12);
  });

  it.each([
    [1, 0.95],
    [0.99, 0.95],
    [1, 1],
    [0.9, 0.5],
    [0.8, 0],
  ])('the vectorised version matches the plain loop (gamma %s, lambda %s)', (gamma, lambda) => {
    const rng = new Rng(Math.round(gamma * 1000 + lambda * 100));
    const [B, T] = [6, 13];
    const mask = prefixMask([13, 7, 1, 0, 12, 4], T);
    const rewards = randomMatrix(rng, B, T, 0.5);
    const values = randomMatrix(rng, B, T);
    const ref = gaeReference(rewards, values, mask, gamma, lambda);
    const r = tidyRead(() => gae(t2(rewards), t2(values), t2(mask), gamma, lambda));
    expect(maxAbsDiff(r.advantages, ref.advantages.flat())).toBeLessThan(1e-5);
    expect(maxAbsDiff(r.returns, ref.returns.flat())).toBeLessThan(1e-5);
    expect(realEntries(r.advantages, mask).length).toBe(37);
    expect(r.advantages.filter((_, i) => mask.flat()[i] === 0).every((a) => a === 0)).toBe(true);
  });
});

describe('group advantages', () => {
  it('GRPO normalises within each group with the unbiased std', () => {
    // group [1, 2, 3]: mean 2, unbiased std 1 -> (s - 2) / 1.0001; a constant group gives 0
    const r = tidyRead(() => ({
      a: grpoAdvantages(
        t2([
          [1, 2, 3],
          [5, 5, 5],
        ]),
      ),
    }));
    expect(maxAbsDiff(r.a, [-1 / 1.0001, 0, 1 / 1.0001, 0, 0, 0])).toBeLessThan(1e-6);
  });

  it('RLOO subtracts the mean of the other responses', () => {
    // [1, 2, 3]: 1 - 2.5, 2 - 2, 3 - 1.5; [4, 0]: 4 - 0, 0 - 4
    const r = tidyRead(() => ({
      three: rlooAdvantages(t2([[1, 2, 3]])),
      two: rlooAdvantages(t2([[4, 0]])),
    }));
    expect(maxAbsDiff(r.three, [-1.5, 0, 1.5])).toBeLessThan(1e-6);
    expect(maxAbsDiff(r.two, [4, -4])).toBeLessThan(1e-6);
  });

  it('RLOO advantages sum to zero in every group', () => {
    const scores = randomMatrix(new Rng(5), 5, 4, 3);
    const r = tidyRead(() => ({ a: rlooAdvantages(t2(scores)) }));
    for (let p = 0; p < 5; p++) {
      expect(Math.abs(r.a.slice(p * 4, p * 4 + 4).reduce((s, v) => s + v, 0))).toBeLessThan(1e-5);
    }
  });

  it('needs at least two responses per prompt', () => {
    for (const [algorithm, advantages] of [
      ['grpo', grpoAdvantages],
      ['rloo', rlooAdvantages],
    ] as const) {
      expect(() => tf.tidy(() => advantages(t2([[1], [2]])))).toThrow(
        expect.objectContaining({ detail: { code: 'ALGORITHM_NEEDS_GROUPS', params: { algorithm } } }),
      );
    }
  });
});

describe('learning-rate schedule', () => {
  it('warms up linearly, then falls linearly to zero at the decay iteration', () => {
    const rates = Array.from({ length: 12 }, (_, i) => scheduledLearningRate(6, i, 2, 10));
    // Warm-up 6·1/3, 6·2/3; then 6·(10 - i)/8 from iteration 2 on, 0 from iteration 10.
    expect(rates).toEqual([2, 4, 6, 5.25, 4.5, 3.75, 3, 2.25, 1.5, 0.75, 0, 0]);
  });

  it('is constant without warm-up or decay, decays from the start without warm-up', () => {
    expect([0, 5, 500].map((i) => scheduledLearningRate(3e-5, i, 0, 0))).toEqual([3e-5, 3e-5, 3e-5]);
    expect([0, 1, 2, 3, 4].map((i) => scheduledLearningRate(1, i, 0, 4))).toEqual([1, 0.75, 0.5, 0.25, 0]);
    // Warm-up alone ends at the full rate and stays there.
    expect([0, 1, 2, 3].map((i) => scheduledLearningRate(1, i, 1, 0))).toEqual([0.5, 1, 1, 1]);
    // A decay that ends inside the warm-up: zero once the warm-up is over.
    expect([0, 1, 2, 3].map((i) => scheduledLearningRate(1, i, 2, 2))).toEqual([1 / 3, 2 / 3, 0, 0]);
  });
});
