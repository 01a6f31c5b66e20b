// Malformed Hugging Face GPT-2 directories: bad config.json, missing files, bad tokenizers, broken
// safetensors headers, wrong tensor shapes and values. Each is refused with a message naming the
// problem, and the database (dumped before and after) is unchanged.
import { beforeAll, describe, it } from 'vitest';
import { exportHfGpt2, type FileMap } from '../../src/engine/interchange/hf-gpt2';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import type { PlaygroundDB } from '../../src/storage/db';
import { toHfFiles } from '../../src/contract/hf-model';
import { saveHfModel } from '../../src/storage/hf-models';
import { importHfModel } from '../../src/workers/hf-convert';
import {
  expectRejectedUnchanged,
  rawSafetensors,
  rawTensors,
  seedWorkspace,
  suiteDB,
  tinyCheckpoint,
  tinyTokenizer,
  type RawTensor,
} from './storage-fixtures';

type Files = Map<string, Uint8Array>;
type Case = [name: string, make: (base: FileMap) => Files, pattern: RegExp];

const encode = (text: string) => new TextEncoder().encode(text);
const replace =
  (name: string, bytes: Uint8Array) =>
  (base: FileMap): Files =>
    new Map([...base, [name, bytes]]);
const remove =
  (...names: string[]) =>
  (base: FileMap): Files =>
    new Map([...base].filter(([n]) => !names.includes(n)));
const configOf = (base: FileMap) =>
  JSON.parse(new TextDecoder().decode(base.get('config.json'))) as Record<string, unknown>;

function configEdit(over: Record<string, unknown>, drop: string[] = []) {
  return (base: FileMap): Files => {
    const config = { ...configOf(base), ...over };
    for (const key of drop) delete config[key];
    return replace('config.json', encode(JSON.stringify(config)))(base);
  };
}

function configCases(): Case[] {
  const cases: Case[] = [
    ['config.json not JSON', replace('config.json', encode('{"n_embd": 16,')), /config.json: not valid JSON/],
    [
      'config.json not UTF-8',
      replace('config.json', new Uint8Array([0xff, 0xfe, 0x7b])),
      /config.json: not valid JSON \(not valid UTF-8\)/,
    ],
    [
      'config.json a list',
      replace('config.json', encode('[]')),
      /config.json: 1 problem[^]*must be a JSON object, got \[\]/,
    ],
    ['config.json a string', replace('config.json', encode('"gpt2"')), /must be a JSON object, got "gpt2"/],
    ['config.json null', replace('config.json', encode('null')), /must be a JSON object, got null/],
    ['model_type llama', configEdit({ model_type: 'llama' }), /field "model_type" must be one of "gpt2", got "llama"/],
    ['no model_type', configEdit({}, ['model_type']), /field "model_type" is missing/],
    [
      'architectures GPT2Model',
      configEdit({ architectures: ['GPT2Model'] }),
      /field "architectures" must list "GPT2LMHeadModel", got \["GPT2Model"\]/,
    ],
    [
      'architectures a string',
      configEdit({ architectures: 'GPT2LMHeadModel' }),
      /field "architectures" must list "GPT2LMHeadModel"/,
    ],
    ['n_inner 100', configEdit({ n_inner: 100 }), /field "n_inner" is 100; this app's MLP width is 4 x n_embd \(64\)/],
    ['untied embeddings', configEdit({ tie_word_embeddings: false }), /field "tie_word_embeddings" must be true/],
    ['unscaled attention', configEdit({ scale_attn_weights: false }), /field "scale_attn_weights" must be true/],
    [
      'attention scaled by layer',
      configEdit({ scale_attn_by_inverse_layer_idx: true }),
      /field "scale_attn_by_inverse_layer_idx" must be false/,
    ],
    ['cross attention', configEdit({ add_cross_attention: true }), /field "add_cross_attention" must be false/],
    [
      'tie_word_embeddings "yes"',
      configEdit({ tie_word_embeddings: 'yes' }),
      /field "tie_word_embeddings" must be true or false, got "yes"/,
    ],
    [
      'n_embd not divisible by n_head',
      configEdit({ n_embd: 15, n_head: 2 }),
      /n_embd \(15\) must be divisible by n_head \(2\)/,
    ],
    [
      'too many layers',
      configEdit({ n_layer: 20_000 }),
      /parameters; models above 50,000,000 are too large to train in a browser tab/,
    ],
    [
      'too wide a vocabulary',
      configEdit({ vocab_size: 1_000_000, n_embd: 1024, n_head: 16 }),
      /too large to train in a browser tab/,
    ],
    [
      'layer_norm_epsilon -1',
      configEdit({ layer_norm_epsilon: -1 }),
      /field "layer_norm_epsilon" must be a positive number, got -1/,
    ],
    [
      'layer_norm_epsilon "x"',
      configEdit({ layer_norm_epsilon: 'x' }),
      /field "layer_norm_epsilon" must be a positive number/,
    ],
    [
      'layer_norm_epsilon 0',
      configEdit({ layer_norm_epsilon: 0 }),
      /field "layer_norm_epsilon" must be a positive number, got 0/,
    ],
    [
      'initializer_range -0.02',
      configEdit({ initializer_range: -0.02 }),
      /field "initializer_range" must be a positive number/,
    ],
  ];
  for (const activation of ['relu', 'gelu', 'silu', 42])
    cases.push([
      `activation ${activation}`,
      configEdit({ activation_function: activation }),
      /field "activation_function" is .*; this app computes GELU with the tanh approximation only/,
    ]);
  for (const field of ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head']) {
    cases.push([`no ${field}`, configEdit({}, [field]), new RegExp(`field "${field}" is missing`)]);
    for (const value of ['16', -1, 0, 1.5, null, true]) {
      cases.push([
        `${field} = ${JSON.stringify(value)}`,
        configEdit({ [field]: value }),
        new RegExp(`field "${field}" must be an integer from 1 to`),
      ]);
    }
  }
  return cases;
}

function fileCases(): Case[] {
  const present = new Uint8Array(0);
  return [
    ['no config.json', remove('config.json'), /config.json is missing/],
    ['no model.safetensors', remove('model.safetensors'), /model.safetensors is missing/],
    ['no tokenizer.json', remove('tokenizer.json'), /tokenizer.json is missing/],
    [
      'sharded weights',
      (b) => new Map([...remove('model.safetensors')(b), ['model.safetensors.index.json', present]]),
      /the weights are sharded/,
    ],
    [
      'PyTorch weights only',
      (b) => new Map([...remove('model.safetensors')(b), ['pytorch_model.bin', present]]),
      /only pytorch_model.bin is present/,
    ],
    [
      'slow tokenizer only',
      (b) => new Map([...remove('tokenizer.json')(b), ['vocab.json', present], ['merges.txt', present]]),
      /only vocab.json and merges.txt are present/,
    ],
    [
      'an empty directory',
      () => new Map(),
      /3 problems[^]*config.json is missing[^]*model.safetensors is missing[^]*tokenizer.json is missing/,
    ],
    ['tokenizer.json not JSON', replace('tokenizer.json', encode('{"model":')), /tokenizer.json: not valid JSON/],
    ['tokenizer.json empty object', replace('tokenizer.json', encode('{}')), /tokenizer.json: /],
    ['tokenizer.json a number', replace('tokenizer.json', encode('42')), /tokenizer.json: /],
    [
      'tokenizer of another size',
      replace(
        'tokenizer.json',
        encode(JSON.stringify(Tokenizer.train('other text, other merges. '.repeat(30), { vocabSize: 264 }).toJSON())),
      ),
      /tokenizer.json has 264 tokens but config.json says vocab_size 262/,
    ],
    [
      'vocab_size one more than the tokenizer',
      configEdit({ vocab_size: 263 }),
      /tokenizer.json has 262 tokens but config.json says vocab_size 263/,
    ],
    [
      'vocab_size one less than the tokenizer',
      configEdit({ vocab_size: 261 }),
      /tokenizer.json has 262 tokens but config.json says vocab_size 261/,
    ],
    [
      'generation_config.json not JSON',
      replace('generation_config.json', encode('{')),
      /generation_config.json: not valid JSON/,
    ],
    [
      'generation_config.json a list',
      replace('generation_config.json', encode('[1]')),
      /generation_config.json: 1 problem[^]*must be a JSON object/,
    ],
    [
      'eos_token_id beyond the vocabulary',
      replace('generation_config.json', encode('{"eos_token_id": 9999}')),
      /field "eos_token_id" must be an integer from 0 to 261, got 9999/,
    ],
    [
      'pad_token_id "x"',
      replace('generation_config.json', encode('{"pad_token_id": "x"}')),
      /field "pad_token_id" must be an integer/,
    ],
  ];
}

/** The weights file rebuilt from raw tensors, after `edit` changes the list or the header. */
function weightsEdit(
  edit: (tensors: [string, RawTensor][]) => [string, RawTensor][],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases write fields of any type, malformed on purpose
  tweak?: (h: Record<string, any>) => void,
) {
  return (base: FileMap): Files =>
    replace(
      'model.safetensors',
      rawSafetensors(edit(rawTensors(base.get('model.safetensors')!)), { format: 'pt' }, tweak),
    )(base);
}
const same = (t: [string, RawTensor][]) => t;
const WTE = 'transformer.wte.weight';

/** Sets one float32 value of a tensor. */
function poke(name: string, value: number) {
  return (tensors: [string, RawTensor][]) =>
    tensors.map(([n, t]): [string, RawTensor] => {
      if (n !== name) return [n, t];
      const data = t.data.slice();
      new DataView(data.buffer).setFloat32(8, value, true);
      return [n, { ...t, data }];
    });
}

function headerCases(): Case[] {
  const bytes = (make: (weights: Uint8Array) => Uint8Array) => (base: FileMap) =>
    replace('model.safetensors', make(base.get('model.safetensors')!))(base);
  const lengthPrefix = (n: number) => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  };
  return [
    [
      'empty weights file',
      bytes(() => new Uint8Array(0)),
      /model.safetensors: truncated: expected at least 8 bytes, got 0/,
    ],
    ['7 bytes', bytes((w) => w.slice(0, 7)), /truncated: expected at least 8 bytes, got 7/],
    ['absurd header length', bytes(() => lengthPrefix(0xffffffff)), /header length 4294967295 is absurd/],
    ['header longer than the file', bytes(() => lengthPrefix(1000)), /truncated: expected at least 1008 bytes/],
    [
      'header not JSON',
      bytes(() => {
        const b = lengthPrefix(8);
        b.set(encode('{"a":1,,'), 8);
        return b;
      }),
      /header is not valid JSON/,
    ],
    [
      'header not UTF-8',
      bytes(() => {
        const b = lengthPrefix(8);
        b.set([0xff, 0xfe, 0xfd, 0x20, 0x20, 0x20, 0x20, 0x20], 8);
        return b;
      }),
      /header is not valid UTF-8/,
    ],
    [
      'header a list',
      bytes(() => {
        const b = lengthPrefix(8);
        b.set(encode('[1,2,3] '), 8);
        return b;
      }),
      /header must be a JSON object/,
    ],
    [
      'metadata not strings',
      weightsEdit(same, (h) => (h.__metadata__ = { format: 1 })),
      /"__metadata__" field "format" must be a string/,
    ],
    ['dtype F8', weightsEdit(same, (h) => (h[WTE].dtype = 'F8')), /dtype "F8" is not supported/],
    ['dtype I32', weightsEdit(same, (h) => (h[WTE].dtype = 'I32')), /dtype I32 is not a float type/],
    [
      'dtype I64',
      weightsEdit((t) =>
        t.map(([n, x]): [string, RawTensor] => [
          n,
          n === 'transformer.ln_f.bias' ? { dtype: 'I64', shape: [16], data: new Uint8Array(128) } : x,
        ]),
      ),
      /dtype I64 is not a float type/,
    ],
    ['shape bigger than its bytes', weightsEdit(same, (h) => (h[WTE].shape = [263, 16])), /needs \d+/],
    [
      'overlapping tensors',
      weightsEdit(same, (h) => {
        const [b, e] = h[WTE].data_offsets;
        h[WTE].data_offsets = [b - 4, e - 4];
      }),
      /overlaps|gap|trailing/,
    ],
    [
      'trailing bytes',
      bytes((w) => {
        const out = new Uint8Array(w.length + 4);
        out.set(w);
        return out;
      }),
      /4 trailing bytes after the last tensor/,
    ],
    ['truncated data', bytes((w) => w.slice(0, w.length - 4)), /truncated: expected \d+ bytes/],
    ['an extra entry field', weightsEdit(same, (h) => (h[WTE].offsets = [0, 0])), /unexpected field "offsets"/],
    ['no data_offsets', weightsEdit(same, (h) => delete h[WTE].data_offsets), /missing field "data_offsets"/],
    [
      'negative offsets',
      weightsEdit(same, (h) => (h[WTE].data_offsets = [-4, 10])),
      /data_offsets must be two non-negative integers/,
    ],
    [
      'reversed offsets',
      weightsEdit(same, (h) => (h[WTE].data_offsets = [h[WTE].data_offsets[1], h[WTE].data_offsets[0]])),
      /are reversed/,
    ],
    ['an entry that is a number', weightsEdit(same, (h) => (h[WTE] = 5)), /entry must be an object/],
  ];
}

function tensorCases(): Case[] {
  const reshape = (name: string, shape: number[]) =>
    weightsEdit((t) => t.map(([n, x]): [string, RawTensor] => [n, n === name ? { ...x, shape } : x]));
  const drop = (name: string) => weightsEdit((t) => t.filter(([n]) => n !== name));
  const add = (name: string, t: RawTensor) => weightsEdit((list) => [...list, [name, t]]);
  const wte = (list: [string, RawTensor][]) => list.find(([n]) => n === WTE)![1];
  return [
    [
      'wte transposed',
      reshape(WTE, [16, 262]),
      /tensor transformer.wte.weight has shape \[16, 262\], but the config needs \[262, 16\]/,
    ],
    ['wpe flattened', reshape('transformer.wpe.weight', [256]), /tensor transformer.wpe.weight has shape \[256\]/],
    [
      'c_attn transposed',
      reshape('transformer.h.0.attn.c_attn.weight', [48, 16]),
      /transformer.h.0.attn.c_attn.weight has shape \[48, 16\], but the config needs \[16, 48\]/,
    ],
    [
      'c_fc transposed',
      reshape('transformer.h.1.mlp.c_fc.weight', [64, 16]),
      /transformer.h.1.mlp.c_fc.weight has shape \[64, 16\]/,
    ],
    [
      'ln_f as a matrix',
      reshape('transformer.ln_f.weight', [4, 4]),
      /transformer.ln_f.weight has shape \[4, 4\], but the config needs \[16\]/,
    ],
    ['c_proj bias split', reshape('transformer.h.0.attn.c_proj.bias', [2, 8]), /c_proj.bias has shape \[2, 8\]/],
    [
      'ln_1 bias too long',
      weightsEdit((t) =>
        t.map(([n, x]): [string, RawTensor] => [
          n,
          n === 'transformer.h.0.ln_1.bias' ? { dtype: 'F32', shape: [17], data: new Uint8Array(68) } : x,
        ]),
      ),
      /ln_1.bias has shape \[17\], but the config needs \[16\]/,
    ],
    ['a scalar wpe', reshape('transformer.wpe.weight', []), /wpe.weight has shape \[\]|needs/],
    ['missing ln_f.weight', drop('transformer.ln_f.weight'), /missing tensor\(s\) transformer.ln_f.weight/],
    ['missing a bias', drop('transformer.h.1.mlp.c_proj.bias'), /missing tensor\(s\) transformer.h.1.mlp.c_proj.bias/],
    [
      'an extra layer',
      add('transformer.h.7.attn.c_attn.weight', { dtype: 'F32', shape: [1], data: new Uint8Array(4) }),
      /unexpected tensor\(s\) transformer.h.7.attn.c_attn.weight/,
    ],
    [
      'a classification head',
      add('score.weight', { dtype: 'F32', shape: [16, 2], data: new Uint8Array(128) }),
      /unexpected tensor\(s\) transformer.score.weight/,
    ],
    [
      'named with and without prefix',
      weightsEdit((t) => [...t, ['wte.weight', wte(t)]]),
      /tensor wte.weight appears twice/,
    ],
    [
      'untied lm_head',
      weightsEdit((t) => [...t, ['lm_head.weight', { ...wte(t), data: new Uint8Array(wte(t).data.length) }]]),
      /lm_head.weight differs from transformer.wte.weight/,
    ],
    [
      'lm_head of the wrong shape',
      weightsEdit((t) => [...t, ['lm_head.weight', { dtype: 'F32', shape: [2, 2], data: new Uint8Array(16) }]]),
      /lm_head.weight has shape \[2, 2\]/,
    ],
    [
      'NaN in wte',
      weightsEdit(poke(WTE, NaN)),
      /tensor transformer.wte.weight: value at index 2 is NaN; every value must be finite/,
    ],
    [
      'Infinity in c_attn',
      weightsEdit(poke('transformer.h.1.attn.c_attn.weight', Infinity)),
      /c_attn.weight: value at index 2 is Infinity/,
    ],
    [
      '-Infinity in ln_f',
      weightsEdit(poke('transformer.ln_f.bias', -Infinity)),
      /ln_f.bias: value at index 2 is -Infinity/,
    ],
    [
      'all tensors gone',
      weightsEdit(() => []),
      /missing tensor\(s\) transformer.wte.weight, transformer.wpe.weight.* and \d+ more/,
    ],
  ];
}

describe('malformed Hugging Face directories are refused and change nothing', () => {
  let db: PlaygroundDB;
  let base: FileMap;
  beforeAll(async () => {
    db = await suiteDB('fuzz-hf');
    await seedWorkspace(db);
    base = exportHfGpt2(tinyCheckpoint(21), tinyTokenizer());
  });
  const cases = [...configCases(), ...fileCases(), ...headerCases(), ...tensorCases()];
  it('has enough cases', () => {
    if (cases.length < 100) throw new Error(`only ${cases.length} directory cases`);
  });
  it.each(cases)('%s', async (_name, make, pattern) => {
    await expectRejectedUnchanged(
      db,
      async () =>
        saveHfModel(db, importHfModel(toHfFiles(make(base)), 'gpt2-dir', new Date(0).toISOString()), { name: 'bad' }),
      pattern,
    );
  });
});
