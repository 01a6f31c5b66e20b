// The experiments that break RLHF on purpose, each run by the engine's runner on a tiny seeded
// model: the curves go the way the explanation says. A tiny random model writes letters, not
// stories, so the labeler is one it can express (it counts the letter x) in place of the
// experiment's own; the setup (labels, flips, arms, frozen reward model) is the experiment's, run
// shorter and with larger steps (a random 10k-parameter model barely moves at the shipped rate).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS, type Experiment, type ExperimentId } from '../../src/contract/experiments';
import { labelerFromScore, type GoldScore } from '../../src/engine/labelers/labeler';
import { runExperiment, type ExperimentRun } from '../../src/engine/loop/experiment';
import { checkEvidence, series } from '../../src/contract/experiment-evidence';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { charCodec } from '../helpers/char-codec';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const prompts = ['the ', 'a ', 'my cat ', 'so '];
const xs = (r: string) => [...r].filter((c) => c === 'x').length;
/** More x is better. */
const likesX: GoldScore = (_p, r) => xs(r);
const vowels = (r: string) => [...r].filter((c) => 'aeiou'.includes(c)).length;
/**
 * Vowels are good up to three, each one beyond costs three: the base model writes about 1.6 in ten
 * letters, so its pairs only ever teach "more vowels", a proxy the policy can overshoot.
 */
const vowelCount: GoldScore = (_p, r) => vowels(r);
const someVowels: GoldScore = (_p, r) => vowels(r) - 3 * Math.max(0, vowels(r) - 3);

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

async function run(
  id: ExperimentId,
  gold: GoldScore,
  o: { seed?: number; iterations?: number; lrScale?: number; experiment?: Partial<Experiment> } = {},
): Promise<ExperimentRun> {
  const policy = new GPT(config, 11);
  const labeler = labelerFromScore('x-counter', gold, { rationality: Infinity });
  const before = tf.memory().numTensors;
  const result = await runExperiment(
    { ...EXPERIMENTS[id], ...o.experiment },
    { policy, codec: charCodec, labeler, prompts },
    {
      seed: o.seed ?? 1,
      overrides: {
        iterations: o.iterations ?? 8,
        learningRateScale: o.lrScale ?? 100,
        policy: { maxNewTokens: 10, temperature: 1 },
        normalizationSamples: 8,
        reward: { ensembleSize: 2, epochs: 4, learningRate: 3e-3 },
      },
    },
  );
  expect(tf.memory().numTensors).toBe(before); // every arm's copies, reward models and optimisers freed
  policy.dispose();
  return result;
}

describe('experiments that break RLHF on purpose, on a tiny model', () => {
  it('reward hacking: with beta 0 and a frozen reward model, the proxy rises while the gold score falls', async () => {
    const r = await run('reward-hacking', someVowels, { iterations: 12 });
    expect(r.evidence.map((c) => c.evidence.metric)).toEqual(['objective/scores', 'gold/score']);
    for (const c of r.evidence) expect(c.holds, JSON.stringify(c)).toBe(true);
    expect(r.arms[0].freezeReward).toBe(true);
    expect(r.arms[0].reward.labels).toBe(EXPERIMENTS['reward-hacking'].labels); // no relabelling when frozen
  }, 120_000);

  it('lr collapse: ten times the learning rate, KL rises and distinct-2 falls', async () => {
    const r = await run('lr-collapse', likesX);
    expect(r.evidence.map((c) => c.evidence.metric)).toEqual(['objective/kl', 'eval/distinct_2']);
    for (const c of r.evidence) expect(c.holds, JSON.stringify(c)).toBe(true);
    const kl = series(r.arms[0], 'objective/kl');
    expect(kl.at(-1)!).toBeGreaterThan(2); // nats per 10-letter response: far from the reference
  }, 120_000);

  it('negative-kl: end-of-text held back and scored by the full softmax, the KL estimate goes below zero; the fixed arm’s does not', async () => {
    for (const seed of [1, 2, 3]) {
      const r = await run('negative-kl', likesX, { seed, iterations: 10 });
      for (const c of r.evidence) expect(c.holds, `seed ${seed}: ${JSON.stringify(c)}`).toBe(true);
      const [broken, fixed] = ['broken', 'fixed'].map((k) => r.arms.find((a) => a.key === k)!);
      for (const [arm, matched, klEstimator] of [
        [broken, false, 'k1'],
        [fixed, true, 'k3'],
      ] as const)
        expect(arm.settings).toMatchObject({ minNewTokens: 48, klInLoss: true, klEstimator, matchedLogProbs: matched });
      const last = (a: typeof broken) => series(a, 'objective/kl').slice(-3);
      expect(Math.max(...last(broken)), `seed ${seed}`).toBeLessThan(0); // below zero to the end, not a dip
      // The fixed arm's estimate is a KL of two distributions: near zero or above, never far below.
      expect(Math.min(...series(fixed, 'objective/kl')), `seed ${seed}`).toBeGreaterThan(-0.5);
    }
  }, 300_000);

  it('bad labels: half the decided labels flipped, the reward model learns noise and the gold score falls', async () => {
    // With half the labels flipped the reward model's direction is chance; on each of three seeds
    // the gold score falls, and the same setup with clean labels gains more gold on average.
    const o = { iterations: 10, lrScale: 1000 };
    const gain = (x: ExperimentRun) => {
      const c = checkEvidence(x.arms, { metric: 'gold/score', expect: 'rises', arm: 'noisy' });
      return c.late - c.early;
    };
    const gaps: number[] = [];
    for (const seed of [1, 2, 3]) {
      const noisy = await run('bad-labels', vowelCount, { ...o, seed });
      const clean = await run('bad-labels', vowelCount, { ...o, seed, experiment: { flipFraction: 0 } });
      expect(noisy.flipped).toBeGreaterThan(0);
      expect(clean.flipped).toBe(0);
      for (const c of noisy.evidence) expect(c.holds, `seed ${seed}: ${JSON.stringify(c)}`).toBe(true);
      gaps.push(gain(clean) - gain(noisy));
    }
    expect(mean(gaps)).toBeGreaterThan(0.5);
  }, 300_000);

  it('dpo-vs-ppo: both arms learn from the same labels and chart the same reward, KL, gold and distinct-2', async () => {
    const r = await run('dpo-vs-ppo', likesX, { iterations: 4 });
    expect(r.arms.map((a) => a.key)).toEqual(['ppo', 'dpo']);
    for (const arm of r.arms)
      for (const m of ['objective/scores', 'objective/kl', 'gold/score', 'eval/distinct_2'])
        expect(series(arm, m).every(Number.isFinite), `${arm.key} ${m}`).toBe(true);
    expect(series(r.arms[1], 'rewards/margins').every(Number.isFinite)).toBe(true);
    expect(r.arms[0].reward.labels).toBe(r.arms[1].reward.labels); // the same labels, and as many fresh ones halfway
  }, 120_000);

  it('a cancelled run stops between iterations and frees everything it made', async () => {
    const policy = new GPT(config, 11);
    const labeler = labelerFromScore('x-counter', likesX, { rationality: Infinity });
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const running = runExperiment(
      EXPERIMENTS['lr-collapse'],
      { policy, codec: charCodec, labeler, prompts },
      {
        seed: 1,
        overrides: {
          iterations: 6,
          policy: { maxNewTokens: 6 },
          normalizationSamples: 4,
          reward: { ensembleSize: 1, epochs: 1 },
        },
        signal: controller.signal,
        onIteration: (it) => {
          seen.push(it.iteration);
          if (it.iteration === 2) controller.abort();
        },
      },
    );
    await expect(running).rejects.toThrow(/abort/i);
    expect(seen).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
    policy.dispose();
  }, 120_000);
});
