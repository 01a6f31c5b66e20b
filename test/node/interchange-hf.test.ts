// Hugging Face GPT-2 directories: what export writes, import of it back bit for bit, the Hub's
// older layout and half-precision files, refusals, the database round trip and the Node commands.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { decodeSafetensors } from '../../src/engine/checkpoint/safetensors';
import { EngineError } from '../../src/engine/errors';
import { MAX_IMPORT_PARAMS } from '../../src/engine/interchange/hf-config';
import { exportHfGpt2, importHfGpt2, type FileMap } from '../../src/engine/interchange/hf-gpt2';
import { readCheckpointWeights } from '../../src/engine/interchange/weights';
import { gptParamSpecs } from '../../src/engine/model/params';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { currentCheckpoint } from '../../src/storage/checkpoints';
import { toFileMap, toHfFiles } from '../../src/contract/hf-model';
import { hfExportSource, saveHfModel } from '../../src/storage/hf-models';
import { exportHfModel, importHfModel } from '../../src/workers/hf-convert';
import {
  rawSafetensors,
  rawTensors,
  scratchDB,
  tinyCheckpoint,
  tinyConfig,
  tinyTokenizer,
  type RawTensor,
} from './storage-fixtures';
import { thrownSentence } from '../helpers/sentence';

const options = { name: 'imported', createdAt: '2025-02-03T04:05:06.000Z' };
const json = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
const withFile = (files: FileMap, name: string, bytes: Uint8Array): Map<string, Uint8Array> =>
  new Map([...files, [name, bytes]]);

/** The same tensor bits, from two files: F32 compared as raw bytes. */
function expectSameWeights(a: Uint8Array, b: Uint8Array): void {
  const [x, y] = [readCheckpointWeights(a).weights, readCheckpointWeights(b).weights];
  expect([...y.keys()].sort()).toEqual([...x.keys()].sort());
  for (const [name, t] of x)
    expect(new Uint8Array(y.get(name)!.data.buffer), name).toEqual(new Uint8Array(t.data.buffer));
}

function importError(files: FileMap): EngineError {
  try {
    importHfGpt2(files, options);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected the directory to be refused');
}

describe('export as a Hugging Face GPT-2 directory', () => {
  const checkpoint = tinyCheckpoint(7);
  const files = exportHfGpt2(checkpoint, tinyTokenizer());

  it('writes config.json as GPT2Config reads it', () => {
    const c = tinyConfig();
    expect([...files.keys()].sort()).toEqual([
      'config.json',
      'generation_config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(json(files.get('config.json'))).toMatchObject({
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      n_embd: c.nEmbd,
      n_layer: c.nLayer,
      n_head: c.nHead,
      n_positions: c.blockSize,
      n_ctx: c.blockSize,
      vocab_size: c.vocabSize,
      layer_norm_epsilon: c.layerNormEpsilon,
      initializer_range: c.initializerRange,
      activation_function: 'gelu_new',
      tie_word_embeddings: true,
      bos_token_id: tinyTokenizer().eosId,
      eos_token_id: tinyTokenizer().eosId,
      pad_token_id: tinyTokenizer().padId,
    });
    expect(json(files.get('generation_config.json'))).toMatchObject({ eos_token_id: tinyTokenizer().eosId });
    expect(json(files.get('tokenizer_config.json'))).toMatchObject({
      eos_token: '<|endoftext|>',
      pad_token: '<|pad|>',
    });
    expect(json(files.get('tokenizer.json'))).toEqual(JSON.parse(JSON.stringify(tinyTokenizer().toJSON())));
  });

  it('writes model.safetensors with GPT2LMHeadModel names, format "pt", F32 weights bit for bit, no separate head', () => {
    const file = decodeSafetensors(files.get('model.safetensors')!);
    expect(file.metadata).toEqual({ format: 'pt' });
    const names = gptParamSpecs(tinyConfig()).map((s) => s.name);
    expect([...file.tensors.keys()].sort()).toEqual([...names].sort());
    expect(names.every((n) => n.startsWith('transformer.'))).toBe(true);
    const ours = readCheckpointWeights(checkpoint).weights;
    for (const [name, entry] of file.tensors) {
      expect(entry.dtype).toBe('F32');
      expect(entry.data, name).toEqual(new Uint8Array(ours.get(name)!.data.buffer));
    }
  });

  it('refuses a tokenizer the checkpoint was not trained with', () => {
    const stranger = Tokenizer.train('completely different text here. '.repeat(20), { vocabSize: 262 });
    expect(thrownSentence(() => exportHfGpt2(checkpoint, stranger))).toMatch(/trained with tokenizer/);
  });

  it('import gives back the same weights bit for bit, and a model the engine loads and runs alike', () => {
    const imported = importHfGpt2(files, options);
    expect(imported.config).toEqual(tinyConfig());
    expect(imported.tokenizer.fingerprint()).toBe(tinyTokenizer().fingerprint());
    expect(imported.sourceDtypes).toEqual(['F32']);
    expectSameWeights(checkpoint, imported.checkpoint);
    const [a, b] = [checkpoint, imported.checkpoint].map((bytes) =>
      loadCheckpoint(bytes, { tokenizer: tinyTokenizer() }),
    );
    expect(b.metadata).toMatchObject({
      name: 'imported',
      createdAt: options.createdAt,
      info: { source: 'huggingface' },
    });
    const ids = tf.tensor2d([[1, 5, 9, 200]], undefined, 'int32');
    const [la, lb] = [a, b].map(({ model }) => tf.tidy(() => model.logits(ids).dataSync()));
    expect(lb).toEqual(la);
    tf.dispose(ids);
    a.model.dispose();
    b.model.dispose();
  });
});

describe('import of other GPT-2 layouts', () => {
  const checkpoint = tinyCheckpoint(9);
  const files = exportHfGpt2(checkpoint, tinyTokenizer());
  const tensors = rawTensors(files.get('model.safetensors')!);

  it("accepts the Hub's older layout: no transformer. prefix, mask buffers, an explicit tied lm_head", () => {
    const wte = tensors.find(([n]) => n === 'transformer.wte.weight')![1];
    const mask: RawTensor = { dtype: 'F32', shape: [1, 1, 16, 16], data: new Uint8Array(16 * 16 * 4) };
    const hub: [string, RawTensor][] = [
      ...tensors.map(([n, t]): [string, RawTensor] => [n.replace(/^transformer\./, ''), t]),
      ['h.0.attn.bias', mask],
      ['h.1.attn.masked_bias', { dtype: 'F32', shape: [], data: new Uint8Array(4) }],
      ['lm_head.weight', wte],
    ];
    expectSameWeights(
      checkpoint,
      importHfGpt2(withFile(files, 'model.safetensors', rawSafetensors(hub)), options).checkpoint,
    );
  });

  it('widens F16 and BF16 weights exactly', () => {
    const bf16 = tensors.map(([n, t]): [string, RawTensor] => {
      const words = new Uint16Array(t.data.length / 4);
      const floats = new Uint32Array(t.data.slice().buffer);
      for (let i = 0; i < words.length; i++) words[i] = floats[i] >>> 16;
      return [n, { dtype: 'BF16', shape: t.shape, data: new Uint8Array(words.buffer) }];
    });
    const imported = importHfGpt2(withFile(files, 'model.safetensors', rawSafetensors(bf16)), options);
    expect(imported.sourceDtypes).toEqual(['BF16']);
    const original = readCheckpointWeights(checkpoint).weights;
    for (const [name, t] of readCheckpointWeights(imported.checkpoint).weights) {
      const truncated = new Float32Array(
        new Uint32Array(original.get(name)!.data.buffer).map((bits) => bits & 0xffff0000).buffer,
      );
      expect(t.data, name).toEqual(truncated);
    }
    // Halves: 0x3c00 = 1, 0xc000 = -2, 0x3555 ~ 1/3, 0x0001 = 2^-24 (subnormal).
    const halves = [0x3c00, 0xc000, 0x3555, 0x0001];
    const f16 = tensors.map(([n, t]): [string, RawTensor] => {
      const words = Uint16Array.from({ length: t.data.length / 4 }, (_, i) => halves[i % halves.length]);
      return [n, { dtype: 'F16', shape: t.shape, data: new Uint8Array(words.buffer) }];
    });
    const weights = readCheckpointWeights(
      importHfGpt2(withFile(files, 'model.safetensors', rawSafetensors(f16)), options).checkpoint,
    ).weights;
    expect(Array.from(weights.get('transformer.ln_f.bias')!.data.slice(0, 4))).toEqual([
      1,
      -2,
      Math.fround(0.333251953125),
      2 ** -24,
    ]);
  });

  it('refuses clearly: too large, another architecture or activation, untied head, vocab mismatch', () => {
    const config = json(files.get('config.json'));
    const edit = (over: Record<string, unknown>) =>
      withFile(files, 'config.json', new TextEncoder().encode(JSON.stringify({ ...config, ...over })));
    // Each refusal as its code and values; a list of problems when the file had several.
    const problems = (error: EngineError) =>
      error.detail.code === 'IMPORT_PROBLEMS' ? error.detail.params.problems.map((p) => p.message) : [error.detail];
    expect(
      problems(importError(edit({ n_layer: 12, n_embd: 768, n_head: 12, vocab_size: 50257, n_positions: 1024 }))),
    ).toEqual([{ code: 'MODEL_TOO_LARGE', params: { params: 124_439_808, limit: MAX_IMPORT_PARAMS } }]);
    expect(problems(importError(edit({ architectures: ['LlamaForCausalLM'], model_type: 'llama' })))).toEqual([
      { code: 'FIELD_TYPE', params: { field: 'model_type', expected: 'choice', choices: ['gpt2'], got: '"llama"' } },
      { code: 'HF_ARCHITECTURE', params: { got: '["LlamaForCausalLM"]' } },
    ]);
    expect(problems(importError(edit({ activation_function: 'relu' })))).toEqual([
      { code: 'HF_ACTIVATION', params: { got: '"relu"' } },
    ]);
    expect(importError(edit({ vocab_size: 300 })).detail).toMatchObject({
      code: 'HF_VOCAB_MISMATCH',
      params: { tokenizer: 262, vocabSize: 300 },
    });
    const untied = [
      ...tensors,
      [
        'lm_head.weight',
        { ...tensors.find(([n]) => n === 'transformer.wte.weight')![1], data: new Uint8Array(262 * 16 * 4) },
      ],
    ] as [string, RawTensor][];
    expect(importError(withFile(files, 'model.safetensors', rawSafetensors(untied))).detail.code).toBe(
      'LM_HEAD_UNTIED',
    );
  });
});

describe('through the database', () => {
  it('imports as a named, current policy with its tokenizer, and exports the same files back', async () => {
    const db = await scratchDB();
    const files = exportHfGpt2(tinyCheckpoint(11), tinyTokenizer());
    const model = importHfModel(toHfFiles(files), 'from the hub', new Date(5).toISOString());
    const id = await saveHfModel(db, model, { name: 'from the hub', now: 5 });
    const record = await currentCheckpoint(db, 'policy');
    expect(record).toMatchObject({ id, name: 'from the hub', named: true, createdAt: 5, config: tinyConfig() });
    expect(record!.tokenizer).toBe(JSON.stringify(tinyTokenizer().toJSON()));
    const source = await hfExportSource(db, id);
    const again = toFileMap(exportHfModel(source.bytes, source.tokenizer!, 'from the hub'));
    for (const [name, bytes] of files) expect(again.get(name), name).toEqual(bytes);
  });
});

describe('npm run export / import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlhf-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      encoding: 'utf8',
      cwd: process.cwd(),
    });

  it('exports a checkpoint file and imports the directory back to identical weights', () => {
    const checkpoint = tinyCheckpoint(13);
    writeFileSync(join(dir, 'model.safetensors'), checkpoint);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizer().toJSON()));
    const exported = run('export', [
      '--checkpoint',
      join(dir, 'model.safetensors'),
      '--format',
      'hf',
      '--out',
      join(dir, 'hf'),
    ]);
    expect(exported.status, exported.stderr).toBe(0);
    const imported = run('import', [
      '--format',
      'hf',
      '--from',
      join(dir, 'hf'),
      '--out',
      join(dir, 'back', 'policy.safetensors'),
    ]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/parameters \(F32\)/);
    expectSameWeights(checkpoint, new Uint8Array(readFileSync(join(dir, 'back', 'policy.safetensors'))));
    expect(JSON.parse(readFileSync(join(dir, 'back', 'tokenizer.json'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(tinyTokenizer().toJSON())),
    );
    const refused = run('import', ['--format', 'hf', '--from', join(dir, 'back'), '--out', join(dir, 'x.safetensors')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/config.json is missing/);
  });
});
