// evaluatePolicies on tiny models: each judge's win-rate is winRate over its pairs, grouped by
// prompt; a policy against itself ties everywhere; progress covers every stage; no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { agreement } from '../../src/engine/eval/agreement';
import { pairResult, winRate } from '../../src/engine/eval/win-rate';
import { evaluatePolicies, samplePolicies, type EvaluationProgress } from '../../src/engine/loop/evaluate';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { CHAR_EOS, charCodec } from '../helpers/char-codec';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 32 };
const prompts = ['the dog', 'a cat', 'one day'];
const options = { prompts, samplesPerPrompt: 4, maxNewTokens: 6, temperature: 1, seed: 3 };
const gold = (_p: string, r: string) => r.length;
const reward = async (_p: string, r: string) => [...r].filter((c) => c === 'a' || c === 'e').length;

describe('evaluatePolicies', () => {
  it('judges by gold and reward model, each win-rate bootstrapped over prompts, without leaking tensors', async () => {
    const [base, tuned] = [new GPT(config, 1), new GPT(config, 2)];
    const before = tf.memory().numTensors;
    const progress: EvaluationProgress[] = [];
    const e = await evaluatePolicies(base, tuned, charCodec, {
      ...options,
      gold,
      reward,
      onProgress: (p) => void progress.push(p),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(e.samples).toHaveLength(12);
    expect(e.samples.map((s) => s.prompt)).toEqual(prompts.flatMap((p) => [p, p, p, p]));
    for (const s of e.samples) {
      expect(s.goldBase).toBe(gold(s.prompt, s.base));
      expect(s.rewardTuned).toBe(await reward(s.prompt, s.tuned));
    }
    // The reference: each pair's result by a plain comparison, ties half, grouped by prompt.
    const outcomes = (b: 'goldBase' | 'rewardBase', t: 'goldTuned' | 'rewardTuned') =>
      e.samples.map((s) => ({ group: s.prompt, result: pairResult(s[t]!, s[b]!) }));
    expect(e.gold!.winRate).toEqual(winRate(outcomes('goldBase', 'goldTuned')));
    expect(e.reward!.winRate).toEqual(winRate(outcomes('rewardBase', 'rewardTuned')));
    expect(e.gold!.winRate.groups).toBe(3);
    // The reward model against the gold score, on the same pairs (base, tuned).
    const pairOf = (b: 'goldBase' | 'rewardBase', t: 'goldTuned' | 'rewardTuned') =>
      e.samples.map((s): [number, number] => [s[b]!, s[t]!]);
    expect(e.rewardGoldAgreement).toEqual(
      agreement(pairOf('goldBase', 'goldTuned'), pairOf('rewardBase', 'rewardTuned')),
    );
    expect(e.rewardGoldAgreement!.pairs).toBe(e.samples.filter((s) => s.goldBase !== s.goldTuned).length);
    const points = e.samples.map((s): number =>
      s.goldTuned! > s.goldBase! ? 1 : s.goldTuned === s.goldBase ? 0.5 : 0,
    );
    expect(e.gold!.winRate.rate).toBeCloseTo(points.reduce((a, b) => a + b, 0) / 12, 12);
    expect(e.gold!.base).toBeCloseTo(e.samples.reduce((a, s) => a + s.goldBase!, 0) / 12, 12);
    for (const stage of ['base', 'tuned', 'reward'] as const) {
      const seen = progress.filter((p) => p.stage === stage);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total);
      expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    }
    expect(progress.filter((p) => p.stage === 'reward').at(-1)!.total).toBe(12);
    base.dispose();
    tuned.dispose();
  });

  it('a policy against itself ties every pair: win-rate ½ in [½, ½], KL 0', async () => {
    const model = new GPT(config, 4);
    const e = await evaluatePolicies(model, model, charCodec, { ...options, gold });
    expect(e.gold!.winRate).toMatchObject({ rate: 0.5, low: 0.5, high: 0.5, ties: 12 });
    expect(e.kl).toBeCloseTo(0, 5);
    model.dispose();
  });

  it('without a judge, reports no win-rate and no scores', async () => {
    const [base, tuned] = [new GPT(config, 1), new GPT(config, 2)];
    const e = await evaluatePolicies(base, tuned, charCodec, options);
    expect(e.gold).toBeNull();
    expect(e.reward).toBeNull();
    expect(e.rewardGoldAgreement).toBeNull();
    expect(e.samples.every((s) => s.goldBase === null && s.rewardTuned === null)).toBe(true);
    const again = await samplePolicies(base, tuned, charCodec, options);
    expect(again.tuned.map((g) => g.text)).toEqual(e.samples.map((s) => s.tuned));
    base.dispose();
    tuned.dispose();
  });
  it('tells the reward model which responses ended, so it scores them with end-of-text as it was trained', async () => {
    const [base, tuned] = [new GPT(config, 1), new GPT(config, 2)];
    const o = { ...options, maxNewTokens: 12, samplesPerPrompt: 8 };
    const told: { response: string; ended: boolean }[] = [];
    await evaluatePolicies(base, tuned, charCodec, {
      ...o,
      reward: async (_p, response, ended) => (told.push({ response, ended }), 0),
    });
    // The same seed samples the same responses: their tokens say which ended.
    const s = await samplePolicies(base, tuned, charCodec, o);
    const expected = s.base
      .flatMap((b, i) => [b, s.tuned[i]])
      .map((g) => ({
        response: g.text,
        ended: g.tokens.at(-1) === CHAR_EOS,
      }));
    expect(told).toEqual(expected);
    expect(expected.some((x) => x.ended)).toBe(true);
    expect(expected.some((x) => !x.ended)).toBe(true);
    base.dispose();
    tuned.dispose();
  });
});
