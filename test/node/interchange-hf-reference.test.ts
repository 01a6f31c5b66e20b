import { encodeCheckpoint } from '../../src/engine/checkpoint/checkpoint';
// The exported directory means what Hugging Face means by it: GPT-2 logits computed from
// config.json and model.safetensors alone, with plain loops written from GPT2LMHeadModel's
// definition (Conv1D y = x·W + b, c_attn split into q, k, v, heads as contiguous column blocks,
// gelu_new, tied LM head), match the engine's logits for the checkpoint that was exported.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { decodeSafetensors, toFloat32 } from '../../src/engine/checkpoint/safetensors';
import { exportHfGpt2 } from '../../src/engine/interchange/hf-gpt2';
import { maxAbsDiff } from '../helpers/tensors';
import { randomWeights, tinyConfig, tinyTokenizer } from './storage-fixtures';

type Matrix = number[][];

/** x [T, n] · W [n, m] + b [m], W stored row-major as HF's Conv1D stores it. */
function conv1d(x: Matrix, w: Float32Array, b: Float32Array): Matrix {
  const m = b.length;
  return x.map((row) => Array.from({ length: m }, (_, j) => row.reduce((s, v, i) => s + v * w[i * m + j], b[j])));
}

function layerNorm(x: Matrix, w: Float32Array, b: Float32Array, eps: number): Matrix {
  return x.map((row) => {
    const mean = row.reduce((s, v) => s + v, 0) / row.length;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i] + b[i]);
  });
}

const geluNew = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const add = (x: Matrix, y: Matrix): Matrix => x.map((row, t) => row.map((v, i) => v + y[t][i]));

/** Causal multi-head self-attention on qkv [T, 3C]: returns the heads' outputs concatenated, [T, C]. */
function attention(qkv: Matrix, C: number, nh: number): Matrix {
  const hs = C / nh;
  return qkv.map((_, t) => {
    const out = new Array<number>(C).fill(0);
    for (let h = 0; h < nh; h++) {
      const q = (r: number, i: number) => qkv[r][h * hs + i];
      const k = (r: number, i: number) => qkv[r][C + h * hs + i];
      const v = (r: number, i: number) => qkv[r][2 * C + h * hs + i];
      const scores = Array.from(
        { length: t + 1 },
        (_, s) => Array.from({ length: hs }, (_, i) => q(t, i) * k(s, i)).reduce((a, b) => a + b, 0) / Math.sqrt(hs),
      );
      const top = Math.max(...scores);
      const weights = scores.map((s) => Math.exp(s - top));
      const total = weights.reduce((a, b) => a + b, 0);
      for (let i = 0; i < hs; i++) out[h * hs + i] = weights.reduce((acc, w, s) => acc + (w / total) * v(s, i), 0);
    }
    return out;
  });
}

/** GPT2LMHeadModel's forward pass from the directory's files: ids [T] -> logits [T, V]. */
function referenceLogits(files: Map<string, Uint8Array>, ids: number[]): Matrix {
  const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as Record<string, number>;
  const tensors = decodeSafetensors(files.get('model.safetensors')!).tensors;
  const p = (name: string) => toFloat32(tensors.get(`transformer.${name}`)!, name);
  const [C, eps] = [config.n_embd, config.layer_norm_epsilon];
  const [wte, wpe] = [p('wte.weight'), p('wpe.weight')];
  let h: Matrix = ids.map((id, t) => Array.from({ length: C }, (_, i) => wte[id * C + i] + wpe[t * C + i]));
  for (let l = 0; l < config.n_layer; l++) {
    const L = (name: string) => p(`h.${l}.${name}`);
    const a = layerNorm(h, L('ln_1.weight'), L('ln_1.bias'), eps);
    const y = attention(conv1d(a, L('attn.c_attn.weight'), L('attn.c_attn.bias')), C, config.n_head);
    h = add(h, conv1d(y, L('attn.c_proj.weight'), L('attn.c_proj.bias')));
    const m = conv1d(layerNorm(h, L('ln_2.weight'), L('ln_2.bias'), eps), L('mlp.c_fc.weight'), L('mlp.c_fc.bias')).map(
      (row) => row.map(geluNew),
    );
    h = add(h, conv1d(m, L('mlp.c_proj.weight'), L('mlp.c_proj.bias')));
  }
  const final = layerNorm(h, p('ln_f.weight'), p('ln_f.bias'), eps);
  return final.map((row) =>
    Array.from({ length: config.vocab_size }, (_, v) => row.reduce((s, x, i) => s + x * wte[v * C + i], 0)),
  );
}

describe('exported GPT-2 against an independent forward pass', () => {
  it('gives the engine logits from config.json and model.safetensors alone', () => {
    const config = tinyConfig();
    // Large weights, so attention is far from uniform and a scrambled head or q/k/v order shows.
    const weights = randomWeights(config, 31, 0.5);
    const meta = { name: 'reference', tokenizerFingerprint: tinyTokenizer().fingerprint(), createdAt: '', info: {} };
    const checkpoint = encodeCheckpoint(weights, config, meta);
    const files = exportHfGpt2(checkpoint, tinyTokenizer());
    const ids = [3, 100, 7, 261, 42, 5];
    const expected = referenceLogits(files, ids).flat();
    const { model } = loadCheckpoint(checkpoint);
    const input = tf.tensor2d([ids], undefined, 'int32');
    const actual = tf.tidy(() => model.logits(input).dataSync());
    tf.dispose(input);
    model.dispose();
    const scale = Math.max(...expected.map(Math.abs));
    expect(scale).toBeGreaterThan(1);
    expect(maxAbsDiff(actual, expected) / scale).toBeLessThan(1e-4);
  });
});
