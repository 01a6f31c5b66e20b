// The reward model as a judge of fresh policy pairs for DPO: its targets are the Bradley-Terry
// probability of its own scores, the labels a run asks stay the same, nothing leaks, and DPO on
// judged pairs moves the policy the way the labels point.
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { judgePairs } from '../../src/engine/loop/judged-pairs';
import { runRlhfLoop } from '../../src/engine/loop/rlhf-loop';
import { labelerFromScore } from '../../src/engine/labelers/labeler';
import { labelKey } from '../../src/engine/rl/preferences';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { Rng } from '../../src/engine/rng';
import { tensorsLeaked } from '../helpers/tensors';
import { letterFrequency } from '../helpers/letter-frequency';
import { CHAR_EOS, charCodec } from '../helpers/char-codec';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const prompts = ['the ', 'a ', 'my cat ', 'so '];
const sampling = { maxNewTokens: 8, temperature: 1, candidates: 1 };
const xs = (r: string) => [...r].filter((c) => c === 'x').length;

const xFrequency = (model: GPT) => letterFrequency(model, prompts, 'x');

describe('pairs judged by the reward model', () => {
  it('targets are σ(score_a - score_b) of the reward model, one pair per request, leaking nothing', async () => {
    const policy = new GPT(config, 5);
    const rm = new RewardModel(policy, CHAR_EOS, { ensembleSize: 2, seed: 1 });
    let judged = await judgePairs(policy, charCodec, prompts, 0, rm, sampling, new Rng(1));
    expect(judged).toEqual({ pairs: [], confidence: 0 });
    const leaked = await tensorsLeaked(async () => {
      judged = await judgePairs(policy, charCodec, prompts, 12, rm, sampling, new Rng(1));
    });
    expect(leaked).toBe(0);
    expect(judged.pairs).toHaveLength(12);
    // Never normalised, so a score is the mean of the heads' raw scores.
    const a = await rm.score(
      judged.pairs.map((p) => p.prompt),
      judged.pairs.map((p) => p.chosen),
    );
    const b = await rm.score(
      judged.pairs.map((p) => p.prompt),
      judged.pairs.map((p) => p.rejected),
    );
    judged.pairs.forEach((p, i) => expect(p.target).toBeCloseTo(1 / (1 + Math.exp(-(a.mean[i] - b.mean[i]))), 5));
    const confidence = judged.pairs.reduce((s, p) => s + Math.abs(p.target - 0.5), 0) / 12;
    expect(judged.confidence).toBeCloseTo(confidence, 10);
    expect(new Set(judged.pairs.map((p) => p.key)).size).toBe(12);
    expect(judged.pairs.map((p) => p.key)).not.toContain(labelKey(0));
    rm.dispose();
    policy.dispose();
  });

  it('in the loop: the same labels, the judged pairs reported, and DPO raises the liked letter', async () => {
    const labeler = labelerFromScore('likes-x', (_p, r) => xs(r), { rationality: Infinity });
    const run = async (judgedPairs: number) => {
      const policy = new GPT(config, 11);
      const reference = policy.clone();
      const result = await runRlhfLoop(
        { policy, reference, codec: charCodec, labeler, prompts },
        {
          algorithm: 'dpo',
          labels: 24,
          rounds: 1,
          policyIterationsPerRound: 12,
          judgedPairs,
          normalizationSamples: 8,
          seed: 3,
          reward: { ensembleSize: 2, epochs: 8, learningRate: 3e-3 },
          policy: { maxNewTokens: 10, learningRate: 3e-3, temperature: 1 },
        },
      );
      const x = await xFrequency(policy);
      result.reward.dispose();
      [policy, reference].forEach((m) => m.dispose());
      return { result, x };
    };
    const plain = await run(0);
    const judged = await run(64);
    expect(judged.result.comparisons).toEqual(plain.result.comparisons);
    expect(plain.result.rounds[0].metrics['judge/pairs']).toBeUndefined();
    expect(judged.result.rounds[0].metrics['judge/pairs']).toBe(64);
    expect(judged.result.rounds[0].metrics['judge/confidence']).toBeGreaterThan(0);
    const base = new GPT(config, 11);
    const before = await xFrequency(base);
    base.dispose();
    expect(judged.x).toBeGreaterThan(before);
  }, 240_000);
});
