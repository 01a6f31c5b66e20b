import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { RewardModel, trainableWeight } from '../../src/engine/rl/reward-model';
import { EngineError } from '../../src/engine/errors';
import {
  bootstrapWeight,
  comparisonToPair,
  isHeldOut,
  labelKey,
  ratingsToPairs,
  type PreferencePair,
} from '../../src/engine/rl/preferences';
import { Rng } from '../../src/engine/rng';
import { buildSequences, sequenceTensors } from '../../src/engine/rl/sequences';
import { tensorsLeaked } from '../helpers/tensors';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 24 };
const LIKED = 7;

/** Pairs where the chosen response has more of the liked token than the rejected one. */
function likedTokenPairs(n: number, seed: number): PreferencePair[] {
  const rng = new Rng(seed);
  const response = (liked: number) =>
    rng.shuffle([
      ...Array.from({ length: liked }, () => LIKED),
      ...Array.from({ length: 6 - liked }, () => 10 + rng.int(20)),
    ]);
  return Array.from({ length: n }, (_, key) => {
    const hi = 2 + rng.int(4);
    const lo = rng.int(hi - 1);
    return { key, prompt: [1 + rng.int(5), 2], chosen: response(hi), rejected: response(lo), target: 1 };
  });
}

describe('preference data', () => {
  it('turns comparisons and ratings into pairs with the right targets', () => {
    const EOS = 31;
    const codec = { encode: (s: string) => [...s].map((c) => c.charCodeAt(0) % 30), eosId: EOS };
    const enc = codec.encode;
    const c = { id: 3, prompt: 'p', a: 'x', b: 'y', choice: 'b' as const, labeler: 'human' };
    expect(comparisonToPair(c, codec)).toEqual({
      key: comparisonToPair({ ...c, id: 3, choice: 'a' }, codec).key,
      prompt: enc('p'),
      chosen: enc('y'),
      rejected: enc('x'),
      target: 1,
    });
    // A response that ended is trained on with its end-of-text, as a rollout of it is scored.
    expect(comparisonToPair({ ...c, aEnded: true, bEnded: false }, codec)).toMatchObject({
      chosen: enc('y'),
      rejected: [...enc('x'), EOS],
    });
    expect(comparisonToPair({ ...c, choice: 'tie' }, codec).target).toBe(0.5);
    const pairs = ratingsToPairs(
      [
        { id: 1, prompt: 'p', response: 'a', stars: 2, labeler: 'h' },
        { id: 2, prompt: 'p', response: 'b', stars: 5, labeler: 'h', ended: true },
        { id: 3, prompt: 'p', response: 'c', stars: 2, labeler: 'h' },
        { id: 4, prompt: 'q', response: 'd', stars: 4, labeler: 'h' },
      ],
      codec,
    );
    expect(pairs).toHaveLength(3); // p: (b>a), (b>c), (a=c); q alone makes no pair
    expect(pairs[0].chosen).toEqual([...enc('b'), EOS]);
    expect(pairs.map((p) => p.target).sort()).toEqual([0.5, 1, 1]);
    expect(new Set(pairs.map((p) => p.key)).size).toBe(3);
  });

  it('bootstrap weights are Poisson(1) and stable per pair', () => {
    const w = Array.from({ length: 4000 }, (_, i) => bootstrapWeight(3, 1, i));
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const zeros = w.filter((x) => x === 0).length / w.length;
    expect(mean).toBeGreaterThan(0.95);
    expect(mean).toBeLessThan(1.05);
    expect(zeros).toBeGreaterThan(Math.exp(-1) - 0.03);
    expect(zeros).toBeLessThan(Math.exp(-1) + 0.03);
    expect(bootstrapWeight(3, 1, 17)).toBe(w[17]);
    expect(Array.from({ length: 50 }, (_, i) => bootstrapWeight(3, 0, i))).not.toEqual(w.slice(0, 50));
    expect([8, 9, 19].map(isHeldOut)).toEqual([false, true, true]);
    // Keys from label ids are spread out: about one pair in ten is held out.
    const held = Array.from({ length: 2000 }, (_, id) => labelKey(0, id)).filter(isHeldOut).length;
    expect(held / 2000).toBeGreaterThan(0.08);
    expect(held / 2000).toBeLessThan(0.12);
  });
});

describe('RewardModel', () => {
  it("the out-of-bag loss is each head's loss on the pairs its resample left out (a plain loop), and leaks nothing", async () => {
    const policy = new GPT(config, 1);
    const rm = new RewardModel(policy, 31, { ensembleSize: 3, seed: 4 });
    const pairs = likedTokenPairs(20, 6).map((p, i) => ({ ...p, target: i % 5 === 0 ? 0.5 : 1 }));
    let oob = NaN;
    const leaked = await tensorsLeaked(async () => {
      oob = await rm.outOfBagLoss(pairs);
    });
    expect(leaked).toBe(0);
    let sum = 0;
    let count = 0;
    for (const p of pairs) {
      const s = buildSequences([p.prompt, p.prompt], [p.chosen, p.rejected], config.blockSize, 31);
      const t = sequenceTensors(s);
      const scores = (await tf.tidy(() => rm.model.sequenceScores(s, t)).array()) as number[][];
      tf.dispose(Object.values(t));
      for (let k = 0; k < 3; k++) {
        if (bootstrapWeight(4, k, p.key) !== 0) continue;
        const d = scores[0][k] - scores[1][k];
        sum += -(p.target * Math.log(1 / (1 + Math.exp(-d))) + (1 - p.target) * Math.log(1 / (1 + Math.exp(d))));
        count++;
      }
    }
    expect(count).toBeGreaterThan(0);
    expect(oob).toBeCloseTo(sum / count, 4);
    rm.dispose();
    policy.dispose();
  });

  it('early stop: on labels that say nothing the out-of-bag loss stops improving and training stops; off, it runs every pass', async () => {
    const policy = new GPT(config, 1);
    // Coin-flip preferences between random responses: heads can only memorise their resample.
    const rng = new Rng(9);
    const noise = likedTokenPairs(40, 3).map((p) =>
      rng.next() < 0.5 ? p : { ...p, chosen: p.rejected, rejected: p.chosen },
    );
    const passes = async (earlyStopPatience: number) => {
      const rm = new RewardModel(policy, 31, {
        ensembleSize: 4,
        epochs: 1,
        minSteps: 200,
        learningRate: 3e-3,
        earlyStopPatience,
        seed: 2,
      });
      const n = (await rm.train(noise)).length;
      rm.dispose();
      return n;
    };
    const planned = await passes(0);
    const stopped = await passes(1);
    expect(stopped).toBeLessThan(planned);
    expect(stopped).toBeGreaterThanOrEqual(2);
    expect(() => new RewardModel(policy, 31, { earlyStopPatience: -1 })).toThrow(EngineError);
    policy.dispose();
  }, 120_000);

  it('takes more passes over few pairs until minSteps optimiser steps, and the usual passes over many', async () => {
    const policy = new GPT(config, 1);
    const pairs = likedTokenPairs(40, 3);
    const train = pairs.filter((p) => !isHeldOut(p.key)).length;
    const perEpoch = Math.ceil(train / 8);
    const count = async (minSteps: number, epochs = 2) => {
      const rm = new RewardModel(policy, 31, { ensembleSize: 1, epochs, batchSize: 8, minSteps, seed: 2 });
      const totals: number[] = [];
      const losses = await rm.train(pairs, (_done, total) => totals.push(total));
      rm.dispose();
      return { passes: losses.length, steps: totals.length, total: totals[0] };
    };
    expect(await count(0)).toEqual({ passes: 2, steps: 2 * perEpoch, total: 2 * perEpoch });
    const more = Math.ceil(40 / perEpoch);
    expect(await count(40)).toEqual({ passes: more, steps: more * perEpoch, total: more * perEpoch });
    expect(await count(perEpoch, 3)).toEqual({ passes: 3, steps: 3 * perEpoch, total: 3 * perEpoch });
    policy.dispose();
  });

  it('label smoothing: still learns the preference, with smaller margins, and leaks nothing', async () => {
    const policy = new GPT(config, 1);
    const pairs = likedTokenPairs(60, 4);
    const margins = async (labelSmoothing: number) => {
      const rm = new RewardModel(policy, 31, {
        ensembleSize: 1,
        epochs: 12,
        learningRate: 3e-3,
        labelSmoothing,
        seed: 2,
      });
      let result = { accuracy: 0, margin: 0 };
      const leaked = await tensorsLeaked(async () => {
        await rm.train(pairs);
        const chosen = await rm.score(
          pairs.map((p) => p.prompt),
          pairs.map((p) => p.chosen),
        );
        const rejected = await rm.score(
          pairs.map((p) => p.prompt),
          pairs.map((p) => p.rejected),
        );
        const gaps = chosen.mean.map((c, i) => c - rejected.mean[i]);
        result = {
          accuracy: gaps.filter((g) => g > 0).length / gaps.length,
          margin: gaps.reduce((a, g) => a + Math.abs(g), 0) / gaps.length,
        };
      });
      expect(leaked).toBe(0);
      rm.dispose();
      return result;
    };
    const sharp = await margins(0);
    const smooth = await margins(0.2);
    expect(sharp.accuracy).toBeGreaterThan(0.85);
    expect(smooth.accuracy).toBeGreaterThan(0.85);
    // The optimum of a smoothed label is a finite margin, log((1-ε)/ε) = 1.39 at ε = 0.2.
    expect(smooth.margin).toBeLessThan(sharp.margin);
    policy.dispose();
  }, 120_000);

  it('with trainableLayers K only the last K blocks, the final layer norm and the heads move; it still learns', async () => {
    const policy = new GPT(config, 1);
    // Every weight name of the tiny 2-block model, sorted into trained and kept by a plain rule.
    const names = [...(await policy.params.read()).keys(), 'score.weight', 'score.bias'];
    const plain = (name: string) => /^transformer\.(h\.1\.|ln_f\.)/.test(name) || name.startsWith('score.');
    expect(names.filter(trainableWeight(2, 1))).toEqual(names.filter(plain));
    expect(names.filter(trainableWeight(2, 0))).toEqual(names);
    expect(names.filter(trainableWeight(2, 2))).toEqual(names.filter((n) => !/^transformer\.w[tp]e\./.test(n)));
    const rm = new RewardModel(policy, 31, {
      ensembleSize: 2,
      epochs: 6,
      learningRate: 3e-3,
      trainableLayers: 1,
      seed: 2,
    });
    const start = new Map([...(await rm.model.trunk.params.read()), ...(await rm.model.head.read())]);
    const pairs = likedTokenPairs(120, 3);
    const leaked = await tensorsLeaked(async () => {
      await rm.train(pairs);
    });
    expect(leaked).toBe(0);
    const end = new Map([...(await rm.model.trunk.params.read()), ...(await rm.model.head.read())]);
    for (const [name, w] of start) {
      const moved = w.data.some((x, i) => x !== end.get(name)!.data[i]);
      expect(moved, name).toBe(plain(name));
    }
    expect((await rm.evaluate(pairs)).accuracy).toBeGreaterThan(0.8);
    rm.dispose();
    const refused = (() => {
      try {
        new RewardModel(policy, 31, { trainableLayers: 3 });
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).detail).toMatchObject({ code: 'NUMBER_BETWEEN', params: { max: 2, got: '3' } });
    policy.dispose();
  }, 120_000);

  it('learns a preference: held-out accuracy high, scores ordered, ensemble disagrees off-data', async () => {
    const policy = new GPT(config, 1);
    const rm = new RewardModel(policy, 31, { ensembleSize: 3, epochs: 6, learningRate: 3e-3, seed: 2 });
    const pairs = likedTokenPairs(120, 3);
    const before = await rm.evaluate(pairs);
    const losses = await rm.train(pairs);
    const after = await rm.evaluate(pairs);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect(after.accuracy).toBeGreaterThan(0.85);
    expect(after.accuracy).toBeGreaterThan(before.accuracy);
    expect(after.pairs).toBe(12);
    expect(after.calibration.reduce((n, b) => n + b.count, 0)).toBe(24);
    const scores = await rm.score(
      [
        [1, 2],
        [1, 2],
      ],
      [
        [LIKED, LIKED, LIKED, LIKED, 20, 21],
        [20, 21, 22, 23, 24, 25],
      ],
    );
    expect(scores.mean[0]).toBeGreaterThan(scores.mean[1]);
    expect(scores.disagreement.every((d) => d > 0)).toBe(true);
    rm.dispose();
    policy.dispose();
  }, 120_000);

  it('says how many held-out pairs have a winner: none when they are all ties (accuracy undefined)', async () => {
    const policy = new GPT(config, 4);
    const rm = new RewardModel(policy, 31, { ensembleSize: 2 });
    const pairs = likedTokenPairs(40, 8);
    const held = pairs.filter((p) => isHeldOut(p.key)).length;
    expect(await rm.evaluate(pairs)).toMatchObject({ pairs: held, decided: held });
    const ties = await rm.evaluate(pairs.map((p) => ({ ...p, target: 0.5 })));
    expect(ties).toMatchObject({ pairs: held, decided: 0 });
    expect(ties.accuracy).toBeNaN();
    rm.dispose();
    policy.dispose();
  });

  it('reports each held-out pair: its P(chosen better) from the scores, its loss, their mean the loss', async () => {
    const policy = new GPT(config, 4);
    const rm = new RewardModel(policy, 31, { ensembleSize: 2 });
    const pairs = likedTokenPairs(40, 8);
    const held = pairs.filter((p) => isHeldOut(p.key));
    const result = await rm.evaluate(pairs);
    expect(result.perPair.map((o) => o.pair)).toEqual(held);
    // P(chosen) from the ensemble-mean scores, computed here on its own, one pair at a time.
    for (const { pair, pChosen, loss } of result.perPair) {
      const s = await rm.score([pair.prompt, pair.prompt], [pair.chosen, pair.rejected]);
      const sd = rm.normalization.std;
      expect(pChosen).toBeCloseTo(1 / (1 + Math.exp(-(s.mean[0] - s.mean[1]) * sd)), 5);
      expect(loss).toBeCloseTo(-(pair.target * Math.log(pChosen) + (1 - pair.target) * Math.log(1 - pChosen)), 6);
    }
    const mean = result.perPair.reduce((a, o) => a + o.loss, 0) / result.perPair.length;
    expect(mean).toBeCloseTo(result.loss, 10);
    rm.dispose();
    policy.dispose();
  });

  it('normalises scores to mean 0 and std 1 on reference samples', async () => {
    const policy = new GPT(config, 4);
    const rm = new RewardModel(policy, 31, { ensembleSize: 2 });
    const prompts = Array.from({ length: 10 }, (_, i) => [i + 1]);
    const responses = Array.from({ length: 10 }, (_, i) => [i + 3, i + 4, 30 - i]);
    await rm.normalize(prompts, responses);
    const { mean } = await rm.score(prompts, responses);
    const m = mean.reduce((a, b) => a + b, 0) / mean.length;
    const sd = Math.sqrt(mean.reduce((a, x) => a + (x - m) ** 2, 0) / mean.length);
    expect(m).toBeCloseTo(0, 4);
    expect(sd).toBeCloseTo(1, 3);
    rm.dispose();
    policy.dispose();
  });

  it('trains with FGM perturbations and ties, leaks nothing, and refuses an empty preference set', async () => {
    const policy = new GPT(config, 5);
    const rm = new RewardModel(policy, 31, { ensembleSize: 2, epochs: 1, fgmEpsilon: 0.05 });
    const pairs = likedTokenPairs(16, 6).map((p, i) => (i % 4 === 0 ? { ...p, target: 0.5 } : p));
    await rm.train(pairs); // creates optimiser state
    expect(await tensorsLeaked(() => rm.train(pairs))).toBe(0);
    await expect(rm.train([])).rejects.toMatchObject({
      code: 'NOT_ENOUGH_LABELS',
      detail: { code: 'NO_PAIRS_TO_TRAIN', params: { algorithm: null, reason: 'none', count: 0 } },
    });
    rm.dispose();
    policy.dispose();
  });
});
