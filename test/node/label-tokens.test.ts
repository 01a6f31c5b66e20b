// Labels and the reward model: a labelled response is trained on exactly the ids a rollout of the
// same response is scored on (end-of-text included when it ended), and a pair's side of the
// held-out split and its bootstrap weights follow the label's id, not its place in the log.
import { describe, expect, it } from 'vitest';
import { promptIds } from '../../src/engine/generate/text';
import { samplePairs } from '../../src/engine/loop/labeling';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import {
  bootstrapWeight,
  comparisonToPair,
  isHeldOut,
  ratingsToPairs,
  type Comparison,
  type PreferencePair,
  type Rating,
} from '../../src/engine/rl/preferences';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { collectRollout, type Scorer } from '../../src/engine/rl/rollout';
import { Rng } from '../../src/engine/rng';
import { CHAR_EOS, charCodec } from '../helpers/char-codec';
import { tensorsLeaked } from '../helpers/tensors';

// A 32-token vocabulary: a random model samples end-of-text often enough for both kinds of response.
const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 48 };
const PENALTY = 1;

describe('a labelled response is scored as its rollout is', () => {
  it('same token ids and the same score in reward-model training as in a rollout, ended or not', async () => {
    const policy = new GPT(config, 7);
    const rm = new RewardModel(policy, CHAR_EOS, { ensembleSize: 2, seed: 1 }, charCodec);
    const prompts = ['the dog', 'a cat', 'so'].map((p) => promptIds(charCodec, p));
    const seen: number[][] = [];
    const scorer: Scorer = { score: (p, r) => (seen.push(...rm.reads(r)), rm.score(p, r)) };
    const rollout = await collectRollout(policy, policy, null, scorer, prompts, {
      samplesPerPrompt: 8,
      maxNewTokens: 24,
      temperature: 1,
      missingEosPenalty: PENALTY,
      seed: 3,
      eosId: CHAR_EOS,
      padId: CHAR_EOS,
    });
    expect(rollout.ended).toContain(true);
    expect(rollout.ended).toContain(false);
    // The same responses labelled as the page labels them: the text shown, and whether each ended.
    const text = (tokens: number[]) => charCodec.decode(tokens.filter((t) => t !== CHAR_EOS));
    const n = rollout.responses.length;
    const labels: Comparison[] = rollout.responses.map((tokens, i) => ({
      id: i,
      prompt: charCodec.decode(rollout.prompts[i]),
      a: text(tokens),
      b: text(rollout.responses[(i + 1) % n]),
      choice: 'a',
      labeler: 'sim',
      aEnded: rollout.ended[i],
      bEnded: rollout.ended[(i + 1) % n],
    }));
    const pairs = labels.map((c) => comparisonToPair(c, charCodec));
    for (let i = 0; i < n; i++) {
      expect(pairs[i].prompt).toEqual(rollout.prompts[i]);
      // Token for token what the reward model read in the rollout, end-of-text where it ended.
      expect(pairs[i].chosen).toEqual(seen[i]);
      expect(pairs[i].chosen.at(-1) === CHAR_EOS).toBe(rollout.ended[i]);
    }
    const trained = await rm.score(
      pairs.map((p) => p.prompt),
      pairs.map((p) => p.chosen),
    );
    const rolloutScores = rollout.scores.map((s, i) => (rollout.ended[i] ? s : s + PENALTY));
    trained.mean.forEach((s, i) => expect(s).toBeCloseTo(rolloutScores[i], 5));
    rm.dispose();
    policy.dispose();
  }, 60_000);

  it('pairs sampled for labelling say which response ended, and their labels keep the end-of-text', async () => {
    const policy = new GPT(config, 7);
    const asked = await samplePairs(
      policy,
      charCodec,
      ['the dog'],
      12,
      null,
      { maxNewTokens: 24, temperature: 1, candidates: 1 },
      new Rng(2),
    );
    const ended = asked.flatMap((p) => [p.aEnded, p.bEnded]);
    expect(ended).toContain(true);
    expect(ended).toContain(false);
    for (const [i, p] of asked.entries()) {
      const pair = comparisonToPair({ id: i, labeler: 'sim', choice: 'a', ...p }, charCodec);
      expect(pair.chosen.at(-1) === CHAR_EOS).toBe(p.aEnded);
      expect(pair.rejected.at(-1) === CHAR_EOS).toBe(p.bEnded);
    }
    // A label stored before the flags existed is read as not ended: its text as it stands.
    const old = comparisonToPair({ id: 0, prompt: 'p', a: 'ab', b: 'cd', choice: 'a', labeler: 'human' }, charCodec);
    expect(old.chosen).toEqual(charCodec.encode('ab'));
    policy.dispose();
  }, 60_000);
});

describe('the held-out split and bootstrap weights follow the label id', () => {
  // Distinct texts in the character codec's alphabet (it has no digits).
  const word = (i: number) => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
  const comparisons: Comparison[] = Array.from({ length: 40 }, (_, i) => ({
    id: i + 1,
    prompt: `p${word(i % 7)}`,
    a: `a${word(i)}`,
    b: `b${word(i)}`,
    choice: i % 3 === 0 ? 'tie' : 'a',
    labeler: 'human',
  }));
  const ratings: Rating[] = Array.from({ length: 8 }, (_, i) => ({
    id: i + 1,
    prompt: `p${word(i % 2)}`,
    response: `r${word(i)}`,
    stars: ((i % 5) + 1) as Rating['stars'],
    labeler: 'human',
  }));
  const pairsOf = (cs: Comparison[], rs: Rating[]) => [
    ...cs.map((c) => comparisonToPair(c, charCodec)),
    ...ratingsToPairs(rs, charCodec),
  ];
  const name = (p: PreferencePair) => JSON.stringify([p.prompt, p.chosen, p.rejected]);
  const split = (pairs: PreferencePair[]) => new Map(pairs.map((p) => [name(p), isHeldOut(p.key)]));
  const weights = (pairs: PreferencePair[]) =>
    new Map(pairs.map((p) => [name(p), [0, 1, 2, 3].map((k) => bootstrapWeight(5, k, p.key))]));

  it('deleting a label or adding star ratings moves no pair between training and held-out', () => {
    const before = pairsOf(comparisons, []);
    const held = [...split(before).values()].filter(Boolean).length;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(before.length);
    const after = pairsOf(
      comparisons.filter((c) => c.id !== 5),
      ratings,
    );
    expect(after.length).toBeGreaterThan(before.length);
    const [splitBefore, splitAfter] = [split(before), split(after)];
    const [weightsBefore, weightsAfter] = [weights(before), weights(after)];
    let kept = 0;
    for (const [pair, heldOut] of splitAfter) {
      if (!splitBefore.has(pair)) continue;
      kept++;
      expect(heldOut, pair).toBe(splitBefore.get(pair));
      expect(weightsAfter.get(pair), pair).toEqual(weightsBefore.get(pair));
    }
    expect(kept).toBe(before.length - 1);
  });

  it('the reward model holds out and evaluates the same pairs whatever the order of the log', async () => {
    const policy = new GPT(config, 2);
    const rm = new RewardModel(policy, CHAR_EOS, { ensembleSize: 2, epochs: 1, seed: 1 }, charCodec);
    const pairs = pairsOf(comparisons, ratings);
    const shuffled = new Rng(9).shuffle([...pairs]);
    const first = await rm.evaluate(pairs);
    const second = await rm.evaluate(shuffled);
    expect(second.pairs).toBe(first.pairs);
    expect(second.loss).toBeCloseTo(first.loss, 6);
    expect(await tensorsLeaked(() => rm.evaluate(pairs))).toBe(0);
    rm.dispose();
    policy.dispose();
  }, 60_000);
});
