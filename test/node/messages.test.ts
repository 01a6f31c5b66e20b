import { describe, expect, it } from 'vitest';
import type { FileMessages } from '../../src/contract/file-messages';
import type {
  LabelerModuleProblem,
  MessageCode,
  MessageParams,
  TokenizerJsonProblem,
} from '../../src/contract/messages';
import { BUILTIN_LABELER_IDS } from '../../src/engine/labelers/builtins';
import { labelerNames } from '../../src/ui/strings/labeler-names';
import { label } from '../../src/ui/strings/stages';
import { MESSAGES, importProblemText, messageText } from '../../src/ui/strings/messages';

/** Samples of the messages about files (file-messages.ts). */
const FILE_SAMPLES: { [C in keyof FileMessages]: FileMessages[C] } = {
  IMPORT_PROBLEMS: {
    file: 'labels.jsonl',
    problems: [
      {
        line: 3,
        message: { code: 'FIELD_TYPE', params: { field: 'chosen', expected: 'string', choices: [], got: '42' } },
      },
      { record: 'stores.ratings[0]', message: { code: 'FIELD_EMPTY', params: { field: 'labeler' } } },
    ],
  },
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

/** Sample parameters for every code: a code added without one fails the type check. */
const SAMPLES: { [C in MessageCode]: MessageParams[C] } = {
  METADATA_MISSING: { file: 'policy.safetensors', field: 'config' },
  METADATA_NOT_JSON: { file: 'policy.safetensors', field: 'info' },
  METADATA_NOT_OBJECT: { file: 'rm.safetensors', field: 'reward_config' },
  NOT_A_CHECKPOINT: { file: 'other.safetensors', got: '"torch"', expected: 'rlhf-playground', model: 'gpt' },
  POLICY_NOT_REWARD: { file: 'policy.safetensors' },
  FORMAT_VERSION: { file: 'old.safetensors', got: '7', supported: 1, model: 'reward' },
  TENSOR_MISSING: { file: 'rm.safetensors', tensor: 'score.bias' },
  TENSOR_SHAPE: { file: 'rm.safetensors', tensor: 'score.weight', shape: [16, 3], expected: [16, 1] },
  UNEXPECTED_TENSORS: { file: 'big.safetensors', tensors: ['extra.weight', 'extra.bias'], model: 'gpt' },
  TOKENIZER_MISMATCH: { file: 'policy.safetensors', expected: 'bpe-1a2b', given: 'bpe-9f9f' },
  VOCAB_MISMATCH: { file: 'policy.safetensors', tokenizer: 512, model: 600 },
  OUT_OF_RANGE: { file: 'config.json', field: 'nLayer', got: '-2', rule: 'positiveInteger' },
  CONFIG_NOT_OBJECT: { file: 'config.json' },
  CONFIG_UNKNOWN_FIELDS: { file: 'config.json', fields: ['nLayers'], known: ['nLayer', 'nHead'] },
  CONFIG_MISSING_FIELD: { file: 'config.json', field: 'vocabSize' },
  CONFIG_HEADS: { file: 'config.json', nEmbd: 30, nHead: 4 },
  CORPUS_EMPTY: { file: 'notes.txt' },
  CORPUS_BINARY: { file: 'photo.jpg', nulAt: 17, invalidBytes: null },
  CORPUS_FEW_DOCUMENTS: { file: 'one.txt', documents: 1, separator: '<|endoftext|>' },
  CORPUS_SPLIT_SHORT: { split: 'validation', tokens: 12, needed: 65 },
  PROMPT_EMPTY: { index: 3 },
  PROMPT_TOO_LONG: { index: 2, tokens: 80, context: 64 },
  PROMPT_BAD_TOKEN: { index: 1, token: 999, vocabSize: 512 },
  CONTEXT_OVERFLOW: { tokens: 70, context: 64 },
  NO_ROOM_FOR_RESPONSE: { tokens: 64, context: 64 },
  UNKNOWN_LABELER: { id: 'grumpy', known: ['positive', 'concise'] },
  KEYWORD_RULE_EMPTY: {},
  KEYWORD_TERM: { index: 2, term: '+dog', column: 6, problem: 'repeated', earlier: 1 },
  TOKEN_ID_OUT_OF_RANGE: { source: 'ngramValidation', document: 4, position: 17, token: 600, vocabSize: 512 },
  NGRAM_NO_TOKENS: { source: 'ngramTraining', reason: 'noTokens' },
  NGRAM_VOCAB: { vocabSize: 300000, order: 3 },
  NGRAM_LAMBDAS: { lambdas: [0.5, 0.6], problem: 'sum', sum: 1.1, maxOrder: 3 },
  NUMBER_BETWEEN: { file: null, field: '--stride', got: '"90"', min: 1, max: 64, integer: true, zeroTurnsOff: false },
  WIN_RATE_NO_PAIRS: {},
  NO_PROMPTS: {},
  TOKENIZER_CORPUS: { problem: 'onlySpecialTokens' },
  TOKENIZER_VOCAB_UNREACHABLE: { reachable: 290, asked: 400 },
  TOKENIZER_JSON: { problem: 'idDisagrees', field: 'added_tokens[0]', content: '"<|endoftext|>"', id: 5, vocabId: 262 },
  LABELER_OPTION: { labeler: 'long', option: 'tieMargin', got: '0.7' },
  LABELER_SCORE: { labeler: 'long', score: 'Infinity', response: '"A dog."' },
  LABELER_MODULE: {
    path: 'my-labeler.mjs',
    problem: 'threw',
    prompt: '"Once"',
    response: '"A cat."',
    detail: 'cats are not allowed',
  },
  PRETRAIN_STATE_FORMAT: { file: 'train-state.safetensors', got: '"rlhf-playground-gpt"' },
  AVERAGING_CHANGED: { file: 'train-state.safetensors', step: 40, reason: 'averaged', averaged: 4, from: 25, every: 5 },
  AVERAGE_SUM_MISSING: { file: 'train-state.safetensors', averaged: 3, tensor: 'wte.weight.average' },
  CLI_USAGE: { detail: "Unknown option '--stpes'", usage: 'npm run pretrain -- --corpus FILE' },
  CLI_REQUIRED: { flags: ['--corpus', '--preset', '--out'], usage: 'npm run pretrain -- --corpus FILE' },
  CLI_CHOICE: { flag: '--algo', choices: ['ppo', 'dpo'], got: 'sft', note: 'sftNeedsDemonstrations', usage: null },
  CLI_FLAG_NEEDS: { flag: '--average-every', needs: '--average-from' },
  CLI_NODE_ONLY: { flags: ['--vocab', '--layers'], why: 'modelShape' },
  CLI_MISSING: { path: 'runs/tiny/report.json', what: 'runFile' },
  EVALUATION_FIELD: { path: 'evaluation.json', field: 'sliding' },
  EVALUATION_OTHER_RUN: {
    path: 'evaluation.json',
    tokens: 1200,
    loss: 3.25,
    runTokens: 1300,
    runLoss: 3.1,
    checkpoint: 'runs/tiny/model.safetensors',
  },
  NO_BACKEND: {
    attempts: [
      { backend: 'webgpu', failure: { kind: 'threw', detail: 'WebGPU adapter refused' } },
      { backend: 'wasm', failure: { kind: 'threw', detail: 'wasm binary missing' } },
    ],
    detail: 'worker out of memory',
  },
  NOT_READY: {},
  NO_MODEL: { what: 'tokenizer' },
  NO_SHIPPED_MODEL: {},
  NO_SESSION: {},
  NO_LABELER: {},
  NO_REWARD_MODEL: {},
  ALGORITHM_NEEDS_REWARD_MODEL: { algorithm: 'grpo' },
  ALGORITHM_NEEDS_GROUPS: { algorithm: 'rloo' },
  NO_PAIRS_TO_TRAIN: { algorithm: 'ppo', reason: 'ratingsOnly', count: 2 },
  DPO_NEEDS_PAIRS: { needed: 3 },
  SFT_NEEDS_DEMONSTRATIONS: {},
  ROLLOUT_SAMPLING_UNSUPPORTED: { arm: 'broken' },
  CANCELLED: { work: 'download', url: 'models/tiny.safetensors' },
  BAD_REQUEST: { request: 'fly' },
  WORKER_CRASHED: { reason: 'out of memory' },
  WORKER_MESSAGE_UNREADABLE: {},
  UNEXPECTED_EVENT: { request: 'generate', event: 'ready' },
  DEVICE_LOST: { work: 'iterate', gpu: 'webgpu', reason: 'unknown' },
  DEVICE_LOST_NOTHING_TO_SAVE: { gpu: 'webgl', reason: 'destroyed' },
  INTERNAL: { detail: 'x is not a function' },
  DOWNLOAD_FAILED: { url: 'models/a.json', status: 503, detail: 'Service Unavailable' },
  DOWNLOAD_BROKE_OFF: { url: 'models/b.bin', loaded: 1234, detail: 'connection reset' },
  DOWNLOAD_CUT_SHORT: { url: 'models/c.bin', loaded: 100, total: 4096 },
  FILE_NOT_FOUND: { url: 'models/missing.json', html: true },
  NOT_JSON: { url: 'models/manifest.json', detail: 'Unexpected token <' },
  MANIFEST_NOT_OBJECT: { url: 'models/manifest.json', field: 'models[2]' },
  MANIFEST_NOT_STRING: { url: 'models/manifest.json', field: 'models[0].title', got: '42' },
  MANIFEST_NO_MODELS: { url: 'models/manifest.json' },
  MANIFEST_REPEATED_ID: { url: 'models/manifest.json', id: 'tiny' },
  MANIFEST_BAD_DEFAULT: { url: 'models/manifest.json', ids: ['tiny', 'small'], got: '"huge"' },
  NO_SUCH_MODEL: { url: 'models/manifest.json', id: 'huge', known: ['tiny', 'small'] },
  STORED_TOKENIZER_NOT_JSON: { name: 'my-model', detail: 'Unexpected end of JSON input' },
  POLICY_OTHER_MODEL: {},
  KL_BUDGET_STOPPED: { budget: 2.5, iteration: 4, kl: 3.25, keptKl: 1.75 },
  STORAGE_FULL: { what: 'comparison' },
  STORAGE_FAILED: { what: 'rewardCheckpoint', detail: 'UnknownError' },
  RECORD_NOT_FOUND: { kind: 'label', id: 17, store: 'ratings' },
  CHECKPOINT_IN_USE: { name: 'after-ppo', kind: 'policy' },
  NEEDS_STORAGE: { work: 'restoreBackup' },
  NOT_A_POLICY: { name: 'rm-3', kind: 'reward' },
  ...FILE_SAMPLES,
};

/**
 * Parameters that pick from a closed set (a kind, an algorithm, a GPU): the sentence puts them in
 * words of its own rather than writing the identifier. Every other value must appear as given.
 */
const ENUMERATED: Partial<Record<MessageCode, string[]>> = {
  NOT_A_CHECKPOINT: ['model'],
  FORMAT_VERSION: ['model'],
  UNEXPECTED_TENSORS: ['model'],
  CORPUS_SPLIT_SHORT: ['split'],
  OUT_OF_RANGE: ['rule'],
  KEYWORD_TERM: ['problem'],
  TOKEN_ID_OUT_OF_RANGE: ['source'],
  NGRAM_NO_TOKENS: ['source', 'reason'],
  NGRAM_LAMBDAS: ['problem'],
  TOKENIZER_CORPUS: ['problem'],
  TOKENIZER_JSON: ['problem'],
  LABELER_OPTION: ['option'],
  LABELER_MODULE: ['problem', 'returned'],
  AVERAGING_CHANGED: ['reason'],
  CLI_CHOICE: ['note'],
  CLI_MISSING: ['what'],
  CLI_NODE_ONLY: ['why'],
  NO_MODEL: ['what'],
  ALGORITHM_NEEDS_REWARD_MODEL: ['algorithm'],
  ALGORITHM_NEEDS_GROUPS: ['algorithm'],
  NO_PAIRS_TO_TRAIN: ['algorithm', 'reason'],
  CANCELLED: ['work'],
  DEVICE_LOST: ['work', 'gpu', 'reason'],
  DEVICE_LOST_NOTHING_TO_SAVE: ['gpu', 'reason'],
  STORAGE_FULL: ['what'],
  STORAGE_FAILED: ['what'],
  RECORD_NOT_FOUND: ['kind'],
  CHECKPOINT_IN_USE: ['kind'],
  NEEDS_STORAGE: ['work'],
  NOT_A_POLICY: ['kind'],
  FIELD_MISSING: ['expected'],
  FIELD_TYPE: ['expected'],
  FIELD_NUMBER: ['rule'],
  NOT_AN_OBJECT: ['what'],
  HF_FILE_MISSING: ['hint'],
  SAFETENSORS_HEADER: ['problem'],
  SAFETENSORS_ENTRY: ['problem'],
  BACKUP_POINTER: ['kind'],
};

/** Every free value inside `params`, as the sentence should write it. */
function valuesOf(code: MessageCode, params: object): string[] {
  const skip = ENUMERATED[code] ?? [];
  return Object.entries(params).flatMap(([key, v]: [string, unknown]): string[] => {
    if (skip.includes(key)) return [];
    // A shape is written as one list; every other list item by item (a list of problems has a test of its own).
    if (Array.isArray(v)) {
      if (key === 'shape' || key === 'expected') return [`[${v.join(', ')}]`];
      return v.filter((item) => typeof item !== 'object').map(String);
    }
    if (typeof v === 'string' || typeof v === 'number') return [String(v)];
    return [];
  });
}

describe('messages', () => {
  const codes = Object.keys(SAMPLES) as MessageCode[];

  it('has a sentence for every code, and a sample for every sentence', () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...codes].sort());
  });

  it.each(codes)('%s reads as a sentence naming its values', (code) => {
    const text = messageText({ code, params: SAMPLES[code] } as Parameters<typeof messageText>[0]);
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text).not.toMatch(/undefined|NaN|\[object/);
    expect(text).not.toMatch(/\$\{/);
    // A count may be written with thousands separators (124,439,808).
    for (const value of valuesOf(code, SAMPLES[code]))
      expect(
        [value, Number(value).toLocaleString('en')].some((v) => text.includes(v)),
        `${text} names ${value}`,
      ).toBe(true);
  });

  it('says why each backend failed, from the failure as data', () => {
    const text = messageText({
      code: 'NO_BACKEND',
      params: { attempts: [{ backend: 'webgpu', failure: { kind: 'softwareAdapter' } }], detail: null },
    });
    expect(text).toBe(
      'No TensorFlow.js backend could start: WebGPU: the only WebGPU adapter is a software one (SwiftShader, the GPU emulated on the CPU), slower than WASM',
    );
  });

  it('puts enumerated values in words rather than as identifiers', () => {
    expect(messageText({ code: 'ALGORITHM_NEEDS_GROUPS', params: { algorithm: 'rloo' } })).toContain('RLOO');
    expect(messageText({ code: 'STORAGE_FULL', params: { what: 'rewardCheckpoint' } })).toContain(
      'the reward checkpoint',
    );
    expect(
      messageText({ code: 'DEVICE_LOST', params: { work: 'iterate', gpu: 'webgl', reason: 'destroyed' } }),
    ).toMatch(/^Tuning was interrupted because the graphics card \(WebGL\) was switched off/);
  });

  it('writes optional and absent parameters without gaps', () => {
    expect(messageText({ code: 'RECORD_NOT_FOUND', params: { kind: 'run', id: 4 } })).toBe('There is no run 4.');
    expect(messageText({ code: 'WORKER_CRASHED', params: { reason: null } })).toContain('failed to load');
    expect(messageText({ code: 'DOWNLOAD_FAILED', params: { url: 'u', status: null, detail: 'offline' } })).toBe(
      'Could not download u: offline',
    );
  });
});

describe('import problems', () => {
  const { problems } = FILE_SAMPLES.IMPORT_PROBLEMS;

  it('lists every problem with its line or record, in words', () => {
    const text = messageText({ code: 'IMPORT_PROBLEMS', params: FILE_SAMPLES.IMPORT_PROBLEMS });
    expect(text.split('\n')).toEqual([
      'labels.jsonl: 2 problems, nothing was imported:',
      '  line 3: field "chosen" must be a string, got 42',
      '  stores.ratings[0]: field "labeler" must not be empty',
    ]);
    expect(importProblemText(problems[0])).toBe('line 3: field "chosen" must be a string, got 42');
  });

  it('writes out the first 20 problems and counts the rest', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ ...problems[0], line: i + 1 }));
    const text = messageText({ code: 'IMPORT_PROBLEMS', params: { file: 'big.jsonl', problems: many } });
    expect(text).toContain('big.jsonl: 23 problems, nothing was imported:');
    expect(text).toContain('line 20:');
    expect(text).not.toContain('line 21:');
    expect(text.endsWith('...and 3 more')).toBe(true);
  });
});

describe('why a pair was asked', () => {
  it('words each rule with the reward model numbers it carries', () => {
    expect(label.why({ kind: 'random' })).toBe('Why this pair: a random prompt, two samples from the current policy.');
    expect(label.why({ kind: 'uncertain', heads: 3, spread: 0.4567, candidates: 4 })).toBe(
      "Why this pair: the reward model's 3 heads disagree most about this pair (spread 0.46) among 4 candidates.",
    );
    expect(label.why({ kind: 'contrast', pA: 0.912, candidates: 8 })).toContain(
      '(P(A better) 0.91) among 8 candidates',
    );
    expect(label.why({ kind: 'secondOpinion' })).toContain('second opinion');
  });
});

/** One sample of every form of the codes whose parameters come in several shapes. */
const TOKENIZER_JSON_FORMS: { [P in TokenizerJsonProblem['problem']]: Extract<TokenizerJsonProblem, { problem: P }> } =
  {
    notObject: { problem: 'notObject', field: 'model' },
    notArray: { problem: 'notArray', field: 'model.merges' },
    unsupported: { problem: 'unsupported', field: 'normalizer', got: '{"type":"NFC"}' },
    notByteLevelStage: { problem: 'notByteLevelStage', field: 'decoder', got: '"WordPiece"', optional: true },
    notBpe: { problem: 'notBpe', got: '"WordPiece"' },
    mustBe: { problem: 'mustBe', field: 'pre_tokenizer.use_regex', value: true },
    notBoolean: { problem: 'notBoolean', field: 'model.ignore_merges', got: '"yes"' },
    badId: { problem: 'badId', field: 'model.vocab["he"]', got: '2.5', limit: 16777216 },
    sharedId: { problem: 'sharedId', field: 'model.vocab["he"]', other: 'model.vocab["Ġt"]', id: 256 },
    emptyContent: { problem: 'emptyContent', field: 'added_tokens[0].content', got: '""' },
    idDisagrees: { problem: 'idDisagrees', field: 'added_tokens[0]', content: '"<|pad|>"', id: 9, vocabId: 12 },
    idTaken: { problem: 'idTaken', field: 'added_tokens[1].id', id: 40, holder: '"ab"' },
    repeats: { problem: 'repeats', field: 'model.merges[7]', earlier: 'model.merges[1]' },
    emptyToken: { problem: 'emptyToken' },
    notByteLevelChar: { problem: 'notByteLevelChar', token: '"☃"', char: '"☃"' },
    missingByte: { problem: 'missingByte', char: '"Ċ"', byte: 10 },
    idGap: { problem: 'idGap', id: 257 },
    badMerge: { problem: 'badMerge', field: 'model.merges[7]', got: '["a"]' },
    notInVocab: { problem: 'notInVocab', field: 'model.merges[7]', token: '"oo"', merged: true },
    missingEos: { problem: 'missingEos', token: '"<|endoftext|>"' },
  };

const LABELER_MODULE_FORMS: { [P in LabelerModuleProblem['problem']]: Extract<LabelerModuleProblem, { problem: P }> } =
  {
    notFound: { problem: 'notFound', absolute: '/home/me/nope.mjs' },
    loadFailed: { problem: 'loadFailed', detail: 'SyntaxError: Unexpected token' },
    noScore: { problem: 'noScore' },
    badExport: { problem: 'badExport', name: 'title', expected: 'string', got: 'number' },
    threw: { problem: 'threw', prompt: '"Once"', response: '"A cat."', detail: 'cats are not allowed' },
    notFinite: { problem: 'notFinite', prompt: '"Once"', response: '""', returned: 'promise', value: 'Promise' },
  };

describe('messages with several forms', () => {
  it.each(Object.values(TOKENIZER_JSON_FORMS))('TOKENIZER_JSON $problem names its values', (params) => {
    const text = messageText({ code: 'TOKENIZER_JSON', params });
    expect(text).toMatch(/^tokenizer\.json: .{10,}\.$/);
    const values = valuesOf('TOKENIZER_JSON', params).filter((v) => !('byte' in params && v === String(params.byte)));
    for (const value of values) expect(text).toContain(value);
  });

  it('writes a missing byte in hex, as the byte-level alphabet lists it', () => {
    expect(messageText({ code: 'TOKENIZER_JSON', params: TOKENIZER_JSON_FORMS.missingByte })).toContain(
      'the token for byte 0x0a',
    );
  });

  it.each(Object.values(LABELER_MODULE_FORMS))('LABELER_MODULE $problem names the module and its values', (form) => {
    const params = { path: 'labelers/mine.mjs', ...form };
    const text = messageText({ code: 'LABELER_MODULE', params });
    expect(text).toMatch(/^Labeler module labelers\/mine\.mjs/);
    for (const value of valuesOf('LABELER_MODULE', params)) expect(text).toContain(value);
  });

  it('names every kind of token id, path and number range', () => {
    const sources = [
      'ngramTraining',
      'ngramValidation',
      'ngramHistory',
      'ngramNext',
      'ngramEndOfText',
      'decode',
      'idToToken',
    ] as const;
    const texts = sources.map((source) =>
      messageText({
        code: 'TOKEN_ID_OUT_OF_RANGE',
        params: { source, document: source.startsWith('ngram') ? 2 : null, position: 3, token: 999, vocabSize: 512 },
      }),
    );
    expect(new Set(texts).size).toBe(sources.length);
    for (const text of texts) expect(text).toContain('999 is not a token id in [0, 512)');
    const kinds = ['checkpoint', 'tokenizer', 'manifest', 'runFile', 'directory', 'heldout'] as const;
    const missing = kinds.map((what) => messageText({ code: 'CLI_MISSING', params: { path: 'p/x', what } }));
    expect(new Set(missing).size).toBe(kinds.length);
    expect(
      messageText({
        code: 'NUMBER_BETWEEN',
        params: { file: null, field: 'averageFrom', got: '41', min: 1, max: 40, integer: true, zeroTurnsOff: true },
      }),
    ).toBe('averageFrom must be an integer from 1 to 40 (or 0 to turn it off), got 41.');
    expect(
      messageText({
        code: 'NUMBER_BETWEEN',
        params: { file: null, field: '--vocab', got: '"12"', min: 258, max: null, integer: true, zeroTurnsOff: false },
      }),
    ).toBe('--vocab must be an integer of at least 258, got "12".');
  });
});

describe('labeler names', () => {
  it('names and describes every built-in labeler by id, and keyword rules by their rule', () => {
    for (const id of BUILTIN_LABELER_IDS) {
      expect(labelerNames.title(id)).not.toBe(id);
      expect(labelerNames.description(id).length).toBeGreaterThan(20);
    }
    expect(labelerNames.title('keyword:+dog -sad')).toBe('keywords +dog -sad');
    expect(labelerNames.description('keyword:+dog')).toBe('');
  });
});
