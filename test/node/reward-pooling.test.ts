// Mean pooling of the reward model: its scores against a plain loop over each row's response
// tokens, the last-token read-out unchanged, learning a liked token from few pairs, its gradient
// against finite differences, the setting kept through a checkpoint, no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { RewardModel, type RewardConfig } from '../../src/engine/rl/reward-model';
import { loadRewardCheckpoint, saveRewardCheckpoint } from '../../src/engine/rl/reward-checkpoint';
import { EngineError } from '../../src/engine/errors';
import { Rng } from '../../src/engine/rng';
import { buildSequences, sequenceTensors } from '../../src/engine/rl/sequences';
import type { PreferencePair } from '../../src/engine/rl/preferences';
import { tensorsLeaked } from '../helpers/tensors';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const PAD = 31;
const prompts = [[1, 2, 3], [4]];
const responses = [
  [5, 6, 7, 8],
  [9, 10],
];

/** Each row's scores by a plain loop: the trunk's hidden state after each response token, averaged, then the heads. */
async function plainMeanScores(rm: RewardModel): Promise<number[][]> {
  const w = (await rm.model.head.get('score.weight').array()) as number[][];
  const b = (await rm.model.head.get('score.bias').array()) as number[];
  const out: number[][] = [];
  for (let i = 0; i < prompts.length; i++) {
    const ids = tf.tensor2d([[...prompts[i], ...responses[i]]], undefined, 'int32');
    const h = tf.tidy(() => rm.model.trunk.hidden(ids).hidden);
    const rows = (await h.array())[0];
    tf.dispose([ids, h]);
    const after = rows.slice(prompts[i].length); // the states after each response token
    const mean = after[0].map((_, c) => after.reduce((a, r) => a + r[c], 0) / after.length);
    out.push(b.map((bias, k) => bias + mean.reduce((a, x, c) => a + x * w[c][k], 0)));
  }
  return out;
}

async function scores(rm: RewardModel): Promise<number[][]> {
  const s = buildSequences(prompts, responses, config.blockSize, PAD);
  const t = sequenceTensors(s);
  const scored = tf.tidy(() => rm.model.sequenceScores(s, t));
  const out = (await scored.array()) as number[][];
  tf.dispose([scored, ...Object.values(t)]);
  return out;
}

/** Pairs where the chosen response holds the liked token somewhere and the rejected one does not. */
function likedPairs(n: number, seed: number): PreferencePair[] {
  const rng = new Rng(seed);
  const plain = () => Array.from({ length: 6 }, () => 10 + rng.int(20));
  return Array.from({ length: n }, (_, key) => {
    const chosen = plain();
    chosen[rng.int(6)] = 7;
    return { key, prompt: [1 + rng.int(5), 2], chosen, rejected: plain(), target: 1 };
  });
}

/** A mean-pooled reward model of two heads that trains six passes, with `extra` settings. */
function likedModel(policy: GPT, extra: Partial<RewardConfig>): RewardModel {
  return new RewardModel(policy, PAD, { ensembleSize: 2, epochs: 6, pooling: 'mean', seed: 3, ...extra });
}

describe('reward model pooling', () => {
  it('mean pooling scores as a plain loop over the response tokens; the default still reads the last token', async () => {
    const policy = new GPT(config, 1);
    const mean = new RewardModel(policy, PAD, { ensembleSize: 3, pooling: 'mean', seed: 1 });
    const last = new RewardModel(policy, PAD, { ensembleSize: 3, seed: 1 });
    const leaked = await tensorsLeaked(() => scores(mean));
    expect(leaked).toBe(0);
    const got = await scores(mean);
    const want = await plainMeanScores(mean);
    got.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(want[i][k], 4)));
    // Same weights, other read-out: different scores.
    expect(Math.abs((await scores(last))[0][0] - got[0][0])).toBeGreaterThan(1e-4);
    [mean, last, policy].forEach((m) => m.dispose());
  });

  it('its gradient, through the pooling into the trunk, matches finite differences', async () => {
    const policy = new GPT(config, 1);
    const rm = new RewardModel(policy, PAD, { ensembleSize: 1, pooling: 'mean', seed: 2 });
    const s = buildSequences(prompts, responses, config.blockSize, PAD);
    const t = sequenceTensors(s);
    const total = () => tf.sum(rm.model.sequenceScores(s, t)) as tf.Scalar;
    // A head weight, and a weight of the first block, which the pooled states depend on.
    const trunkName = rm.model.trunk.params.entries().find(([n]) => n.includes('h.0.attn'))![0];
    const trunk = rm.model.trunk.params.entries().find(([n]) => n === trunkName)![1];
    for (const v of [rm.model.head.get('score.weight') as tf.Variable, trunk]) {
      const { value, grads } = tf.variableGrads(total, [v]);
      const analytic = await grads[v.name].data();
      tf.dispose([value, ...Object.values(grads)]);
      const base = await v.data();
      const at = async (i: number, delta: number) => {
        const moved = Float32Array.from(base);
        moved[i] += delta;
        tf.tidy(() => v.assign(tf.tensor(moved, v.shape)));
        const out = tf.tidy(total);
        const x = (await out.data())[0];
        out.dispose();
        return x;
      };
      const eps = 1e-2;
      // The two entries with the largest gradient, so the check is not of zeros.
      const order = [...analytic.keys()].sort((a, b) => Math.abs(analytic[b]) - Math.abs(analytic[a]));
      expect(Math.abs(analytic[order[0]])).toBeGreaterThan(1e-3);
      for (const i of order.slice(0, 2)) {
        const numeric = ((await at(i, eps)) - (await at(i, -eps))) / (2 * eps);
        expect(analytic[i]).toBeCloseTo(numeric, 2);
      }
      tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
    }
    tf.dispose(Object.values(t));
    rm.dispose();
    policy.dispose();
  });

  it('learns a liked token from 30 pairs, keeps its pooling through a checkpoint, and refuses an unknown one', async () => {
    const policy = new GPT(config, 1);
    const rm = likedModel(policy, { learningRate: 1e-3 });
    await rm.train(likedPairs(30, 4));
    const fresh = likedPairs(40, 99).map((p, key) => ({ ...p, key: key * 10 + 9 })); // all held out
    const { accuracy } = await rm.evaluate(fresh);
    expect(accuracy).toBeGreaterThan(0.75);
    rm.normalization = { mean: 0.5, std: 2 };
    const bytes = await saveRewardCheckpoint(rm, { name: 'mean', tokenizerFingerprint: 'test', info: {} });
    const { reward } = loadRewardCheckpoint(bytes, { padId: PAD, source: 'mean.safetensors' });
    expect(reward.config.pooling).toBe('mean');
    expect(reward.model.pooling).toBe('mean');
    expect(await scores(reward)).toEqual(await scores(rm));
    expect(() => new RewardModel(policy, PAD, { pooling: 'max' as never })).toThrow(EngineError);
    [rm, reward, policy].forEach((m) => m.dispose());
  }, 120_000);

  it('a frozen trunk trains the heads alone, still learns the liked token, and is kept through a checkpoint', async () => {
    const policy = new GPT(config, 1);
    const rm = likedModel(policy, { learningRate: 3e-2, frozenTrunk: true });
    const trunkBefore = await rm.model.trunk.params.read();
    const headBefore = await rm.model.head.read();
    const leaked = await tensorsLeaked(() => rm.train(likedPairs(30, 4)));
    expect(leaked).toBe(0);
    for (const [name, t] of await rm.model.trunk.params.read()) expect(t.data).toEqual(trunkBefore.get(name)!.data);
    const headAfter = await rm.model.head.read();
    expect(headAfter.get('score.weight')!.data).not.toEqual(headBefore.get('score.weight')!.data);
    const fresh = likedPairs(40, 99).map((p, key) => ({ ...p, key: key * 10 + 9 }));
    expect((await rm.evaluate(fresh)).accuracy).toBeGreaterThan(0.75);
    const bytes = await saveRewardCheckpoint(rm, { name: 'probe', tokenizerFingerprint: 'test', info: {} });
    const { reward } = loadRewardCheckpoint(bytes, { padId: PAD, source: 'probe.safetensors' });
    expect(reward.config.frozenTrunk).toBe(true);
    [rm, reward, policy].forEach((m) => m.dispose());
  }, 120_000);
});
