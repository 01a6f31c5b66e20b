// Rejection-sampling fine-tuning: the best of each prompt's samples is the reward model's argmax
// (a plain loop over the scores), one demonstration per prompt drawn, nothing leaks, and in the
// loop SFT on the reward model's picks raises what the labels liked.
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { bestOfEachGroup, bestOfN } from '../../src/engine/loop/best-of-n';
import { runRlhfLoop } from '../../src/engine/loop/rlhf-loop';
import { labelerFromScore } from '../../src/engine/labelers/labeler';
import type { Scorer } from '../../src/engine/rl/rollout';
import { Rng } from '../../src/engine/rng';
import { EngineError } from '../../src/engine/errors';
import { tensorsLeaked } from '../helpers/tensors';
import { letterFrequency } from '../helpers/letter-frequency';
import { charCodec } from '../helpers/char-codec';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const prompts = ['the ', 'a ', 'my cat ', 'so '];
const X = charCodec.encode('x')[0];
const xs = (r: string) => [...r].filter((c) => c === 'x').length;

const xFrequency = (model: GPT) => letterFrequency(model, prompts, 'x');

describe('best of n', () => {
  it('picks the first largest score of each group, as a plain loop does', () => {
    const scores = [0.1, 0.5, 0.5, -1, /**/ 2, 1, 0, 3, /**/ -4, -3];
    const plain: number[] = [];
    for (let g = 0; g * 4 < scores.length; g++) {
      const group = scores.slice(g * 4, g * 4 + 4);
      plain.push(g * 4 + group.indexOf(Math.max(...group)));
    }
    expect(bestOfEachGroup(scores, 4)).toEqual(plain);
    expect(plain).toEqual([1, 7, 9]);
  });

  it("keeps the scorer's best sample of each prompt, scored on the tokens as sampled, leaking nothing", async () => {
    const policy = new GPT(config, 5);
    // Counts x; the response tokens as sampled (end-of-text included where it ended).
    const seen: number[][] = [];
    const scorer: Scorer = {
      score: async (_p, rs) => {
        seen.push(...rs);
        return { mean: rs.map((r) => r.filter((t) => t === X).length + r.length / 100) };
      },
    };
    const sampling = { maxNewTokens: 8, temperature: 1 };
    expect(await bestOfN(policy, charCodec, prompts, 0, 4, scorer, sampling, new Rng(1))).toMatchObject({
      demonstrations: [],
    });
    let out: Awaited<ReturnType<typeof bestOfN>> | undefined;
    const leaked = await tensorsLeaked(async () => {
      out = await bestOfN(policy, charCodec, prompts, 6, 4, scorer, sampling, new Rng(1));
    });
    expect(leaked).toBe(0);
    const { demonstrations, keptScore, candidateScore } = out!;
    expect(demonstrations).toHaveLength(6);
    expect(seen).toHaveLength(24);
    const score = (r: number[]) => r.filter((t) => t === X).length + r.length / 100;
    demonstrations.forEach((d, p) => {
      const group = seen.slice(4 * p, 4 * p + 4);
      expect(d.response).toEqual(group[bestOfEachGroup(group.map(score), 4)[0]]);
      expect(prompts.map((q) => charCodec.encode(q))).toContainEqual(d.prompt);
    });
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(keptScore).toBeCloseTo(mean(demonstrations.map((d) => score(d.response))), 10);
    expect(candidateScore).toBeCloseTo(mean(seen.map(score)), 10);
    expect(keptScore).toBeGreaterThanOrEqual(candidateScore);
    policy.dispose();
  });

  it("in the loop: SFT on the reward model's picks raises the liked letter; bad settings are refused, leaking nothing", async () => {
    const labeler = labelerFromScore('likes-x', (_p, r) => xs(r), { rationality: Infinity });
    const policy = new GPT(config, 11);
    const reference = policy.clone();
    const before = await xFrequency(policy);
    const loop = {
      algorithm: 'sft' as const,
      labels: 60,
      rounds: 1,
      policyIterationsPerRound: 20,
      normalizationSamples: 8,
      seed: 3,
      reward: { ensembleSize: 2, epochs: 8, learningRate: 3e-3 },
      policy: { maxNewTokens: 10, learningRate: 3e-3, temperature: 1 },
    };
    await expect(
      runRlhfLoop(
        { policy, reference, codec: charCodec, labeler, prompts },
        {
          ...loop,
          bestOfN: { prompts: 0, candidates: 8 },
        },
      ),
    ).rejects.toThrow(EngineError);
    // A reward model refused for its own settings gives back what was built before it (the KL budget).
    const leaked = await tensorsLeaked(async () => {
      await expect(
        runRlhfLoop(
          { policy, reference, codec: charCodec, labeler, prompts },
          { ...loop, klBudget: 5, reward: { ...loop.reward, trainableLayers: 9 } },
        ),
      ).rejects.toThrow(EngineError);
    });
    expect(leaked).toBe(0);
    const result = await runRlhfLoop(
      { policy, reference, codec: charCodec, labeler, prompts },
      { ...loop, bestOfN: { prompts: 32, candidates: 8 } },
    );
    const m = result.rounds[0].metrics;
    expect(m['bon/kept_score']).toBeGreaterThan(m['bon/candidate_score']);
    expect(Number.isFinite(m['loss/sft'])).toBe(true);
    const after = await xFrequency(policy);
    expect(after).toBeGreaterThan(before + 0.03);
    result.reward.dispose();
    [policy, reference].forEach((m) => m.dispose());
  }, 240_000);
});
