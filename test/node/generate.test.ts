import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT, type KVCache } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { generate, leftPad } from '../../src/engine/generate/generate';
import { logSoftmaxRow } from '../../src/engine/generate/sampling';
import { Rng } from '../../src/engine/rng';
import { maxAbsDiff, tensorsLeaked } from '../helpers/tensors';
import { rejectedSentence } from '../helpers/sentence';

const config = { ...GPT_PRESETS.tiny, vocabSize: 50, blockSize: 24 };
const prompts = [[5, 6, 7, 8, 9, 10], [11], [12, 13, 14]]; // different lengths in one batch

/** Logits at the last column of the full sequence, recomputed from scratch (no cache). */
function fullRecompute(model: GPT, ids: number[][], mask: number[][], positions: number[][]): number[][] {
  return tf.tidy(() => {
    const logits = model.logits(tf.tensor2d(ids, undefined, 'int32'), {
      keyMask: tf.tensor2d(mask, undefined, 'int32'),
      positions: tf.tensor2d(positions, undefined, 'int32'),
    });
    const T = ids[0].length;
    return tf.squeeze(tf.slice(logits, [0, T - 1, 0], [-1, 1, -1]), [1]).arraySync() as number[][];
  });
}

describe('KV-cache decoding', () => {
  it('matches full recompute at every step for a padded batch of different-length prompts', () => {
    const model = new GPT(config, 1);
    const batch = leftPad(prompts, 0);
    const rng = new Rng(2);
    let cache: KVCache | undefined;
    let stepIds = batch.ids;
    let stepPos = batch.positions;
    const all = batch.ids.map((r) => [...r]);
    const mask = batch.mask.map((r) => [...r]);
    const pos = batch.positions.map((r) => [...r]);
    for (let step = 0; step < 10; step++) {
      const out = tf.tidy(() => {
        const h = model.hidden(tf.tensor2d(stepIds, undefined, 'int32'), {
          positions: tf.tensor2d(stepPos, undefined, 'int32'),
          keyMask: tf.tensor2d(mask, undefined, 'int32'),
          past: cache,
        });
        const T = stepIds[0].length;
        const last = model.lmHead(tf.slice(h.hidden, [0, T - 1, 0], [-1, 1, -1]) as tf.Tensor3D);
        return { last: tf.squeeze(last, [1]), present: h.present };
      });
      const cached = out.last.arraySync() as number[][];
      const full = fullRecompute(model, all, mask, pos);
      expect(maxAbsDiff(cached.flat(), full.flat())).toBeLessThan(1e-4);
      out.last.dispose();
      for (const l of cache ?? []) tf.dispose([l.k, l.v]);
      cache = out.present;
      const next = all.map(() => rng.int(config.vocabSize)); // teacher-forced next tokens
      const nextPos = pos.map((r) => r[r.length - 1] + 1);
      all.forEach((r, b) => r.push(next[b]));
      mask.forEach((r) => r.push(1));
      pos.forEach((r, b) => r.push(nextPos[b]));
      stepIds = next.map((t) => [t]);
      stepPos = nextPos.map((p) => [p]);
    }
    for (const l of cache ?? []) tf.dispose([l.k, l.v]);
    model.dispose();
  });

  it('a left-padded prompt gets the same logits as the same prompt alone', () => {
    const model = new GPT(config, 3);
    const batch = leftPad(prompts, 0);
    const batched = fullRecompute(model, batch.ids, batch.mask, batch.positions);
    prompts.forEach((p, b) => {
      const alone = fullRecompute(model, [p], [p.map(() => 1)], [p.map((_, i) => i)]);
      expect(maxAbsDiff(batched[b], alone[0])).toBeLessThan(1e-4);
    });
    model.dispose();
  });
});

describe('generate', () => {
  it('greedy batched generation equals a naive greedy loop without cache, per prompt', async () => {
    const model = new GPT(config, 4);
    const got = await generate(model, prompts, { maxNewTokens: 8, greedy: true });
    prompts.forEach((p, b) => {
      const seq = [...p];
      for (let t = 0; t < 8; t++) {
        const row = fullRecompute(model, [seq], [seq.map(() => 1)], [seq.map((_, i) => i)])[0];
        const next = row.indexOf(Math.max(...row));
        expect(got[b].tokens[t]).toBe(next);
        expect(got[b].logProbs[t]).toBeCloseTo(logSoftmaxRow(row)[next], 4);
        seq.push(next);
      }
    });
    model.dispose();
  });

  it('reproduces with a seed, differs with another, and stops rows at end-of-text', async () => {
    const model = new GPT(config, 5);
    const opts = { maxNewTokens: 12, temperature: 1.5, seed: 42, eosId: 3 };
    const a = await generate(model, prompts, opts);
    const b = await generate(model, prompts, opts);
    const c = await generate(model, prompts, { ...opts, seed: 43 });
    expect(a).toEqual(b);
    expect(a.map((g) => g.tokens)).not.toEqual(c.map((g) => g.tokens));
    for (const g of [...a, ...c]) {
      const eos = g.tokens.indexOf(3);
      if (eos >= 0) expect([eos, g.finishReason]).toEqual([g.tokens.length - 1, 'eos']);
      else expect([g.tokens.length, g.finishReason]).toEqual([12, 'length']);
    }
    model.dispose();
  });

  it('top-k 1 equals greedy; top-p keeps sampled tokens inside the nucleus', async () => {
    const model = new GPT(config, 6);
    const greedy = await generate(model, prompts, { maxNewTokens: 6, greedy: true });
    const topK1 = await generate(model, prompts, { maxNewTokens: 6, topK: 1, seed: 9 });
    expect(topK1.map((g) => g.tokens)).toEqual(greedy.map((g) => g.tokens));
    const sampled = await generate(model, [prompts[0]], { maxNewTokens: 1, topP: 0.3, seed: 1 });
    const row = fullRecompute(model, [prompts[0]], [prompts[0].map(() => 1)], [prompts[0].map((_, i) => i)])[0];
    const logp = logSoftmaxRow(row);
    const order = [...logp.keys()].sort((x, y) => logp[y] - logp[x]);
    let mass = 0;
    const nucleus: number[] = [];
    for (const id of order) {
      if (mass >= 0.3) break;
      nucleus.push(id);
      mass += Math.exp(logp[id]);
    }
    expect(nucleus).toContain(sampled[0].tokens[0]);
    model.dispose();
  });

  it('stops when the context is full, and refuses prompts that do not fit', async () => {
    const model = new GPT(config, 7);
    const long = Array.from({ length: 20 }, (_, i) => i);
    const [g] = await generate(model, [long], { maxNewTokens: 50, greedy: true });
    expect([g.tokens.length, g.finishReason]).toEqual([4, 'length']);
    const tooLong = Array.from({ length: 24 }, (_, i) => i);
    expect(await rejectedSentence(generate(model, [tooLong], { maxNewTokens: 1 }))).toMatch(
      /Prompt 0 is 24 tokens, but the model's context is 24 tokens/,
    );
    expect(await rejectedSentence(generate(model, [[]], { maxNewTokens: 1 }))).toMatch(/Prompt 0 is empty/);
    expect(await rejectedSentence(generate(model, [[1, 99]], { maxNewTokens: 1 }))).toMatch(
      /token id 99, outside the vocabulary/,
    );
    await expect(generate(model, [], { maxNewTokens: 1 })).rejects.toMatchObject({
      code: 'BAD_PROMPT',
      detail: { code: 'NO_PROMPTS', params: {} },
    });
    await expect(generate(model, [[1]], { maxNewTokens: 0 })).rejects.toMatchObject({
      detail: { code: 'OUT_OF_RANGE', params: { field: 'maxNewTokens', got: '0', rule: 'positiveInteger' } },
    });
    await expect(generate(model, [[1]], { maxNewTokens: 1, temperature: 0 })).rejects.toMatchObject({
      detail: { code: 'OUT_OF_RANGE', params: { field: 'temperature', got: '0', rule: 'positiveNumber' } },
    });
    model.dispose();
  });

  it('leaks no tensors', async () => {
    const model = new GPT(config, 8);
    expect(await tensorsLeaked(() => generate(model, prompts, { maxNewTokens: 10, seed: 1 }))).toBe(0);
    model.dispose();
  });
});
