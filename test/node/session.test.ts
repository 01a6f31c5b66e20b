import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { RlhfSession } from '../../src/engine/loop/session';
import { labelerFromScore } from '../../src/engine/labelers/labeler';
import { Rng } from '../../src/engine/rng';
import { comparisonToPair, isHeldOut } from '../../src/engine/rl/preferences';
import { tensorsLeaked } from '../helpers/tensors';

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
    const session = new RlhfSession(new GPT(config, 1), tokenizer, {
      seed: 1,
      reward: { ensembleSize: 2, epochs: 1, minSteps: 0 },
    });
    await expect(session.iterate(prompts)).rejects.toMatchObject({
      code: 'NOT_ENOUGH_LABELS',
      detail: { code: 'ALGORITHM_NEEDS_REWARD_MODEL', params: { algorithm: 'ppo' } },
    });
    await expect(session.scoreText('the dog', ' ran')).rejects.toMatchObject({
      detail: { code: 'NO_REWARD_MODEL', params: {} },
    });
    await expect(
      session.evaluate({ prompts, samplesPerPrompt: 1, maxNewTokens: 2, temperature: 1, seed: 1 }),
    ).rejects.toMatchObject({
      detail: { code: 'NO_LABELER', params: {} },
    });
    const labeler = labelerFromScore('long', (_p, r) => r.length, { rationality: Infinity });
    session.gold = labeler;
    const rng = new Rng(2);
    const comparisons = [];
    for (let i = 0; i < 12; i++) {
      const pair = await session.samplePair(prompts, i > 6, sampling);
      expect(prompts).toContain(pair.prompt);
      comparisons.push({
        id: i,
        prompt: pair.prompt,
        a: pair.a,
        b: pair.b,
        choice: labeler.compare(pair.prompt, pair.a, pair.b, rng).choice,
        labeler: labeler.id,
        aEnded: pair.aEnded,
        bEnded: pair.bEnded,
      });
    }
    session.setLabels({ comparisons, ratings: [], demonstrations: [] });
    const trained = await session.trainRewardModel(prompts);
    expect(trained.losses).toHaveLength(1);
    const heldOut = comparisons.filter((c) => isHeldOut(comparisonToPair(c, tokenizer).key));
    expect(heldOut.length).toBeGreaterThan(0);
    expect(trained.evaluation.pairs).toBe(heldOut.length);
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

  it('trains the reward model on the words a person marked too, while its held-out accuracy reads the labels alone', async () => {
    const comparisons = Array.from({ length: 12 }, (_, i) => ({
      id: i,
      prompt: prompts[i % 3],
      a: ' ran to the park and was happy.',
      b: ' ran to the park.',
      choice: 'a' as const,
      labeler: 'human',
    }));
    const marked = comparisons.map((c) => ({
      ...c,
      marks: [{ side: 'a' as const, start: 25, end: 30, polarity: 1 as const }],
    }));
    expect(marked[0].a.slice(25, 30)).toBe('happy');
    /** The optimiser steps one reward-model training takes, and its held-out pairs. */
    async function train(labels: typeof comparisons): Promise<{ steps: number; heldOut: number }> {
      const session = new RlhfSession(new GPT(config, 1), tokenizer, {
        seed: 1,
        reward: { ensembleSize: 2, epochs: 1, minSteps: 0, batchSize: 4 },
      });
      session.setLabels({ comparisons: labels, ratings: [], demonstrations: [] });
      let steps = 0;
      const trained = await session.trainRewardModel(prompts, (_done, total) => (steps = total));
      session.dispose();
      return { steps, heldOut: trained.evaluation.pairs };
    }
    const plain = await train(comparisons);
    const withMarks = await train(marked);
    const training = comparisons.filter((c) => !isHeldOut(comparisonToPair(c, tokenizer).key)).length;
    expect(plain.steps).toBe(Math.ceil(training / 4));
    expect(withMarks.steps).toBe(Math.ceil((2 * training) / 4));
    expect(withMarks.heldOut).toBe(plain.heldOut);
  }, 120_000);

  it('every reward-model training starts afresh: background trainings end where one training ends; a failed one keeps the model', async () => {
    const comparisons = Array.from({ length: 10 }, (_, i) => ({
      id: i,
      prompt: prompts[i % 3],
      a: i % 2 === 0 ? ' ran to the park and was happy.' : ' was happy.',
      b: i % 2 === 0 ? ' ran.' : ' ran to the park.',
      choice: (i % 4 === 3 ? 'b' : 'a') as 'a' | 'b',
      labeler: 'human',
    }));
    const texts = [' ran to the park', ' was happy.', ' the dog ran'];
    const scores = async (session: RlhfSession) =>
      Promise.all(texts.map(async (t) => (await session.scoreText('the dog', t)).score));
    const open = () =>
      new RlhfSession(new GPT(config, 1), tokenizer, { seed: 3, reward: { ensembleSize: 2, epochs: 2, minSteps: 4 } });
    const once = open();
    const often = open();
    once.setLabels({ comparisons, ratings: [], demonstrations: [] });
    await once.trainRewardModel(prompts);
    // The page's background trainings: at 4 and at 8 labels, then on all 10.
    for (const n of [4, 8, 10]) {
      often.setLabels({ comparisons: comparisons.slice(0, n), ratings: [], demonstrations: [] });
      await often.trainRewardModel(prompts);
    }
    expect(await scores(often)).toEqual(await scores(once));
    // A new model replaces the old one (nothing kept of it); a training stopped midway (a cancel)
    // leaves the model it had.
    const before = await scores(often);
    const leaked = await tensorsLeaked(async () => {
      await often.trainRewardModel(prompts);
      often.setLabels({ comparisons: comparisons.slice(0, 6), ratings: [], demonstrations: [] });
      const stop = (done: number) => {
        if (done === 2) throw new Error('cancelled');
      };
      await expect(often.trainRewardModel(prompts, stop)).rejects.toThrow('cancelled');
    });
    expect(leaked).toBe(0);
    expect(await scores(often)).toEqual(before);
    // PPO tunes across a retraining: its optimiser scores with the new model (the old one is freed).
    often.configure('ppo', { maxNewTokens: 4, promptsPerIteration: 1, samplesPerPrompt: 2 });
    await often.iterate(prompts);
    often.setLabels({ comparisons, ratings: [], demonstrations: [] });
    await often.trainRewardModel(prompts);
    const view = await often.iterate(prompts);
    expect(view.samples.every((x) => Number.isFinite(x.score))).toBe(true);
    expect(Number.isFinite(view.metrics['objective/kl'])).toBe(true);
    [once, often].forEach((s) => s.dispose());
  }, 120_000);

  it('a training that fails leaves no reward model behind: PPO, GRPO and RLOO refuse to tune', async () => {
    const session = new RlhfSession(new GPT(config, 1), tokenizer, {
      seed: 1,
      reward: { ensembleSize: 2, epochs: 1, minSteps: 0 },
    });
    // Star ratings of responses to different prompts: no pair to learn from yet.
    const ratings = [
      { id: 1, prompt: 'the dog', response: ' ran to the park', stars: 5 as const, labeler: 'human' },
      { id: 2, prompt: 'the cat', response: ' was happy', stars: 2 as const, labeler: 'human', ended: true },
    ];
    session.setLabels({ comparisons: [], ratings, demonstrations: [] });
    const leaked = await tensorsLeaked(() =>
      session.trainRewardModel(prompts).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(leaked).toBe(0);
    await expect(session.trainRewardModel(prompts)).rejects.toMatchObject({
      code: 'NOT_ENOUGH_LABELS',
      detail: { code: 'NO_PAIRS_TO_TRAIN', params: { algorithm: null, reason: 'none', count: 0 } },
    });
    expect(session.hasRewardModel).toBe(false);
    for (const algorithm of ['ppo', 'grpo', 'rloo'] as const) {
      session.configure(algorithm, { maxNewTokens: 4, promptsPerIteration: 1, samplesPerPrompt: 2 });
      await expect(session.iterate(prompts), algorithm).rejects.toMatchObject({
        detail: { code: 'ALGORITHM_NEEDS_REWARD_MODEL', params: { algorithm } },
      });
    }
    expect(session.pairCounts()).toEqual({ pairs: 0, training: 0 });
    session.dispose();
  }, 60_000);
});
