import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { EngineError } from '../../src/engine/errors';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { lowerBoundScorer, lowerBoundScores } from '../../src/engine/rl/lower-bound-scorer';
import { buildSequences, sequenceTensors } from '../../src/engine/rl/sequences';
import { Rng } from '../../src/engine/rng';
import { tensorsLeaked } from '../helpers/tensors';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const PAD = 31;

describe("the lower-bound scorer (ensemble mean less its heads' spread)", () => {
  it('is mean - weight x std on numbers worked by hand', () => {
    // Heads [1, 3]: mean 2, std 1. Heads [0, 0]: mean 0, std 0.
    expect(lowerBoundScores([2, 0], [1, 0], 0.5)).toEqual([1.5, 0]);
    expect(lowerBoundScores([2, -1], [1, 2], 0)).toEqual([2, -1]);
  });

  it("lowers a trained reward model's scores by its heads' standard deviation (a plain per-head loop), and leaks nothing", async () => {
    const policy = new GPT(config, 3);
    const rm = new RewardModel(policy, PAD, { ensembleSize: 3, seed: 2, epochs: 1, minSteps: 4 });
    const rng = new Rng(5);
    const seq = (n: number) => Array.from({ length: n }, () => 1 + rng.int(29));
    await rm.train(
      Array.from({ length: 12 }, (_, key) => ({ key, prompt: seq(2), chosen: seq(5), rejected: seq(5), target: 1 })),
    );
    rm.normalization = { mean: 0.3, std: 1.7 };
    const prompts = [seq(2), seq(3), seq(2)];
    const responses = [seq(6), seq(4), seq(5)];
    const weight = 1.5;
    let got: number[] = [];
    const leaked = await tensorsLeaked(async () => {
      got = (await lowerBoundScorer(() => rm, weight).score(prompts, responses)).mean;
    });
    expect(leaked).toBe(0);
    // The reference: every head's score of each response, normalised, then mean - weight * std.
    const s = buildSequences(prompts, responses, config.blockSize, PAD);
    const t = sequenceTensors(s);
    const heads = (await tf.tidy(() => rm.model.sequenceScores(s, t)).array()) as number[][];
    tf.dispose(Object.values(t));
    const want = heads.map((row) => {
      const normed = row.map((r) => (r - 0.3) / 1.7);
      const mean = normed.reduce((a, b) => a + b, 0) / normed.length;
      const std = Math.sqrt(normed.reduce((a, x) => a + (x - mean) ** 2, 0) / normed.length);
      expect(std).toBeGreaterThan(0);
      return mean - weight * std;
    });
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
    // Weight 0 is the reward model's own mean.
    expect((await lowerBoundScorer(() => rm, 0).score(prompts, responses)).mean).toEqual(
      (await rm.score(prompts, responses)).mean,
    );
    rm.dispose();
    policy.dispose();
  }, 60_000);

  it('refuses a negative or non-finite weight', () => {
    const rm = { score: async () => ({ mean: [], disagreement: [] }) };
    for (const bad of [-0.1, NaN, Infinity]) expect(() => lowerBoundScorer(() => rm, bad)).toThrow(EngineError);
  });
});
