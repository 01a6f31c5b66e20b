import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { generate } from '../../src/engine/generate/generate';
import { PPOTrainer } from '../../src/engine/rl/ppo';
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

describe('PPO', () => {
  it('raises the frequency of the rewarded token, reports TRL metrics, leaks nothing', async () => {
    const policy = new GPT(config, 2);
    const reference = policy.clone();
    const trainer = new PPOTrainer(policy, reference, likesToken, null, ids, {
      promptsPerIteration: 4,
      samplesPerPrompt: 4,
      maxNewTokens: 12,
      learningRate: 3e-3,
      temperature: 1,
      beta: 0.01,
      seed: 5,
    });
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
    ] as const) {
      expect(Number.isFinite(first.metrics[key]), key).toBe(true);
    }
    expect(first.metrics['objective/kl']).toBeCloseTo(0, 4); // the policy is the reference at the first rollout
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
