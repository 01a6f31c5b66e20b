import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { RlhfSession } from '../../src/engine/loop/session';
import { labelerFromScore } from '../../src/engine/labelers/labeler';
import { Rng } from '../../src/engine/rng';

const text = Array.from(
  { length: 40 },
  (_, i) => `the ${['dog', 'cat', 'bird'][i % 3]} ran to the park and was happy.`,
).join(' ');
const tokenizer = Tokenizer.train(text, { vocabSize: 280 });
const config = { ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 32 };
const prompts = ['the dog', 'the cat', 'a bird'];
const sampling = { maxNewTokens: 8, temperature: 1 };

describe('RlhfSession', () => {
  it('samples pairs, trains the reward model, iterates PPO with token views, resets to the reference', async () => {
    const session = new RlhfSession(new GPT(config, 1), tokenizer, { seed: 1, reward: { ensembleSize: 2, epochs: 1 } });
    await expect(session.iterate(prompts)).rejects.toThrow(/needs a reward model: label some pairs and train it first/);
    const labeler = labelerFromScore('long', (_p, r) => r.length, { rationality: Infinity });
    session.gold = labeler;
    const rng = new Rng(2);
    const comparisons = [];
    for (let i = 0; i < 12; i++) {
      const pair = await session.samplePair(prompts, i > 6, sampling);
      expect(prompts).toContain(pair.prompt);
      comparisons.push({
        prompt: pair.prompt,
        a: pair.a,
        b: pair.b,
        choice: labeler.compare(pair.prompt, pair.a, pair.b, rng).choice,
        labeler: labeler.id,
      });
    }
    session.setLabels({ comparisons, ratings: [], demonstrations: [] });
    const trained = await session.trainRewardModel(prompts);
    expect(trained.losses).toHaveLength(1);
    expect(trained.evaluation.pairs).toBe(1);
    const { score } = await session.scoreText('the dog', ' ran to the park');
    expect(Number.isFinite(score)).toBe(true);
    session.configure('ppo', { maxNewTokens: 6, promptsPerIteration: 2, samplesPerPrompt: 2 });
    const view = await session.iterate(prompts);
    expect(view.samples).toHaveLength(4);
    const s = view.samples[0];
    expect([s.logProbs.length, s.kl.length, s.advantages!.length]).toEqual([
      s.tokens.length,
      s.tokens.length,
      s.tokens.length,
    ]);
    expect(s.gold).toBe(s.text.length);
    expect(Number.isFinite(view.metrics['objective/kl'])).toBe(true);
    session.resetToReference();
    const w = (m: GPT) => m.params.get('transformer.wte.weight').dataSync();
    expect(Array.from(w(session.policy))).toEqual(Array.from(w(session.reference)));
    const bytes = await session.savePolicy('test', {});
    expect(bytes.length).toBeGreaterThan(1000);
    session.dispose();
  }, 120_000);
});
