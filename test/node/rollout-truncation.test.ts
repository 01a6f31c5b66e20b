// Top-k / top-p in the tuning rollout: sampled tokens stay inside the kept set, and the log-probs
// match a plain-loop reference — renormalised over the kept ids (policy and reference) when
// matched, the full softmax when not. No tensors left behind by the rollout or a PPO iteration.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { sampleToken } from '../../src/engine/generate/sampling';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { PPOTrainer } from '../../src/engine/rl/ppo';
import { collectRollout, type Rollout, type Scorer } from '../../src/engine/rl/rollout';
import { responseHidden, sequenceTensors } from '../../src/engine/rl/sequences';
import { Rng } from '../../src/engine/rng';
import { CHAR_EOS, charCodec } from '../helpers/char-codec';
import { tensorsLeaked } from '../helpers/tensors';

const config = { ...GPT_PRESETS.tiny, vocabSize: 32, blockSize: 32 };
const T = 0.8;
const prompts = ['the dog', 'a cat', 'so'].map((p) => charCodec.encode(p));
const lengthScorer: Scorer = { score: async (_p, rs) => ({ mean: rs.map((r) => r.length / 10) }) };

/** Plain loop: softmax(row / T) in float64, ids sorted by probability, cut by top-k then top-p. */
function plainKept(row: ArrayLike<number>, topK: number, topP: number): { p: number[]; kept: Set<number> } {
  const z = Array.from(row, (x) => x / T);
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  const p = e.map((x) => x / s);
  let ids = p.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
  if (topK > 0) ids = ids.slice(0, topK);
  if (topP < 1) {
    let mass = 0;
    let n = 0;
    while (n < ids.length && mass < topP) mass += p[ids[n++]];
    ids = ids.slice(0, Math.max(1, n));
  }
  return { p, kept: new Set(ids) };
}

/** Logits [B][Lr][V] of `model` at every response position of the rollout. */
async function responseLogits(model: GPT, r: Rollout): Promise<number[][][]> {
  const t = sequenceTensors(r.seq);
  const out = tf.tidy(() => model.lmHead(responseHidden(model, r.seq, t)));
  const arr = (await out.array()) as number[][][];
  tf.dispose([out, ...Object.values(t)]);
  return arr;
}

function rollout(policy: GPT, reference: GPT, topK: number, topP: number, matchedLogProbs: boolean, minNewTokens = 0) {
  return collectRollout(policy, reference, null, lengthScorer, prompts, {
    samplesPerPrompt: 4,
    maxNewTokens: 12,
    temperature: T,
    topK,
    topP,
    minNewTokens,
    matchedLogProbs,
    missingEosPenalty: 0,
    seed: 5,
    eosId: CHAR_EOS,
    padId: CHAR_EOS,
  });
}

describe('truncated sampling', () => {
  it('sampleToken only returns ids inside the plain top-k / top-p set, and reports that set', () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 200; trial++) {
      const row = Array.from({ length: 32 }, () => 4 * (rng.next() - 0.5));
      for (const [topK, topP] of [
        [3, 1],
        [0, 0.6],
        [5, 0.8],
      ]) {
        const { kept } = plainKept(row, topK, topP);
        const s = sampleToken(row, { temperature: T, topK, topP }, rng, true);
        expect(kept.has(s.token)).toBe(true);
        expect(new Set(s.kept)).toEqual(kept);
      }
    }
  });

  for (const [topK, topP] of [
    [4, 1],
    [0, 0.7],
  ]) {
    it(`top-k ${topK}, top-p ${topP}: matched log-probs equal the plain renormalised ones, policy and reference`, async () => {
      const policy = new GPT(config, 3);
      const reference = new GPT(config, 4); // a different model, so the reference's renormalisation is visible
      const r = await rollout(policy, reference, topK, topP, true);
      const [pol, ref] = [await responseLogits(policy, r), await responseLogits(reference, r)];
      expect(r.kept).not.toBeNull();
      let checked = 0;
      r.responses.forEach((tokens, b) =>
        tokens.forEach((tok, j) => {
          const { p, kept } = plainKept(pol[b][j], topK, topP);
          expect(kept.has(tok)).toBe(true); // every sampled token inside the policy's kept set
          expect(new Set(r.kept![b][j])).toEqual(kept);
          const mass = [...kept].reduce((a, i) => a + p[i], 0);
          expect(r.logp[b][j]).toBeCloseTo(Math.log(p[tok] / mass), 4);
          const q = plainKept(ref[b][j], 0, 1).p; // the reference's softmax, renormalised over the same ids
          const refMass = [...kept].reduce((a, i) => a + q[i], 0);
          expect(r.refLogp[b][j]).toBeCloseTo(Math.log(q[tok] / refMass), 4);
          checked++;
        }),
      );
      expect(checked).toBeGreaterThan(20);
      policy.dispose();
      reference.dispose();
    });
  }

  it('unmatched: the same samples scored under the full softmax (the log-probs behind negative KL)', async () => {
    const policy = new GPT(config, 3);
    const reference = new GPT(config, 4);
    const matched = await rollout(policy, reference, 4, 1, true);
    const r = await rollout(policy, reference, 4, 1, false);
    expect(r.responses).toEqual(matched.responses); // same seed, same samples
    expect(r.kept).toBeNull();
    const pol = await responseLogits(policy, r);
    r.responses.forEach((tokens, b) =>
      tokens.forEach((tok, j) => {
        const { p, kept } = plainKept(pol[b][j], 4, 1);
        expect(kept.has(tok)).toBe(true);
        expect(r.logp[b][j]).toBeCloseTo(Math.log(p[tok]), 4);
        expect(r.logp[b][j]).toBeLessThan(matched.logp[b][j]); // full softmax: lower by log(kept mass)
      }),
    );
    policy.dispose();
    reference.dispose();
  });

  it('a banned id (end-of-text before a minimum length) is never sampled; top-p applies to the renormalised rest', () => {
    const rng = new Rng(2);
    for (let trial = 0; trial < 200; trial++) {
      const row = Array.from({ length: 32 }, () => 4 * (rng.next() - 0.5));
      row[CHAR_EOS] = 6; // end-of-text the likeliest token by far
      for (const topP of [1, 0.6]) {
        const { p } = plainKept(row, 0, 1);
        // Plain reference: drop end-of-text, renormalise, then the nucleus of what is left.
        const rest = p.map((x, i) => (i === CHAR_EOS ? 0 : x / (1 - p[CHAR_EOS])));
        const ids = rest
          .map((_, i) => i)
          .filter((i) => i !== CHAR_EOS)
          .sort((a, b) => rest[b] - rest[a] || a - b);
        let [mass, n] = [0, 0];
        while (n < ids.length && mass < topP) mass += rest[ids[n++]];
        const kept = new Set(topP < 1 ? ids.slice(0, Math.max(1, n)) : ids);
        const s = sampleToken(row, { temperature: T, topP }, rng, true, CHAR_EOS);
        expect(s.token).not.toBe(CHAR_EOS);
        expect(new Set(s.kept)).toEqual(kept);
      }
    }
  });

  it('minimum length: no end-of-text before it; matched log-probs drop its mass, unmatched keep the full softmax', async () => {
    const policy = new GPT(config, 3);
    const reference = new GPT(config, 4);
    const min = 8;
    const matched = await rollout(policy, reference, 0, 1, true, min);
    const r = await rollout(policy, reference, 0, 1, false, min);
    expect(r.responses).toEqual(matched.responses); // same seed, same samples
    expect(r.kept).toBeNull();
    const free = await rollout(policy, reference, 0, 1, true, 0);
    expect(free.kept).toBeNull(); // nothing truncated, nothing recorded
    const [pol, ref] = [await responseLogits(policy, matched), await responseLogits(reference, matched)];
    let checked = 0;
    for (const steps of matched.kept!) expect(steps).toHaveLength(min); // nothing dropped, nothing recorded
    matched.responses.forEach((tokens, b) =>
      tokens.forEach((tok, j) => {
        const p = plainKept(pol[b][j], 0, 1).p;
        const q = plainKept(ref[b][j], 0, 1).p;
        expect(r.logp[b][j]).toBeCloseTo(Math.log(p[tok]), 4);
        if (j < min) {
          expect(tok).not.toBe(CHAR_EOS);
          expect(matched.kept![b][j]).not.toContain(CHAR_EOS);
          expect(matched.kept![b][j]).toHaveLength(config.vocabSize - 1);
          expect(matched.logp[b][j]).toBeCloseTo(Math.log(p[tok] / (1 - p[CHAR_EOS])), 4);
          expect(matched.refLogp[b][j]).toBeCloseTo(Math.log(q[tok] / (1 - q[CHAR_EOS])), 4);
          checked++;
        } else {
          expect(matched.logp[b][j]).toBeCloseTo(Math.log(p[tok]), 4); // past the minimum: every id kept
        }
      }),
    );
    expect(checked).toBe(matched.responses.length * min);
    policy.dispose();
    reference.dispose();
  });

  it('a rollout and a PPO iteration with matched top-k leave no tensors behind', async () => {
    const policy = new GPT(config, 3);
    const reference = policy.clone();
    const value = null;
    expect(await tensorsLeaked(() => rollout(policy, reference, 4, 0.9, true))).toBe(0);
    const ids = { eosId: CHAR_EOS, padId: CHAR_EOS };
    const cfg = { maxNewTokens: 8, topK: 4, matchedLogProbs: true, valueInit: 'zeros' as const, seed: 2 };
    const trainer = new PPOTrainer(policy, reference, lengthScorer, value, ids, cfg);
    await trainer.iteration(prompts); // optimiser state is made on the first step
    const leaked = await tensorsLeaked(async () => {
      const result = await trainer.iteration(prompts);
      expect(Number.isFinite(result.metrics['objective/kl'])).toBe(true);
      expect(result.rollout!.kept).not.toBeNull();
    });
    expect(leaked).toBe(0);
    trainer.dispose();
    policy.dispose();
    reference.dispose();
  });
});
