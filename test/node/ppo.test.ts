import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { generate } from '../../src/engine/generate/generate';
import { PPOTrainer } from '../../src/engine/rl/ppo';
import type { IterationResult } from '../../src/engine/rl/iteration';
import { DEFAULT_PPO, type PPOConfig } from '../../src/engine/rl/ppo-config';
import { AdamW } from '../../src/engine/train/optimizer';
import { EngineError } from '../../src/engine/errors';
import { responseLogProbs, type Scorer } from '../../src/engine/rl/rollout';
import { buildSequences, sequenceTensors } from '../../src/engine/rl/sequences';
import { maxAbsDiff, tensorsLeaked } from '../helpers/tensors';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const EOS = 31;
const LIKED = 7;
const prompts = [[1, 2, 3], [4, 5], [6, 8, 9, 10], [11]];
const ids = { eosId: EOS, padId: EOS };

/** A labeler that likes one token: score = share of response tokens equal to LIKED, scaled. */
const likesToken: Scorer = {
  score: async (_p, responses) => ({
    mean: responses.map((r) => (4 * r.filter((t) => t === LIKED).length) / Math.max(1, r.length)),
  }),
};

function frequency(responses: number[][]): number {
  const all = responses.flat();
  return all.filter((t) => t === LIKED).length / all.length;
}

/** The liked token's share in 4 seeded samples per prompt. */
async function likedFrequency(policy: GPT): Promise<number> {
  const gens = await generate(
    policy,
    prompts.flatMap((p) => [p, p, p, p]),
    { maxNewTokens: 12, seed: 99, eosId: EOS },
  );
  return frequency(gens.map((g) => g.tokens));
}

describe('rollout log-probs', () => {
  it('recomputed log-probs equal the sampling log-probs (same temperature, padded batch)', async () => {
    const model = new GPT(config, 1);
    const gens = await generate(model, prompts, { maxNewTokens: 8, temperature: 0.7, seed: 3, eosId: EOS });
    const seq = buildSequences(
      prompts,
      gens.map((g) => g.tokens),
      config.blockSize,
      EOS,
    );
    const t = sequenceTensors(seq);
    const lp = tf.tidy(() => responseLogProbs(model, seq, t, 0.7)).arraySync() as number[][];
    gens.forEach((g, b) => expect(maxAbsDiff(lp[b].slice(0, g.tokens.length), g.logProbs)).toBeLessThan(1e-4));
    tf.dispose(Object.values(t));
    model.dispose();
  });
});

/** Settings under which the tiny policy learns the liked token within 15 iterations. */
const LEARNS = {
  promptsPerIteration: 4,
  samplesPerPrompt: 4,
  maxNewTokens: 12,
  learningRate: 3e-3,
  temperature: 1,
  beta: 0.01,
  seed: 5,
};

describe('PPO', () => {
  it('raises the frequency of the rewarded token, reports TRL metrics, leaks nothing', async () => {
    const policy = new GPT(config, 2);
    const reference = policy.clone();
    const trainer = new PPOTrainer(policy, reference, likesToken, null, ids, LEARNS);
    const base = await generate(
      policy,
      prompts.flatMap((p) => [p, p, p, p]),
      { maxNewTokens: 12, seed: 99, eosId: EOS },
    );
    const first = await trainer.iteration(prompts);
    for (const key of [
      'objective/kl',
      'objective/entropy',
      'objective/non_score_reward',
      'objective/rlhf_reward',
      'objective/scores',
      'policy/approxkl',
      'policy/clipfrac',
      'loss/policy',
      'loss/value',
      'val/clipfrac',
      'val/var_explained',
      'beta',
      'lr',
    ] as const) {
      expect(Number.isFinite(first.metrics[key]), key).toBe(true);
    }
    expect(first.metrics['objective/kl']).toBeCloseTo(0, 4); // the policy is the reference at the first rollout
    expect(first.metrics.lr).toBe(LEARNS.learningRate); // no schedule: the configured rate
    const leaked = await tensorsLeaked(async () => {
      for (let i = 0; i < 14; i++) await trainer.iteration(prompts);
    });
    expect(leaked).toBe(0);
    const tuned = await generate(
      policy,
      prompts.flatMap((p) => [p, p, p, p]),
      { maxNewTokens: 12, seed: 99, eosId: EOS },
    );
    expect(frequency(tuned.map((g) => g.tokens))).toBeGreaterThan(frequency(base.map((g) => g.tokens)) + 0.15);
    const last = await trainer.iteration(prompts);
    expect(last.metrics['objective/kl']).toBeGreaterThan(0);
    trainer.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);

  it('a value warm-up trains the value model alone first: the same first rollout, more of its returns explained; it learns and leaks nothing', async () => {
    // The liked token's reward plus a part the prompt fixes, which a critic can learn to predict.
    const byPrompt: Scorer = {
      score: async (ps, responses) => ({
        mean: (await likesToken.score(ps, responses)).mean.map((x, i) => x + ps[i].length / 2),
      }),
    };
    const run = async (scorer: Scorer, valueWarmupIterations: number) => {
      const policy = new GPT(config, 2);
      const reference = policy.clone();
      const trainer = new PPOTrainer(policy, reference, scorer, null, ids, {
        ...LEARNS,
        valueWarmupIterations,
        valueWarmupLearningRate: 3e-3,
      });
      const base = await likedFrequency(policy);
      let first: IterationResult | undefined;
      const leaked = await tensorsLeaked(async () => {
        first = await trainer.iteration(prompts);
      });
      const done = () => {
        trainer.dispose();
        [policy, reference].forEach((m) => m.dispose());
      };
      return { policy, trainer, base, first: first!.metrics, leaked, done };
    };
    const plain = await run(byPrompt, 0);
    const warm = await run(byPrompt, 3);
    // The warm-up never touched the policy: the first iteration samples the same responses.
    expect(warm.first['objective/scores']).toBe(plain.first['objective/scores']);
    expect(plain.first['val/warmup_loss']).toBeUndefined();
    expect(Number.isFinite(warm.first['val/warmup_loss'])).toBe(true);
    // A zero head explains none of the returns' variance; the warmed-up one explains most of it.
    expect(plain.first['val/var_explained']).toBeCloseTo(0, 4);
    expect(warm.first['val/var_explained']).toBeGreaterThan(0.5);
    expect(warm.first['loss/value']).toBeLessThan(plain.first['loss/value']!);
    expect(warm.leaked).toBe(0);
    [plain, warm].forEach((r) => r.done());
    // On the liked token alone, a warmed-up PPO learns it.
    const learner = await run(likesToken, 2);
    const leaked = await tensorsLeaked(async () => {
      for (let i = 0; i < 14; i++) await learner.trainer.iteration(prompts);
    });
    expect(leaked).toBe(0);
    expect(await likedFrequency(learner.policy)).toBeGreaterThan(learner.base + 0.15);
    learner.done();
  }, 180_000);

  it('with whitened rewards it still raises the rewarded token, and leaks nothing', async () => {
    const policy = new GPT(config, 2);
    const reference = policy.clone();
    const trainer = new PPOTrainer(policy, reference, likesToken, null, ids, { ...LEARNS, whitenRewards: true });
    const sample = () => likedFrequency(policy);
    const base = await sample();
    const leaked = await tensorsLeaked(async () => {
      for (let i = 0; i < 15; i++) await trainer.iteration(prompts);
    });
    expect(leaked).toBe(0);
    expect(await sample()).toBeGreaterThan(base + 0.15);
    trainer.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);

  it('running score normalisation: the same updates under any affine rescaling of the scores; it learns and leaks nothing', async () => {
    const scaled: Scorer = {
      score: async (p, r) => ({ mean: (await likesToken.score(p, r)).mean.map((x) => 3 * x + 7) }),
    };
    /** The policy's weights after two iterations under `scorer`. */
    async function after(scorer: Scorer, runningScoreNorm: boolean): Promise<Float32Array> {
      const policy = new GPT(config, 2);
      const reference = policy.clone();
      // No end-of-text penalty: it is part of the score, and it does not scale with the scorer.
      const settings = { ...LEARNS, runningScoreNorm, missingEosPenalty: 0 };
      const trainer = new PPOTrainer(policy, reference, scorer, null, ids, settings);
      for (let i = 0; i < 2; i++) await trainer.iteration(prompts);
      const w = new Float32Array(await tf.concat(policy.params.entries().map(([, v]) => v.flatten())).data());
      trainer.dispose();
      [policy, reference].forEach((m) => m.dispose());
      return w;
    }
    const plain = await after(likesToken, true);
    expect(maxAbsDiff(plain, await after(scaled, true))).toBeLessThan(1e-5);
    // Without it the scale of the scores changes the updates.
    expect(maxAbsDiff(await after(likesToken, false), await after(scaled, false))).toBeGreaterThan(1e-4);
    const policy = new GPT(config, 2);
    const reference = policy.clone();
    const trainer = new PPOTrainer(policy, reference, likesToken, null, ids, { ...LEARNS, runningScoreNorm: true });
    const base = await likedFrequency(policy);
    const leaked = await tensorsLeaked(async () => {
      for (let i = 0; i < 15; i++) await trainer.iteration(prompts);
    });
    expect(leaked).toBe(0);
    expect(await likedFrequency(policy)).toBeGreaterThan(base + 0.15);
    trainer.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 240_000);

  it('with a warmed-up, decaying learning rate it still learns, steps at the scheduled rate, and stops at zero', async () => {
    const policy = new GPT(config, 2);
    const reference = policy.clone();
    const schedule = { learningRate: 2 * LEARNS.learningRate, lrWarmupIterations: 2, lrDecayIterations: 15 };
    const trainer = new PPOTrainer(policy, reference, likesToken, null, ids, { ...LEARNS, ...schedule });
    const sample = () => likedFrequency(policy);
    const base = await sample();
    const rates: number[] = [];
    // The rate each AdamW step is actually handed, besides the one the metrics report.
    const stepped: number[][] = [];
    const step = vi.spyOn(AdamW.prototype, 'step');
    const leaked = await tensorsLeaked(async () => {
      for (let i = 0; i < 15; i++) {
        const calls = step.mock.calls.length;
        rates.push((await trainer.iteration(prompts)).metrics.lr ?? NaN);
        stepped.push(step.mock.calls.slice(calls).map((args) => args[1] ?? NaN));
      }
    });
    step.mockRestore();
    expect(leaked).toBe(0);
    const lr = schedule.learningRate;
    // A plain reading of the schedule: lr/3, 2lr/3, then lr·(15 - i)/13 down to lr/13 at iteration 14.
    const expected = Array.from({ length: 15 }, (_, i) => (i < 2 ? (lr * (i + 1)) / 3 : (lr * (15 - i)) / 13));
    expect(maxAbsDiff(rates, expected)).toBeLessThan(1e-12);
    // Every minibatch step of an iteration (4 epochs x 2 minibatches) takes that iteration's rate.
    stepped.forEach((rs, i) => {
      expect(rs).toHaveLength(DEFAULT_PPO.ppoEpochs * DEFAULT_PPO.numMiniBatches);
      expect(
        maxAbsDiff(
          rs,
          rs.map(() => expected[i]),
        ),
      ).toBeLessThan(1e-12);
    });
    expect(await sample()).toBeGreaterThan(base + 0.15);
    // Iteration 15 is the decay's end: a step of size zero leaves every weight where it was.
    const before = policy.params.get('transformer.wte.weight').dataSync().slice();
    const last = await trainer.iteration(prompts);
    expect(last.metrics.lr).toBe(0);
    expect(last.metrics['numerics/restored']).toBe(0);
    expect(maxAbsDiff(policy.params.get('transformer.wte.weight').dataSync(), before)).toBe(0);
    trainer.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 120_000);

  it('refuses a schedule whose decay ends inside its warm-up, a fractional count, or a bad value warm-up', () => {
    const policy = new GPT(config, 2);
    const refusal = (knobs: Partial<PPOConfig>) => {
      try {
        new PPOTrainer(policy, policy, likesToken, null, ids, knobs).dispose();
      } catch (e) {
        return e instanceof EngineError ? { code: e.code, detail: e.detail } : e;
      }
      return null;
    };
    expect(refusal({ lrWarmupIterations: 3, lrDecayIterations: 3 })).toEqual({
      code: 'BAD_CONFIG',
      detail: {
        code: 'NUMBER_BETWEEN',
        params: {
          file: null,
          field: 'lrDecayIterations',
          got: '3',
          min: 4,
          max: null,
          integer: true,
          zeroTurnsOff: true,
        },
      },
    });
    expect(refusal({ lrWarmupIterations: 1.5 })).toMatchObject({
      code: 'BAD_CONFIG',
      detail: { code: 'OUT_OF_RANGE' },
    });
    expect(refusal({ lrDecayIterations: -1 })).toMatchObject({ code: 'BAD_CONFIG', detail: { code: 'OUT_OF_RANGE' } });
    expect(refusal({ lrWarmupIterations: 3, lrDecayIterations: 4 })).toBeNull();
    // The value warm-up: a whole count of rollouts, a positive step size.
    for (const knobs of [{ valueWarmupIterations: -1 }, { valueWarmupIterations: 1.5 }, { valueWarmupLearningRate: 0 }])
      expect(refusal(knobs), JSON.stringify(knobs)).toMatchObject({
        code: 'BAD_CONFIG',
        detail: { code: 'OUT_OF_RANGE' },
      });
    expect(refusal({ valueWarmupIterations: 2 })).toBeNull();
    policy.dispose();
  });

  it('a NaN reward never reaches the weights: the update is undone and reported', async () => {
    const policy = new GPT(config, 3);
    const nanScorer: Scorer = { score: async (_p, r) => ({ mean: r.map(() => NaN) }) };
    const reference = policy.clone();
    const trainer = new PPOTrainer(policy, reference, nanScorer, null, ids, { maxNewTokens: 6, seed: 1 });
    const before = policy.params.get('transformer.wte.weight').dataSync().slice();
    const { metrics } = await trainer.iteration(prompts);
    expect(metrics['numerics/restored']).toBe(1);
    expect(maxAbsDiff(policy.params.get('transformer.wte.weight').dataSync(), before)).toBe(0);
    trainer.dispose();
    [policy, reference].forEach((m) => m.dispose());
  });
});

describe('PPO with the KL in the loss', () => {
  const knobs = { promptsPerIteration: 4, samplesPerPrompt: 2, maxNewTokens: 8, temperature: 1, seed: 4 };

  it('the rewards carry the score alone and the loss carries β·mean(k1), as a plain loop computes', async () => {
    const policy = new GPT(config, 2);
    const reference = new GPT(config, 9); // another model, so the KL is not 0 at the first rollout
    const beta = 0.5;
    const inLoss = new PPOTrainer(policy.clone(), reference, likesToken, null, ids, {
      ...knobs,
      beta,
      klInLoss: true,
      ppoEpochs: 1,
      numMiniBatches: 1,
    });
    const noKL = new PPOTrainer(policy.clone(), reference, likesToken, null, ids, { ...knobs, beta: 0 });
    const a = await inLoss.iteration(prompts);
    const b = await noKL.iteration(prompts);
    // The same rollout (same weights, same seed), so the same advantages: no KL in the rewards.
    expect(maxAbsDiff(a.advantages!.flat(), b.advantages!.flat())).toBeLessThan(1e-5);
    const { logp, refLogp, seq } = a.rollout!;
    let sum = 0;
    let n = 0;
    let perResponse = 0;
    seq.responseMask.forEach((row, i) =>
      row.forEach((m, t) => {
        if (m === 0) return;
        sum += logp[i][t] - refLogp[i][t];
        n++;
        perResponse += logp[i][t] - refLogp[i][t];
      }),
    );
    // One minibatch, one epoch: the loss term is taken at the rollout's weights.
    expect(a.metrics['loss/kl_term']).toBeCloseTo(sum / n, 4);
    expect(a.metrics['objective/kl']).toBeCloseTo(perResponse / seq.responseMask.length, 4);
    expect(a.metrics['objective/non_score_reward']).toBeCloseTo(-beta * a.metrics['objective/kl']!, 4);
    expect(b.metrics['loss/kl_term']).toBe(0);
    [inLoss, noKL].forEach((t) => t.dispose());
    [inLoss.policy, noKL.policy, reference, policy].forEach((m) => m.dispose());
  }, 60_000);

  it('β·k3 in the loss holds the policy nearer the reference than no penalty, and leaks nothing', async () => {
    const run = async (config_: Partial<PPOConfig>) => {
      const policy = new GPT(config, 2);
      const reference = policy.clone();
      const trainer = new PPOTrainer(policy, reference, likesToken, null, ids, {
        ...knobs,
        learningRate: 3e-3,
        ...config_,
      });
      let kl = 0;
      const leaked = await tensorsLeaked(async () => {
        for (let i = 0; i < 10; i++) kl = (await trainer.iteration(prompts)).metrics['objective/kl']!;
      });
      trainer.dispose();
      [policy, reference].forEach((m) => m.dispose());
      return { kl, leaked };
    };
    const free = await run({ beta: 0 });
    const held = await run({ beta: 2, klInLoss: true, klEstimator: 'k3' });
    expect(free.leaked + held.leaked).toBe(0);
    expect(free.kl).toBeGreaterThan(0.5);
    expect(held.kl).toBeLessThan(free.kl / 2);
  }, 120_000);
});
