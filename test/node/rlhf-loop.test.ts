import { describe, expect, it, vi } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { generate } from '../../src/engine/generate/generate';
import { normalizeOnReference } from '../../src/engine/loop/loop-probes';
import { runRlhfLoop } from '../../src/engine/loop/rlhf-loop';
import { EngineError } from '../../src/engine/errors';
import { comparisonToPair, type Comparison } from '../../src/engine/rl/preferences';
import { Rng } from '../../src/engine/rng';
import { labelerFromScore } from '../../src/engine/labelers/labeler';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { GroupTrainer } from '../../src/engine/rl/group-methods';
import { DPOTrainer, DEFAULT_DPO } from '../../src/engine/rl/dpo';
import { createOptimizer, policySettings } from '../../src/engine/loop/algorithms';
import { SFTTrainer } from '../../src/engine/rl/sft';
import type { Scorer } from '../../src/engine/rl/rollout';
import { maxAbsDiff, tensorsLeaked } from '../helpers/tensors';
import { CHAR_EOS, charCodec } from '../helpers/char-codec';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const X = charCodec.encode('x')[0];
const prompts = ['the ', 'a ', 'my cat ', 'so '];
const promptIds = prompts.map((p) => charCodec.encode(p));

/** Share of sampled tokens equal to x, over 4 samples of each prompt (fixed seed). */
async function xFrequency(model: GPT): Promise<number> {
  const gens = await generate(
    model,
    promptIds.flatMap((p) => [p, p, p, p]),
    { maxNewTokens: 10, seed: 77, eosId: CHAR_EOS, temperature: 0.7 },
  );
  const all = gens.flatMap((g) => g.tokens);
  return all.filter((t) => t === X).length / all.length;
}

const likesX: Scorer = {
  score: async (_p, rs) => ({ mean: rs.map((r) => (4 * r.filter((t) => t === X).length) / Math.max(1, r.length)) }),
};

describe('the iterated loop', () => {
  it('a labeler that likes one letter: labels -> reward model -> PPO raises its frequency', async () => {
    const policy = new GPT(config, 11);
    const reference = policy.clone();
    const labeler = labelerFromScore('likes-x', (_p, r) => [...r].filter((c) => c === 'x').length, {
      rationality: Infinity,
    });
    const before = await xFrequency(policy);
    const result = await runRlhfLoop(
      { policy, reference, codec: charCodec, labeler, prompts },
      {
        labels: 90,
        rounds: 3,
        policyIterationsPerRound: 8,
        normalizationSamples: 8,
        seed: 3,
        reward: { ensembleSize: 2, epochs: 4, learningRate: 3e-3 },
        policy: { maxNewTokens: 10, learningRate: 3e-3, beta: 0.01, temperature: 1 },
      },
    );
    expect(result.rounds).toHaveLength(3);
    expect(result.comparisons).toHaveLength(90);
    expect(result.comparisons.every((c) => c.labeler === 'likes-x')).toBe(true);
    expect(await xFrequency(policy)).toBeGreaterThan(before + 0.1);
    expect(result.rounds[2].metrics['probe/gold']).toBeGreaterThan(result.rounds[0].metrics['probe/gold']);
    // the probe's KL (fresh samples, every algorithm) grows as the policy leaves the reference
    const probeKl = result.rounds.map((r) => r.metrics['probe/kl']);
    expect(probeKl.every(Number.isFinite)).toBe(true);
    expect(probeKl[2]).toBeGreaterThan(probeKl[0]);
    expect(probeKl[2]).toBeGreaterThan(0.1);
    result.reward.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 180_000);

  it('with labelRounds, later rounds ask for no labels and leave the reward model frozen', async () => {
    const policy = new GPT(config, 13);
    const reference = policy.clone();
    const labeler = labelerFromScore('likes-x', (_p, r) => [...r].filter((c) => c === 'x').length, {
      rationality: Infinity,
    });
    const trainCalls = vi.spyOn(RewardModel.prototype, 'train');
    const normalizeCalls = vi.spyOn(RewardModel.prototype, 'normalize');
    const result = await runRlhfLoop(
      { policy, reference, codec: charCodec, labeler, prompts },
      {
        labels: 12,
        rounds: 3,
        labelRounds: 1,
        policyIterationsPerRound: 1,
        normalizationSamples: 4,
        seed: 4,
        reward: { ensembleSize: 1, epochs: 1 },
        policy: { maxNewTokens: 6, promptsPerIteration: 2, samplesPerPrompt: 2 },
      },
    );
    expect([trainCalls.mock.calls.length, normalizeCalls.mock.calls.length]).toEqual([1, 1]);
    vi.restoreAllMocks();
    expect(result.comparisons).toHaveLength(12);
    expect(result.rounds.map((r) => r.labels)).toEqual([12, 12, 12]);
    expect(result.rounds.map((r) => r.rewardAccuracy)).toEqual(Array(3).fill(result.rounds[0].rewardAccuracy));
    result.reward.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);
});

describe('training the reward model between labels (rewardEvery), as the page does in the background', () => {
  const labeler = labelerFromScore('likes-x', (_p, r) => [...r].filter((c) => c === 'x').length, {
    rationality: Infinity,
  });
  const loop = {
    labels: 10,
    rounds: 1,
    policyIterationsPerRound: 1,
    normalizationSamples: 4,
    seed: 5,
    reward: { ensembleSize: 2, epochs: 1 },
    policy: { maxNewTokens: 6, promptsPerIteration: 2, samplesPerPrompt: 2 },
  };

  it('trains after every 4 labels and once more at the end; pair selection picks with it from then on', async () => {
    const policy = new GPT(config, 17);
    const reference = policy.clone();
    const ctx = { policy, reference, codec: charCodec, labeler, prompts };
    for (const bad of [0, 1.5])
      await expect(runRlhfLoop(ctx, { ...loop, rewardEvery: bad, candidatesPerLabel: 1 })).rejects.toThrow(EngineError);
    const train = vi.spyOn(RewardModel.prototype, 'train');
    const compare = vi.spyOn(RewardModel.prototype, 'comparePairs');
    const runs: { trained: number[]; compared: number[]; labels: Comparison[]; scores: number[] }[] = [];
    const probe = {
      prompts: [charCodec.encode('the ')],
      responses: [charCodec.encode('xx a'), charCodec.encode('so')],
    };
    const scoresOf = async (rm: RewardModel) =>
      (await rm.score([probe.prompts[0], probe.prompts[0]], probe.responses)).mean;
    const leaked = await tensorsLeaked(async () => {
      for (const extra of [
        { rewardEvery: 4, candidatesPerLabel: 4 },
        { rewardEvery: 4, candidatesPerLabel: 1 },
        { candidatesPerLabel: 1 },
        { rewardEvery: 12, candidatesPerLabel: 1 },
      ]) {
        train.mockClear();
        compare.mockClear();
        const tuned = policy.clone();
        const result = await runRlhfLoop({ ...ctx, policy: tuned }, { ...loop, ...extra });
        runs.push({
          trained: train.mock.calls.map(([pairs]) => pairs.length),
          compared: compare.mock.calls.map(([prompts]) => prompts.length),
          labels: result.comparisons,
          scores: await scoresOf(result.reward),
        });
        [result.reward, tuned].forEach((m) => m.dispose());
      }
    });
    vi.restoreAllMocks();
    expect(leaked).toBe(0);
    const [active, between, once, late] = runs;
    // Every training starts afresh: the model the round ends with is the one a single training on
    // its labels gives, here a reward model trained by hand on the labels the loop asked.
    const single = new RewardModel(reference, CHAR_EOS, { seed: loop.seed, ...loop.reward }, charCodec);
    await single.train(between.labels.map((x) => comparisonToPair(x, charCodec)));
    await normalizeOnReference(
      single,
      ctx,
      loop.normalizationSamples,
      loop.policy.maxNewTokens,
      new Rng(loop.seed + 1),
    );
    expect(between.scores).toEqual(await scoresOf(single));
    single.dispose();
    // At 4 and 8 labels, then on all 10; the 6 labels after the first training chose among 4 candidates each.
    expect(active.trained).toEqual([4, 8, 10]);
    expect(active.compared).toEqual([16, 8]);
    expect(active.labels).toHaveLength(10);
    expect(between.trained).toEqual([4, 8, 10]);
    expect(between.compared).toEqual([]);
    // A training every 12 labels never comes within 10: the same labels as the one training at the end.
    expect(once.trained).toEqual([10]);
    expect(late).toEqual(once);
    [policy, reference].forEach((m) => m.dispose());
  }, 180_000);
});

/** A labeler that likes the letter x, and one small round of 8 labels for it. */
const likesXLabeler = labelerFromScore('likes-x', (_p, r) => [...r].filter((c) => c === 'x').length, {
  rationality: Infinity,
});
const SMALL_ROUND = {
  labels: 8,
  rounds: 1,
  candidatesPerLabel: 1,
  normalizationSamples: 4,
  seed: 3,
  policy: { maxNewTokens: 6, promptsPerIteration: 2, samplesPerPrompt: 2 },
};

describe('scores lowered by the ensemble spread (spreadPenalty)', () => {
  it("the policy's rollouts are scored below the reward model's mean; weight 0 is the mean; a bad weight is refused", async () => {
    const policy = new GPT(config, 17);
    const reference = policy.clone();
    const ctx = { policy, reference, codec: charCodec, labeler: likesXLabeler, prompts };
    const loop = {
      ...SMALL_ROUND,
      algorithm: 'rloo' as const,
      policyIterationsPerRound: 1,
      reward: { ensembleSize: 3, epochs: 1 },
    };
    await expect(runRlhfLoop(ctx, { ...loop, spreadPenalty: -1 })).rejects.toThrow(EngineError);
    const scores: number[] = [];
    const leaked = await tensorsLeaked(async () => {
      for (const spreadPenalty of [undefined, 0, 2]) {
        const tuned = policy.clone();
        const result = await runRlhfLoop({ ...ctx, policy: tuned }, { ...loop, spreadPenalty });
        scores.push(result.rounds[0].metrics['objective/scores']);
        [result.reward, tuned].forEach((m) => m.dispose());
      }
    });
    expect(leaked).toBe(0);
    const [none, zero, two] = scores;
    // The same labels, reward model and first rollout each time: only the scoring differs.
    expect(zero).toBe(none);
    expect(two).toBeLessThan(none - 1e-6);
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);
});

describe("PPO's value warm-up in the round's report", () => {
  it('keeps the loss of the warm-up (reported with the first iteration) in the metrics of a longer round', async () => {
    const policy = new GPT(config, 17);
    const reference = policy.clone();
    const labeler = likesXLabeler;
    const loop = {
      ...SMALL_ROUND,
      algorithm: 'ppo' as const,
      policyIterationsPerRound: 3,
      reward: { ensembleSize: 2, epochs: 1 },
      policy: { ...SMALL_ROUND.policy, valueWarmupIterations: 1 },
    };
    const warm = await runRlhfLoop({ policy, reference, codec: charCodec, labeler, prompts }, loop);
    expect(warm.rounds[0].metrics['val/warmup_loss']).toBeGreaterThan(0);
    warm.reward.dispose();
    const cold = await runRlhfLoop(
      { policy, reference, codec: charCodec, labeler, prompts },
      { ...loop, policy: { ...loop.policy, valueWarmupIterations: 0 } },
    );
    expect(cold.rounds[0].metrics['val/warmup_loss']).toBeUndefined();
    cold.reward.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);
});

describe('GRPO and RLOO', () => {
  for (const method of ['grpo', 'rloo'] as const) {
    it(`${method} raises the rewarded letter's frequency without a critic, and leaks nothing`, async () => {
      const policy = new GPT(config, 12);
      const reference = policy.clone();
      const before = await xFrequency(policy);
      const trainer = new GroupTrainer(
        method,
        policy,
        reference,
        likesX,
        { eosId: CHAR_EOS, padId: CHAR_EOS },
        { maxNewTokens: 10, learningRate: 3e-3, temperature: 1, seed: 2 },
      );
      await trainer.iteration(promptIds);
      expect(
        await tensorsLeaked(async () => {
          for (let i = 0; i < 11; i++) await trainer.iteration(promptIds);
        }),
      ).toBe(0);
      expect(await xFrequency(policy)).toBeGreaterThan(before + 0.1);
      trainer.dispose();
      [policy, reference].forEach((m) => m.dispose());
    }, 120_000);
  }

  it('RLOO steps at its schedule: warm-up, then the decay to zero', async () => {
    const policy = new GPT(config, 12);
    const reference = policy.clone();
    const trainer = new GroupTrainer(
      'rloo',
      policy,
      reference,
      likesX,
      { eosId: CHAR_EOS, padId: CHAR_EOS },
      { maxNewTokens: 6, learningRate: 4e-3, lrWarmupIterations: 1, lrDecayIterations: 3, seed: 2 },
    );
    const rates: number[] = [];
    for (let i = 0; i < 4; i++) rates.push((await trainer.iteration(promptIds)).metrics.lr ?? NaN);
    // 4e-3 · 1/2, then 4e-3 · (3 - i)/2: 2e-3, 4e-3, 2e-3, 0.
    expect(maxAbsDiff(rates, [2e-3, 4e-3, 2e-3, 0])).toBeLessThan(1e-15);
    trainer.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 60_000);
});

describe('offline methods', () => {
  it('DPO raises the implicit reward margin of chosen over rejected', async () => {
    const policy = new GPT(config, 13);
    const pairs = promptIds.map((p, key) => ({
      key,
      prompt: p,
      chosen: charCodec.encode('xx xx'),
      rejected: charCodec.encode('ab cd'),
      target: 1,
    }));
    const reference = policy.clone();
    const dpo = new DPOTrainer(policy, reference, CHAR_EOS, { learningRate: 3e-3, batchSize: 4 });
    dpo.setPairs(pairs);
    const first = await dpo.iteration();
    let last = first;
    for (let i = 0; i < 40; i++) last = await dpo.iteration();
    expect(first.metrics['loss/policy']).toBeCloseTo(Math.log(2), 2); // policy = reference at the start
    expect(last.metrics['loss/policy']).toBeLessThan(0.4);
    expect(last.metrics['rewards/margins']).toBeGreaterThan(0);
    expect(last.metrics['rewards/accuracies']).toBe(1);
    dpo.dispose();
    [policy, reference].forEach((m) => m.dispose());
  });

  it('DPO through createOptimizer uses the beta it is given (the --beta flag, the Tune field), else 0.1', async () => {
    const policy = new GPT(config, 13);
    const pairs = promptIds.map((p, key) => ({
      key,
      prompt: p,
      chosen: charCodec.encode('xx'),
      rejected: charCodec.encode('ab'),
      target: 1,
    }));
    const betaOf = async (beta?: number) => {
      const opt = createOptimizer({
        policy,
        reference: policy,
        reward: null,
        eosId: CHAR_EOS,
        padId: CHAR_EOS,
        seed: 0,
        settings: policySettings('dpo', beta === undefined ? {} : { beta }),
      });
      const { metrics } = await opt.iteration({ prompts: [], pairs, demonstrations: [] });
      opt.dispose();
      return metrics.beta;
    };
    expect(await betaOf(0.3)).toBe(0.3);
    expect(await betaOf()).toBe(DEFAULT_DPO.beta);
    expect(DEFAULT_DPO.beta).toBe(0.1);
    policy.dispose();
  });

  it('SFT lowers the loss on demonstrations and refuses an empty set', async () => {
    const policy = new GPT(config, 14);
    const sft = new SFTTrainer(policy, CHAR_EOS, { learningRate: 3e-3, batchSize: 4 });
    await expect(sft.iteration()).rejects.toMatchObject({
      code: 'NOT_ENOUGH_LABELS',
      detail: { code: 'SFT_NEEDS_DEMONSTRATIONS' },
    });
    sft.setDemonstrations(promptIds.map((p) => ({ prompt: p, response: [...charCodec.encode('the end.'), CHAR_EOS] })));
    const first = await sft.iteration();
    let last = first;
    for (let i = 0; i < 60; i++) last = await sft.iteration();
    expect(last.metrics['loss/sft']).toBeLessThan((first.metrics['loss/sft'] ?? 0) / 2);
    sft.dispose();
    policy.dispose();
  });
});
