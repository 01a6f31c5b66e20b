// The reward model against a gold score on fresh pairs: the pairs are the policy's own samples at
// the given seed (checked against sampling them by hand), a judge that is the gold score agrees on
// every pair told apart and its negation on none, the labeler's ties are left out, no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { agreement } from '../../src/engine/eval/agreement';
import { generateTexts } from '../../src/engine/generate/text';
import { rewardAgainstGold } from '../../src/engine/loop/reward-gold';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { CHAR_EOS, charCodec } from '../helpers/char-codec';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 32 };
const gold = (_p: string, r: string) => [...r].filter((c) => c === 'a').length;
const base = { prompts: ['the dog', 'a cat'], pairsPerPrompt: 6, maxNewTokens: 10, temperature: 1, seed: 5, gold };

describe('rewardAgainstGold', () => {
  it('checks the judge on pairs of the policy’s own samples, without leaking tensors', async () => {
    const policy = new GPT(config, 3);
    const told: { response: string; ended: boolean }[] = [];
    const before = tf.memory().numTensors;
    const same = await rewardAgainstGold(policy, charCodec, {
      ...base,
      noticeable: 0,
      reward: async (p, r, ended) => (told.push({ response: r, ended }), gold(p, r)),
    });
    expect(tf.memory().numTensors).toBe(before);
    // The reference: the same samples drawn by hand, pair i = responses i and 12 + i.
    const prompts = base.prompts.flatMap((p) => Array(6).fill(p) as string[]);
    const texts = await generateTexts(policy, charCodec, [...prompts, ...prompts], {
      maxNewTokens: 10,
      temperature: 1,
      seed: 5,
    });
    expect(told.map((t) => t.response).sort()).toEqual(texts.map((t) => t.text).sort());
    expect(told.filter((t) => t.ended).length).toBe(texts.filter((t) => t.tokens.at(-1) === CHAR_EOS).length);
    const pairs = prompts.map((p, i): [number, number] => [gold(p, texts[i].text), gold(p, texts[12 + i].text)]);
    const apart = pairs.filter(([a, b]) => a !== b).length;
    expect(apart).toBeGreaterThan(0);
    expect(same).toEqual({ pairs: apart, agree: apart, rate: 1 });
    const opposite = await rewardAgainstGold(policy, charCodec, {
      ...base,
      noticeable: 0,
      reward: async (p, r) => -gold(p, r),
    });
    expect(opposite).toEqual({ pairs: apart, agree: 0, rate: 0 });
    // A labeler that notices only differences of more than one 'a' leaves the closer pairs out.
    const coarse = await rewardAgainstGold(policy, charCodec, { ...base, noticeable: 1, reward: async () => 0 });
    expect(coarse).toEqual(
      agreement(
        pairs,
        pairs.map((): [number, number] => [0, 0]),
        1,
      ),
    );
    policy.dispose();
  });
});
