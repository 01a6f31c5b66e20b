// The loop's KL budget: after every policy iteration the KL to the reference is measured on the
// same samples; the iteration that passes the budget is undone and tuning stops. Checked against
// a run without a budget (the checks must not change anything else) and by measuring the kept
// weights again.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { KlBudget, runRlhfLoop, type LoopConfig } from '../../src/engine/loop/rlhf-loop';
import { labelerFromScore } from '../../src/engine/labelers/labeler';
import { EngineError } from '../../src/engine/errors';
import { tensorsLeaked } from '../helpers/tensors';
import { charCodec } from '../helpers/char-codec';
import { sentenceOf } from '../helpers/sentence';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const prompts = ['the ', 'a ', 'my cat ', 'so '];
const labeler = labelerFromScore('likes-x', (_p, r) => [...r].filter((c) => c === 'x').length, {
  rationality: Infinity,
});
const SAMPLING = { maxNewTokens: 10, temperature: 1 };

const loop = (extra: Partial<LoopConfig>): Partial<LoopConfig> => ({
  algorithm: 'dpo',
  labels: 48,
  rounds: 3,
  policyIterationsPerRound: 4,
  normalizationSamples: 8,
  seed: 5,
  reward: { ensembleSize: 2, epochs: 2, learningRate: 3e-3 },
  policy: { ...SAMPLING, learningRate: 3e-3 },
  ...extra,
});

async function run(extra: Partial<LoopConfig>) {
  const policy = new GPT(config, 21);
  const reference = policy.clone();
  const ctx = { policy, reference, codec: charCodec, labeler, prompts };
  const result = await runRlhfLoop(ctx, loop(extra));
  result.reward.dispose();
  return { ctx, result, weights: policy.trainableVariables().map((v) => Array.from(v.dataSync())) };
}

const dispose = (ctx: { policy: GPT; reference: GPT }) => [ctx.policy, ctx.reference].forEach((m) => m.dispose());

/** The budget's own measurement of the policy's KL now (its prompts and seed come from `seed`). */
async function measure(ctx: Awaited<ReturnType<typeof run>>['ctx'], seed: number): Promise<number> {
  const budget = new KlBudget(ctx, 1, SAMPLING, seed);
  try {
    return await budget.measure();
  } finally {
    budget.dispose();
  }
}

describe('the KL budget', () => {
  it('changes nothing while the KL stays inside it: same weights and labels as without one', async () => {
    const plain = await run({});
    const roomy = await run({ klBudget: 1e6 });
    expect(roomy.result.stopped).toBeUndefined();
    expect(roomy.result.rounds).toHaveLength(3);
    expect(roomy.result.comparisons).toEqual(plain.result.comparisons);
    expect(roomy.weights).toEqual(plain.weights);
    expect(roomy.result.rounds.map((r) => r.metrics['budget/stopped'])).toEqual([0, 0, 0]);
    expect(roomy.result.rounds.map((r) => r.policyIterationsKept)).toEqual([4, 4, 4]);
    expect(roomy.result.rounds[2].metrics['budget/kl']).toBeGreaterThan(0);
    expect(plain.result.rounds[0].metrics['budget/kl']).toBeUndefined();
    [plain, roomy].forEach((r) => dispose(r.ctx));
  }, 120_000);

  it('undoes the iteration that passes it and stops: the kept weights measure within budget', async () => {
    // the KL this run reaches without a budget, so the budget below is sure to be passed midway
    const free = await run({});
    const reached = await measure(free.ctx, 5);
    dispose(free.ctx);
    expect(reached).toBeGreaterThan(0.2);
    const budget = reached / 3;
    const leaked = await tensorsLeaked(async () => {
      const { ctx, result } = await run({ klBudget: budget });
      const stopped = result.stopped!;
      expect(stopped).toBeDefined();
      expect(stopped.kl).toBeGreaterThan(budget);
      expect(stopped.keptKl).toBeLessThanOrEqual(budget);
      expect(stopped.keptKl).toBeGreaterThan(0); // it stopped midway, not at the first check
      expect(result.rounds).toHaveLength(stopped.round);
      expect(result.rounds.at(-1)!.metrics['budget/stopped']).toBe(1);
      // The round asked for 4 iterations and kept those before the undone one.
      expect(result.rounds.map((r) => [r.policyIterations, r.policyIterationsKept])).toEqual([
        ...Array.from({ length: stopped.round - 1 }, () => [4, 4]),
        [4, stopped.iteration - 1],
      ]);
      expect(result.comparisons.length).toBeLessThanOrEqual(48);
      // the same measurement of the weights left behind gives the KL kept, to float rounding
      const again = await measure(ctx, 5);
      expect(again).toBeCloseTo(stopped.keptKl, 4);
      dispose(ctx);
    });
    expect(leaked).toBe(0);
  }, 120_000);

  it('refuses a budget that is not a positive number, leaving nothing behind', async () => {
    const policy = new GPT(config, 1);
    const reference = policy.clone();
    const before = tf.memory().numTensors;
    for (const klBudget of [0, -2, Number.NaN]) {
      const err = await runRlhfLoop(
        { policy, reference, codec: charCodec, labeler, prompts },
        loop({ klBudget }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect(sentenceOf(err)).toMatch(/klBudget must be a positive number, got/);
    }
    expect(tf.memory().numTensors).toBe(before);
    [policy, reference].forEach((m) => m.dispose());
  });
});
