// The RLHF losses: PPO's clipped policy and value losses against hand arithmetic, and the
// Bradley-Terry and DPO losses against hand values and their gradients against finite differences.
import * as tf from '@tensorflow/tfjs';
import { tidyRead } from '../helpers/tensors';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { ppoPolicyLoss, valueLoss } from '../../src/engine/rl/formulas/ppo-losses';
import {
  bradleyTerryLoss,
  bradleyTerryProbability,
  dpoLoss,
  smoothTarget,
  type DPOInput,
} from '../../src/engine/rl/formulas/preference-losses';
import { maxAbsDiff } from '../helpers/tensors';

type LossOf = (...inputs: tf.Tensor1D[]) => tf.Scalar;

/** The loss at plain-number inputs. */
function lossAt(lossOf: LossOf, inputs: number[][]): number {
  const r = tidyRead(() => ({ loss: lossOf(...inputs.map((x) => tf.tensor1d(x))) }));
  return r.loss[0];
}

/** tf.grads of the loss with respect to every input, next to central finite differences. */
function gradients(lossOf: LossOf, inputs: number[][], eps: number): { analytic: number[][]; numeric: number[][] } {
  const before = tf.memory().numTensors;
  const grads = tf.tidy(() =>
    tf.grads((...xs: tf.Tensor[]) => lossOf(...(xs as tf.Tensor1D[])))(inputs.map((x) => tf.tensor1d(x))),
  );
  const analytic = grads.map((g) => Array.from(g.dataSync()));
  tf.dispose(grads);
  expect(tf.memory().numTensors).toBe(before);
  const numeric = inputs.map((input, i) =>
    input.map((_, j) => {
      const shifted = (delta: number) =>
        inputs.map((x, k) => (k === i ? x.map((v, l) => (l === j ? v + delta : v)) : x));
      return (lossAt(lossOf, shifted(eps)) - lossAt(lossOf, shifted(-eps))) / (2 * eps);
    }),
  );
  return { analytic, numeric };
}

/** float32 central differences (eps 1e-2) agree with tf.grads to about 1%. */
function expectGradientsMatch(lossOf: LossOf, inputs: number[][]): void {
  const { analytic, numeric } = gradients(lossOf, inputs, 1e-2);
  analytic.flat().forEach((a, i) => {
    const n = numeric.flat()[i];
    expect(Math.abs(a - n)).toBeLessThanOrEqual(1e-2 * Math.max(Math.abs(n), 0.1));
  });
  expect(Math.max(...analytic.flat().map(Math.abs))).toBeGreaterThan(1e-3);
}

const t2 = (x: number[][]) => tf.tensor2d(x);

describe('PPO clipped policy loss', () => {
  // clip range 0.2, four real tokens and one padding token whose huge ratio must not count:
  //   t  ratio  adv   pgLoss1 = -adv*ratio   pgLoss2 = -adv*clip(ratio)   max     clipped?
  //   0  1.5     1    -1.5                   -1.2                         -1.2    yes
  //   1  0.5     1    -0.5                   -0.8                         -0.5    no
  //   2  0.5    -1     0.5                    0.8                          0.8    yes
  //   3  1.1     2    -2.2                   -2.2                         -2.2    no (inside the range)
  // loss = (-1.2 - 0.5 + 0.8 - 2.2) / 4 = -0.775, clipfrac = 2/4
  // approxkl = 0.5 * (ln²1.5 + 2 ln²0.5 + ln²1.1) / 4 = 0.141799
  const oldLogp = [[-1, -2, -0.5, -3, -1]];
  const logp = [[-1 + Math.log(1.5), -2 + Math.log(0.5), -0.5 + Math.log(0.5), -3 + Math.log(1.1), 2]];
  const advantages = [[1, 1, -1, 2, -5]];
  const mask = [[1, 1, 1, 1, 0]];

  it('matches the hand arithmetic, clipfrac counting exactly the clipped tokens', () => {
    const r = tidyRead(() => ppoPolicyLoss(t2(logp), t2(oldLogp), t2(advantages), t2(mask), 0.2));
    expect(r.loss[0]).toBeCloseTo(-0.775, 5);
    expect(r.clipfrac[0]).toBe(0.5);
    expect(r.approxkl[0]).toBeCloseTo(0.141799, 5);
  });

  it('has zero gradient on clipped tokens and -adv * ratio / n on the others', () => {
    const before = tf.memory().numTensors;
    const grad = tf.tidy(() =>
      tf.grad((lp: tf.Tensor) => ppoPolicyLoss(lp as tf.Tensor2D, t2(oldLogp), t2(advantages), t2(mask), 0.2).loss)(
        t2(logp),
      ),
    );
    // d/dlogp of -adv * exp(logp - oldLogp) / 4 at the unclipped tokens 1 and 3
    expect(maxAbsDiff(grad.dataSync(), [0, (-1 * 0.5) / 4, 0, (-2 * 1.1) / 4, 0])).toBeLessThan(1e-6);
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('PPO clipped value loss', () => {
  it('matches the hand arithmetic, clipfrac counting tokens where the clipped error is larger', () => {
    // clip range 0.2 around the old value:
    //   t  old  V    clip(V)  R    (V-R)²  (clip-R)²  max    counted?
    //   0  0    0.5  0.2      1    0.25    0.64       0.64   yes
    //   1  0    0.1  0.1      1    0.81    0.81       0.81   no (inside the range)
    //   2  1    0.5  0.8      0    0.25    0.64       0.64   yes
    //   3  0    0.5  0.2      0    0.25    0.04       0.25   no (clipped, but the clipped error is smaller)
    // loss = 0.5 * (0.64 + 0.81 + 0.64 + 0.25) / 4 = 0.2925, clipfrac = 2/4
    const r = tidyRead(() =>
      valueLoss(
        t2([[0.5, 0.1, 0.5, 0.5, 10]]),
        t2([[0, 0, 1, 0, 0]]),
        t2([[1, 1, 0, 0, -10]]),
        t2([[1, 1, 1, 1, 0]]),
        0.2,
      ),
    );
    expect(r.loss[0]).toBeCloseTo(0.2925, 5);
    expect(r.clipfrac[0]).toBe(0.5);
  });

  it('with an infinite range (the value warm-up) it is half the masked mean squared error of a plain loop', () => {
    const values = [
      [0.5, 0.1, -2, 3],
      [1, 0, 0.25, 7],
    ];
    const returns = [
      [1, 1, 0, 0],
      [-1, 0.5, 0.25, 9],
    ];
    const mask = [
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ];
    let sum = 0;
    let count = 0;
    values.forEach((row, i) =>
      row.forEach((v, j) => {
        sum += mask[i][j] * (v - returns[i][j]) ** 2;
        count += mask[i][j];
      }),
    );
    // Old values far from both: any finite range would clip.
    const r = tidyRead(() =>
      valueLoss(t2(values), t2(values.map((row) => row.map(() => 100))), t2(returns), t2(mask), Infinity),
    );
    expect(r.loss[0]).toBeCloseTo((0.5 * sum) / count, 6);
    expect(r.clipfrac[0]).toBe(0);
  });
});

describe('Bradley-Terry loss', () => {
  it('matches hand values, with and without a target', () => {
    // margins 1 and -2: -log σ(1) = 0.3132617, -log σ(-2) = 2.1269280, mean 1.2200948
    // target 0.5 on the first pair: 0.5 * (-log σ(1) - log σ(-1)) = 0.8132617; mean with 2.1269280 = 1.4700948
    const r = tidyRead(() => ({
      plain: bradleyTerryLoss(tf.tensor1d([1, 0]), tf.tensor1d([0, 2])),
      tie: bradleyTerryLoss(tf.tensor1d([1, 0]), tf.tensor1d([0, 2]), tf.tensor1d([0.5, 1])),
      p: bradleyTerryProbability(tf.tensor1d([1, 0]), tf.tensor1d([0, 2])),
    }));
    expect(r.plain[0]).toBeCloseTo(1.2200948, 5);
    expect(r.tie[0]).toBeCloseTo(1.4700948, 5);
    expect(maxAbsDiff(r.p, [0.7310586, 0.1192029])).toBeLessThan(1e-6);
  });

  it('label smoothing moves each target toward 0.5 by ε: the loss of a plain loop over pairs', () => {
    const eps = 0.1;
    const margins = [1, -2, 0.5];
    const targets = [1, 0, 0.5];
    const logSig = (x: number) => -Math.log1p(Math.exp(-x));
    // -((1-ε)·log σ(m) + ε·log σ(-m)) for a clear preference; a tie stays at 0.5.
    const plain =
      margins
        .map((m, i) => {
          const p = targets[i] === 1 ? 1 - eps : targets[i] === 0 ? eps : 0.5;
          return -(p * logSig(m) + (1 - p) * logSig(-m));
        })
        .reduce((a, b) => a + b, 0) / margins.length;
    const r = tidyRead(() => ({
      smoothed: smoothTarget(tf.tensor1d(targets), eps),
      loss: bradleyTerryLoss(tf.tensor1d(margins), tf.zeros([3]), smoothTarget(tf.tensor1d(targets), eps)),
      off: smoothTarget(tf.tensor1d(targets), 0),
    }));
    expect(maxAbsDiff(r.smoothed, [0.9, 0.1, 0.5])).toBeLessThan(1e-6);
    expect(maxAbsDiff(r.off, targets)).toBe(0);
    expect(r.loss[0]).toBeCloseTo(plain, 5);
  });

  it('stays finite and exact for large margins', () => {
    const r = tidyRead(() => ({
      right: bradleyTerryLoss(tf.tensor1d([100]), tf.tensor1d([0])),
      wrong: bradleyTerryLoss(tf.tensor1d([100]), tf.tensor1d([0]), tf.tensor1d([0])),
    }));
    expect(r.right[0]).toBeLessThan(1e-6);
    expect(r.wrong[0]).toBeCloseTo(100, 4);
  });

  it('has gradients that match finite differences', () => {
    const rng = new Rng(21);
    const rc = Array.from({ length: 4 }, () => rng.normal() * 2);
    const rr = Array.from({ length: 4 }, () => rng.normal() * 2);
    const target = [1, 0.5, 0.8, 0];
    expectGradientsMatch((c, r) => bradleyTerryLoss(c, r), [rc, rr]);
    expectGradientsMatch((c, r) => bradleyTerryLoss(c, r, tf.tensor1d(target)), [rc, rr]);
  });

  it('with a tie target of 0.5 is minimised at equal rewards', () => {
    const tieLoss: LossOf = (c, r) => bradleyTerryLoss(c, r, tf.tensor1d([0.5]));
    const atEqual = lossAt(tieLoss, [[0.7], [0.7]]);
    expect(atEqual).toBeCloseTo(Math.LN2, 6);
    expect(lossAt(tieLoss, [[1.2], [0.7]])).toBeGreaterThan(atEqual + 0.01);
    expect(lossAt(tieLoss, [[0.2], [0.7]])).toBeGreaterThan(atEqual + 0.01);
    const { analytic } = gradients(tieLoss, [[0.7], [0.7]], 1e-2);
    expect(Math.max(...analytic.flat().map(Math.abs))).toBeLessThan(1e-7);
  });
});

describe('DPO loss', () => {
  const dpoInput = (pc: tf.Tensor1D, pr: tf.Tensor1D, rc: tf.Tensor1D, rr: tf.Tensor1D): DPOInput => ({
    policyChosenLogps: pc,
    policyRejectedLogps: pr,
    refChosenLogps: rc,
    refRejectedLogps: rr,
  });

  it('matches hand values for the loss, implicit rewards and accuracy', () => {
    // beta 0.1; chosen log-ratios pc - rc = [1, -2], rejected pr - rr = [-1, 1]
    // logits = 0.1 * ([1, -2] - [-1, 1]) = [0.2, -0.3]
    // loss = mean(-log σ(0.2), -log σ(-0.3)) = mean(0.5981389, 0.8543552) = 0.7262471
    // chosen rewards [0.1, -0.2], rejected [-0.1, 0.1]: only the first pair is ranked right
    const r = tidyRead(() =>
      dpoLoss(
        dpoInput(tf.tensor1d([-10, -20]), tf.tensor1d([-12, -15]), tf.tensor1d([-11, -18]), tf.tensor1d([-11, -16])),
        0.1,
      ),
    );
    expect(r.loss[0]).toBeCloseTo(0.7262471, 5);
    expect(maxAbsDiff(r.chosenRewards, [0.1, -0.2])).toBeLessThan(1e-5);
    expect(maxAbsDiff(r.rejectedRewards, [-0.1, 0.1])).toBeLessThan(1e-5);
    expect(r.rewardAccuracy[0]).toBe(0.5);
  });

  it('has gradients in all four log-probs that match finite differences', () => {
    const rng = new Rng(8);
    const logps = () => Array.from({ length: 3 }, () => -10 + 3 * rng.normal());
    const inputs = [logps(), logps(), logps(), logps()];
    expectGradientsMatch((pc, pr, rc, rr) => dpoLoss(dpoInput(pc, pr, rc, rr), 0.5).loss, inputs);
    const target = () => tf.tensor1d([1, 0.5, 0.25]);
    expectGradientsMatch(
      (pc, pr, rc, rr) => dpoLoss({ ...dpoInput(pc, pr, rc, rr), target: target() }, 0.5).loss,
      inputs,
    );
  });

  it('with a tie target is minimised when both responses moved equally from the reference', () => {
    const tieLoss: LossOf = (pc, pr, rc, rr) =>
      dpoLoss({ ...dpoInput(pc, pr, rc, rr), target: tf.tensor1d([0.5]) }, 0.1).loss;
    const equal = [[-9], [-14], [-10], [-15]]; // both log-ratios are +1
    expect(lossAt(tieLoss, equal)).toBeCloseTo(Math.LN2, 5);
    expect(lossAt(tieLoss, [[-7], [-14], [-10], [-15]])).toBeGreaterThan(Math.LN2 + 1e-3);
    const { analytic } = gradients(tieLoss, equal, 1e-2);
    expect(Math.max(...analytic.flat().map(Math.abs))).toBeLessThan(1e-6);
  });

  it('rejects inputs of different lengths', () => {
    const bad = () =>
      dpoLoss(dpoInput(tf.tensor1d([1, 2]), tf.tensor1d([1]), tf.tensor1d([1, 2]), tf.tensor1d([1, 2])), 0.1);
    expect(() => tf.tidy(() => bad().loss)).toThrow(/policyRejectedLogps has shape \[1\]/);
  });
});
