import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GPT } from '../../src/engine/model/gpt';
import { GPT_PRESETS } from '../../src/engine/model/config';
import { loadCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { decodeSafetensors, encodeSafetensors } from '../../src/engine/checkpoint/safetensors';
import { maxAbsDiff } from '../helpers/tensors';
import { thrownSentence } from '../helpers/sentence';

const tiny = GPT_PRESETS.tiny;
const tokenizerLike = (fingerprint: string, vocabSize = tiny.vocabSize) => ({
  fingerprint: () => fingerprint,
  vocabSize,
});
const meta = { name: 'test', tokenizerFingerprint: 'abc123', info: { step: 7 } };

async function saved(seed = 1): Promise<Uint8Array> {
  const model = new GPT(tiny, seed);
  const bytes = await saveCheckpoint(model, meta);
  model.dispose();
  return bytes;
}

/** Re-encodes a checkpoint after changing its tensors or metadata. */
function edit(
  bytes: Uint8Array,
  change: (t: Map<string, { shape: number[]; data: Float32Array }>, m: Record<string, string>) => void,
): Uint8Array {
  const file = decodeSafetensors(bytes);
  const tensors = new Map(
    [...file.tensors].map(([n, e]) => [n, { shape: e.shape, data: new Float32Array(e.data.slice().buffer) }]),
  );
  const metadata = { ...file.metadata };
  change(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

describe('checkpoints', () => {
  it('round-trip: same weights bit for bit, same logits, same metadata', async () => {
    const model = new GPT(tiny, 3);
    const bytes = await saveCheckpoint(model, meta);
    const { model: loaded, metadata } = loadCheckpoint(bytes, { tokenizer: tokenizerLike('abc123') });
    expect(metadata).toMatchObject({ name: 'test', tokenizerFingerprint: 'abc123', info: { step: 7 } });
    expect(loaded.config).toEqual(model.config);
    for (const [name, v] of model.params.entries())
      expect(maxAbsDiff(v.dataSync(), loaded.params.get(name).dataSync())).toBe(0);
    const ids = tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32');
    const [a, b] = [model, loaded].map((m) => tf.tidy(() => m.logits(ids).dataSync()));
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([ids]);
    model.dispose();
    loaded.dispose();
  });

  it('says exactly what is wrong with a bad file', async () => {
    const good = await saved();
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated', good.slice(0, good.length - 10), /truncated/],
      [
        'not ours',
        edit(good, (_, m) => {
          m.format = 'something-else';
        }),
        /not an RLHF Playground checkpoint/,
      ],
      [
        'unknown config field',
        edit(good, (_, m) => {
          m.config = JSON.stringify({ ...tiny, nLayers: 3 });
        }),
        /unknown config field.*"nLayers"/,
      ],
      [
        'config not JSON',
        edit(good, (_, m) => {
          m.config = '{nope';
        }),
        /"config" is not valid JSON/,
      ],
      [
        'missing tensor',
        edit(good, (t) => {
          t.delete('transformer.h.1.mlp.c_fc.bias');
        }),
        /tensor transformer\.h\.1\.mlp\.c_fc\.bias is missing/,
      ],
      [
        'extra tensor',
        edit(good, (t) => {
          t.set('lm_head.extra', { shape: [1], data: new Float32Array(1) });
        }),
        /unexpected tensor.*lm_head\.extra/,
      ],
      [
        'wrong shape',
        edit(good, (t) => {
          t.set('transformer.ln_f.bias', { shape: [8], data: new Float32Array(8) });
        }),
        /transformer\.ln_f\.bias has shape \[8\], but the config needs \[16\]/,
      ],
      [
        'NaN weight',
        edit(good, (t) => {
          t.get('transformer.wpe.weight')!.data[5] = NaN;
        }),
        /tensor transformer\.wpe\.weight: value at index 5 is NaN/,
      ],
    ];
    for (const [what, bytes, message] of cases) {
      const sentence = thrownSentence(() => loadCheckpoint(bytes, { source: 'bad.safetensors' }));
      expect(sentence, what).toMatch(message);
      expect(sentence, what).toMatch(/^bad\.safetensors/);
    }
  });

  it('refuses a tokenizer that is not the one the model was trained with', async () => {
    const good = await saved();
    expect(thrownSentence(() => loadCheckpoint(good, { tokenizer: tokenizerLike('other') }))).toMatch(
      /trained with tokenizer abc123, but the tokenizer given is other/,
    );
    expect(thrownSentence(() => loadCheckpoint(good, { tokenizer: tokenizerLike('abc123', 99) }))).toMatch(
      /tokenizer has 99 tokens but the model's vocabulary is 64/,
    );
  });

  it('refuses to save NaN weights', async () => {
    const model = new GPT(tiny, 4);
    model.params.get('transformer.h.0.ln_1.weight').assign(tf.fill([16], NaN));
    await expect(saveCheckpoint(model, meta)).rejects.toMatchObject({ code: 'NUMERICAL' });
    model.dispose();
  });
});

describe('checkpoint pairs', () => {
  it('refuses to pair checkpoints trained with different tokenizers', async () => {
    const { assertCompatible } = await import('../../src/engine/checkpoint/checkpoint');
    const a = loadCheckpoint(await saved(1), { source: 'policy.safetensors' });
    const b = loadCheckpoint(
      edit(await saved(2), (_, m) => {
        m.tokenizer_fingerprint = 'fff000';
      }),
      { source: 'reference.safetensors' },
    );
    const side = (x: typeof a, source: string) => ({ metadata: x.metadata, config: x.model.config, source });
    expect(() => assertCompatible(side(a, 'policy.safetensors'), side(a, 'other.safetensors'))).not.toThrow();
    expect(() => assertCompatible(side(a, 'policy.safetensors'), side(b, 'reference.safetensors'))).toThrow(
      expect.objectContaining({
        code: 'BAD_TOKENIZER',
        detail: {
          code: 'CHECKPOINTS_TOKENIZERS',
          params: {
            first: 'policy.safetensors',
            second: 'reference.safetensors',
            firstTokenizer: 'abc123',
            secondTokenizer: 'fff000',
          },
        },
      }),
    );
    a.model.dispose();
    b.model.dispose();
  });
});
