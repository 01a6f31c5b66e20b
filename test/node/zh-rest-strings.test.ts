// The Chinese sentences for file messages, backend failures and the guided first run, rendered
// with sample parameters next to the English: every key and parameter is the English one (the type
// checker holds the tables to that), each sentence reads as Chinese with no "undefined", "NaN" or
// "[object", and every value the English sentence shows (numbers, file and field names, JSON
// values) shows in the Chinese one too.
import { describe, expect, it } from 'vitest';
import type { BackendChoice, BackendFailure } from '../../src/contract/backends';
import type { FileMessages } from '../../src/contract/file-messages';
import * as enBackend from '../../src/ui/strings/backend-failures';
import { FILE_MESSAGES as EN_FILE } from '../../src/ui/strings/file-messages';
import { lesson as enLesson } from '../../src/ui/strings/lesson';
import * as zhBackend from '../../src/ui/strings/zh-CN/backend-failures';
import { FILE_MESSAGES as ZH_FILE } from '../../src/ui/strings/zh-CN/file-messages';
import { lesson as zhLesson } from '../../src/ui/strings/zh-CN/lesson';
import { at, checkPair, CODE_KEYS, expectChinese, leaves, shownValues } from '../helpers/zh-check';

type FileCode = Exclude<keyof FileMessages, 'IMPORT_PROBLEMS'>;
type FileCase = { [C in FileCode]: [C, FileMessages[C]] }[FileCode];

/** One sample per code (as in messages.test.ts). */
const FILE_SAMPLES: { [C in FileCode]: FileMessages[C] } = {
  FIELD_MISSING: { field: 'choice', expected: 'choice', choices: ['a', 'b', 'tie'] },
  FIELD_TYPE: { field: 'ratings.chosen', expected: 'integer', choices: [], got: '"five"' },
  FIELD_TOO_LONG: { field: 'prompt', length: 100001, limit: 100000 },
  FIELD_EMPTY: { field: 'labeler' },
  FIELD_INTEGER: { field: 'stars', min: 1, max: 5, got: '7' },
  FIELD_NUMBER: { field: 'decision_ms', rule: 'atLeast', min: 0, got: '-3' },
  FIELD_VALUE: { field: 'app', got: '"other-app"', expected: '"rlhf-playground"' },
  FIELD_CONVERSATIONAL: { field: 'chosen' },
  FIELD_DATE: { field: 'time', got: '"yesterday"' },
  FIELD_DECISION_TIME: { field: 'decision_ms', ms: 90000000 },
  FIELDS_DISAGREE: { first: 'tie', firstValue: 'true', second: 'choice', secondValue: '"a"' },
  RATING_NEEDS_LABEL: {},
  NOT_AN_OBJECT: { what: 'line', got: '[1,2]' },
  LINE_TOO_LONG: { length: 500000, limit: 400000 },
  LINE_NOT_JSON: { detail: 'Unexpected token } in JSON' },
  TOO_MANY_LINES: { lines: 2000000, limit: 1000000 },
  TOO_MANY_PROBLEMS: { limit: 1000 },
  NO_LABEL_LINES: {},
  HF_FILE_MISSING: { file: 'tokenizer.json', hint: 'slowTokenizer' },
  JSON_TOO_LARGE: { bytes: 70000000, limit: 64000000 },
  FILE_NOT_JSON: { file: 'gpt2/config.json', detail: 'Unexpected end of JSON input' },
  HF_ARCHITECTURE: { got: '["LlamaForCausalLM"]' },
  HF_ACTIVATION: { got: '"relu"' },
  HF_MLP_WIDTH: { got: '100', width: 128 },
  HF_FLAG: { field: 'tie_word_embeddings', expected: true, got: false },
  HF_HEADS: { nEmbd: 30, nHead: 4 },
  HF_VOCAB_MISMATCH: { file: 'gpt2', tokenizer: 50257, vocabSize: 50304 },
  MODEL_TOO_LARGE: { params: 124439808, limit: 50000000 },
  LM_HEAD_UNTIED: { file: 'gpt2/model.safetensors' },
  TENSOR_TWICE: { tensor: 'h.0.ln_1.weight' },
  TENSORS_MISSING: { tensors: ['transformer.wpe.weight'], more: 2 },
  TENSORS_UNEXPECTED: { tensors: ['score.weight', 'score.bias'], more: 4 },
  TENSOR_WRONG_SHAPE: { tensor: 'transformer.wte.weight', shape: [50257, 768], expected: [512, 64] },
  TENSOR_DTYPE_UNKNOWN: { file: 'rm.safetensors', tensor: 'head.0.weight', dtype: 'F8' },
  TENSOR_NOT_FLOAT: { file: null, tensor: 'transformer.wpe.weight', dtype: 'I32' },
  TENSOR_BYTES: { file: 'policy.safetensors', tensor: 'wpe', bytes: 8, shape: [3], dtype: 'F32', needed: 12 },
  TENSOR_NOT_FINITE: { file: 'policy.safetensors', tensor: 'h.3.mlp.c_fc.weight', index: 17, value: 'Infinity' },
  SAFETENSORS_TRUNCATED: { file: 'model.safetensors', needed: 4096, got: 1000, tensor: 'wte' },
  SAFETENSORS_HEADER_LENGTH: { file: 'photo.jpg', length: 3000000000, limit: 100000000 },
  SAFETENSORS_HEADER: { file: 'model.safetensors', problem: 'notJson', detail: 'Unexpected token x' },
  SAFETENSORS_METADATA: { file: 'model.safetensors', key: 'step', got: '12' },
  SAFETENSORS_ENTRY: { file: 'model.safetensors', tensor: 'wte', problem: 'missingField', got: 'dtype' },
  SAFETENSORS_SIZE: { file: 'model.safetensors', tensor: 'wte', bytes: 16, shape: [2, 3], dtype: 'F32', needed: 24 },
  SAFETENSORS_OVERLAP: { file: 'model.safetensors', tensor: 'wpe', other: 'wte' },
  SAFETENSORS_GAP: { file: 'model.safetensors', bytes: 4, offset: 24, tensor: 'wpe' },
  SAFETENSORS_TRAILING: { file: 'model.safetensors', bytes: 9, end: 48, dataBytes: 57 },
  CHECKPOINTS_TOKENIZERS: {
    first: 'a.safetensors',
    second: 'b.safetensors',
    firstTokenizer: 'bpe-1a',
    secondTokenizer: 'bpe-2b',
  },
  CHECKPOINTS_SHAPES: {
    first: 'a.safetensors',
    second: 'b.safetensors',
    firstVocab: 512,
    firstContext: 64,
    secondVocab: 600,
    secondContext: 128,
  },
  REWARD_NORMALISATION: { mean: '0.25', std: '0' },
  NOT_A_BACKUP: { got: '"pt"', expected: 'rlhf-playground/workspace' },
  BACKUP_VERSION: { got: '"9"', supported: '1' },
  BACKUP_MANIFEST_MISSING: {},
  BACKUP_MANIFEST_NOT_JSON: { detail: 'Unexpected end of JSON input' },
  BACKUP_SCHEMA: { got: '99', oldest: 2, newest: 4 },
  BACKUP_STRAY_TENSOR: { tensor: '"weights"', prefix: 'blob.' },
  BACKUP_ATTACHMENT: { tensor: '"blob.checkpoint-1"', dtype: 'F32', shape: [4, 2] },
  BACKUP_KEY_TWICE: { store: 'comparisons', key: '7' },
  BACKUP_POINTER: { kind: 'reward', checkpoint: 12 },
  BACKUP_ATTACHMENT_MISSING: { checkpoint: 3, attachment: '"checkpoint-3"' },
};

/** More samples where a sentence branches on a parameter. */
const FILE_VARIANTS: FileCase[] = [
  ['FIELD_TYPE', { field: 'chosen', expected: 'string', choices: [], got: '42' }],
  ['FIELD_TYPE', { field: 'x', expected: 'boolean', choices: [], got: '1' }],
  ['FIELD_TYPE', { field: 'x', expected: 'numberMap', choices: [], got: '[]' }],
  ['FIELD_TYPE', { field: 'x', expected: 'objectOrNull', choices: [], got: '3' }],
  ['FIELD_MISSING', { field: 'gold', expected: 'numberOrNull', choices: [] }],
  ['FIELD_MISSING', { field: 'meta', expected: 'object', choices: [] }],
  ['FIELD_MISSING', { field: 'tags', expected: 'list', choices: [] }],
  ['FIELD_MISSING', { field: 'score', expected: 'number', choices: [] }],
  ['FIELD_NUMBER', { field: 'score', rule: 'finite', min: null, got: '"Infinity"' }],
  ['FIELD_NUMBER', { field: 'beta', rule: 'positive', min: null, got: '-1' }],
  ['FIELD_NUMBER', { field: 'decision_ms', rule: 'atLeast', min: null, got: '-3' }],
  ['NOT_AN_OBJECT', { what: 'file', got: '3' }],
  ['NOT_AN_OBJECT', { what: 'manifest', got: 'null' }],
  ['NOT_AN_OBJECT', { what: 'record', got: '"x"' }],
  ['HF_FILE_MISSING', { file: 'config.json', hint: null }],
  ['HF_FILE_MISSING', { file: 'model.safetensors', hint: 'sharded' }],
  ['HF_FILE_MISSING', { file: 'model.safetensors', hint: 'pytorchOnly' }],
  ['FILE_NOT_JSON', { file: 'gpt2/tokenizer.json', detail: null }],
  ['TENSORS_MISSING', { tensors: ['wte', 'wpe'], more: 0 }],
  ['TENSORS_UNEXPECTED', { tensors: ['score.weight'], more: 0 }],
  ['TENSOR_DTYPE_UNKNOWN', { file: null, tensor: 'wte', dtype: 'F8' }],
  ['TENSOR_NOT_FLOAT', { file: 'rm.safetensors', tensor: 'wte', dtype: 'I64' }],
  ['TENSOR_BYTES', { file: null, tensor: 'wpe', bytes: 8, shape: [3], dtype: 'F32', needed: 12 }],
  ['TENSOR_NOT_FINITE', { file: null, tensor: 'wte', index: 0, value: '-Infinity' }],
  ['SAFETENSORS_TRUNCATED', { file: 'model.safetensors', needed: 8, got: 3, tensor: null }],
  ...(['notUtf8', 'notObject', 'metadataNotObject'] as const).map((problem): FileCase => [
    'SAFETENSORS_HEADER',
    { file: 'm.safetensors', problem, detail: '[1]' },
  ]),
  ...(['notObject', 'unexpectedField', 'dtype', 'shape', 'offsets', 'reversed', 'tooLarge'] as const).map(
    (problem): FileCase => ['SAFETENSORS_ENTRY', { file: 'm.safetensors', tensor: 'wte', problem, got: '[8, 4]' }],
  ),
  ['BACKUP_POINTER', { kind: 'policy', checkpoint: 4 }],
  ['BACKUP_POINTER', { kind: 'value', checkpoint: 5 }],
];

describe('zh-CN file messages', () => {
  const cases: FileCase[] = [...(Object.entries(FILE_SAMPLES) as FileCase[]), ...FILE_VARIANTS];
  const render = (table: typeof EN_FILE, [code, params]: FileCase): string =>
    (table[code] as (p: FileCase[1]) => string)(params);

  it('has a sentence for every English code, and only those', () => {
    expect(Object.keys(ZH_FILE).sort()).toEqual(Object.keys(EN_FILE).sort());
  });

  it.each(cases.map((c) => [c[0], c] as const))('%s reads as Chinese with the English values', (_code, c) => {
    const skip = new Set([...CODE_KEYS, ...(c[0] === 'FIELD_MISSING' || c[0] === 'FIELD_TYPE' ? ['expected'] : [])]);
    const zh = render(ZH_FILE, c);
    checkPair(render(EN_FILE, c), zh, shownValues(c[1], skip));
    expect(zh).not.toBe(render(EN_FILE, c));
  });

  it('words each kind of field, place and checkpoint differently', () => {
    const kinds = cases.filter((c) => c[0] === 'FIELD_MISSING').map((c) => render(ZH_FILE, c));
    expect(new Set(kinds).size).toBe(kinds.length);
    const places = cases.filter((c) => c[0] === 'NOT_AN_OBJECT').map((c) => render(ZH_FILE, c).split('，实际为')[0]);
    expect(new Set(places).size).toBe(4);
    const entries = cases.filter((c) => c[0] === 'SAFETENSORS_ENTRY').map((c) => render(ZH_FILE, c));
    expect(new Set(entries).size).toBe(8);
  });
});

describe('zh-CN backend failures', () => {
  const failures: BackendFailure[] = [
    { kind: 'noWebGPU' },
    { kind: 'noOffscreenCanvas' },
    { kind: 'noAdapter' },
    { kind: 'softwareAdapter' },
    { kind: 'initFailed' },
    { kind: 'threw', detail: 'Failed to compile wasm module' },
    { kind: 'lost', reason: 'destroyed', detail: 'Device was destroyed.' },
    { kind: 'lost', reason: 'unknown', detail: 'GPU process crashed' },
  ];
  const choices: BackendChoice[] = [
    { backend: 'webgpu', attempts: [] },
    { backend: 'wasm', attempts: [{ backend: 'webgpu', failure: failures[2] }] },
    {
      backend: 'cpu',
      attempts: [
        { backend: 'webgpu', failure: failures[0] },
        { backend: 'wasm', failure: failures[5] },
      ],
    },
  ];

  it('names every backend as the English does', () => {
    expect(zhBackend.BACKEND_NAMES).toEqual(enBackend.BACKEND_NAMES);
  });

  it.each(failures.map((f) => [f.kind, f] as const))('words a %s failure and its attempt', (_kind, failure) => {
    const values = shownValues(failure);
    checkPair(enBackend.backendFailureText(failure), zhBackend.backendFailureText(failure), values);
    for (const backend of ['webgpu', 'wasm'] as const) {
      const attempt = { backend, failure };
      const zh = zhBackend.backendAttemptText(attempt);
      checkPair(enBackend.backendAttemptText(attempt), zh, [...values, zhBackend.BACKEND_NAMES[backend]]);
      expect(zh.startsWith(`${zhBackend.BACKEND_NAMES[backend]}：`)).toBe(true);
    }
  });

  it('says why the chosen backend runs, naming the ones that could not', () => {
    const texts = choices.map((choice) => {
      const names = [choice.backend, ...choice.attempts.map((a) => a.backend)].map((b) => zhBackend.BACKEND_NAMES[b]);
      const zh = zhBackend.backendReason(choice);
      checkPair(enBackend.backendReason(choice), zh, names);
      for (const name of names) expect(zh).toContain(name);
      return zh;
    });
    expect(new Set(texts).size).toBe(texts.length);
  });
});

/** Sample arguments for every function of the lesson strings, by path; several where a branch differs. */
const LESSON_SAMPLES: Record<string, unknown[][]> = {
  labelProgress: [[3, 10]],
  agreement: [
    [0.62, 0.51, 0.72, 24],
    [null, 0, 1, 0],
  ],
  iterationProgress: [[4, 20]],
  budget: [[12], [0]],
  votes: [[2, 8]],
  'summary.labels': [[1], [7]],
  'summary.iterations': [[30]],
  'summary.reward': [[-0.12, 1.43]],
  'summary.kl': [[2.5], [-0.03]],
  'summary.blind': [['62%']],
  stepOf: [[2, 6]],
  announce: [[2, 6, 'Title of the step']],
  ignored: [[['seed=abc']], [['seed=abc', 'algo=xyz']]],
  clamped: [[['beta=9']], [['beta=9', 'lr=5']]],
};

describe('zh-CN guided first run', () => {
  const zhLeaves = leaves(zhLesson);

  it('has every English key, and only those', () => {
    expect(zhLeaves.map(([p]) => p)).toEqual(leaves(enLesson).map(([p]) => p));
  });

  it.each(zhLeaves.filter(([, v]) => typeof v === 'string'))('%s reads as Chinese', (path, zh) => {
    expectChinese(zh as string);
    if (path !== 'skipKey') expect(zh).not.toBe(at(enLesson, path));
  });

  it.each(zhLeaves.filter(([, v]) => typeof v === 'function'))('%s renders its samples', (path, zh) => {
    const samples = LESSON_SAMPLES[path];
    expect(samples, `samples for ${path}`).toBeDefined();
    const en = at(enLesson, path) as (...args: unknown[]) => string;
    for (const args of samples) {
      const text = (zh as (...a: unknown[]) => string)(...args);
      checkPair(en(...args), text, shownValues(args));
    }
  });

  it('keeps the shortcut and says the model writes English', () => {
    expect(zhLesson.skipKey).toBe(enLesson.skipKey);
    expect(zhLesson.steps.generate.body).toContain('英文');
    expect(zhLesson.tastesIntro).toContain('英文');
  });
});
