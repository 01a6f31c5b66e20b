/**
 * More samples of the message codes whose sentence branches on a parameter, beside the one in
 * message-samples.ts: every form of TOKENIZER_JSON and LABELER_MODULE, and the branches of the
 * file messages. The locale tests render each in every language.
 */
import type { FileMessages } from '../../src/contract/file-messages';
import type { LabelerModuleProblem, MessageCode, TokenizerJsonProblem } from '../../src/contract/messages';

/** One sample of every form of the codes whose parameters come in several shapes. */
export const TOKENIZER_JSON_FORMS: {
  [P in TokenizerJsonProblem['problem']]: Extract<TokenizerJsonProblem, { problem: P }>;
} = {
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

export const LABELER_MODULE_FORMS: {
  [P in LabelerModuleProblem['problem']]: Extract<LabelerModuleProblem, { problem: P }>;
} = {
  notFound: { problem: 'notFound', absolute: '/home/me/nope.mjs' },
  loadFailed: { problem: 'loadFailed', detail: 'SyntaxError: Unexpected token' },
  noScore: { problem: 'noScore' },
  badExport: { problem: 'badExport', name: 'title', expected: 'string', got: 'number' },
  threw: { problem: 'threw', prompt: '"Once"', response: '"A cat."', detail: 'cats are not allowed' },
  notFinite: { problem: 'notFinite', prompt: '"Once"', response: '""', returned: 'promise', value: 'Promise' },
};

type FileCode = Exclude<keyof FileMessages, 'IMPORT_PROBLEMS'>;
type FileForms = { [C in FileCode]?: FileMessages[C][] };

/** The file messages' other branches: each kind of field, place, entry problem and checkpoint. */
const FILE_FORMS: FileForms = {
  FIELD_TYPE: [
    { field: 'chosen', expected: 'string', choices: [], got: '42' },
    { field: 'x', expected: 'boolean', choices: [], got: '1' },
    { field: 'x', expected: 'numberMap', choices: [], got: '[]' },
    { field: 'x', expected: 'objectOrNull', choices: [], got: '3' },
  ],
  FIELD_MISSING: [
    { field: 'gold', expected: 'numberOrNull', choices: [] },
    { field: 'meta', expected: 'object', choices: [] },
    { field: 'tags', expected: 'list', choices: [] },
    { field: 'score', expected: 'number', choices: [] },
  ],
  FIELD_NUMBER: [
    { field: 'score', rule: 'finite', min: null, got: '"Infinity"' },
    { field: 'beta', rule: 'positive', min: null, got: '-1' },
    { field: 'decision_ms', rule: 'atLeast', min: null, got: '-3' },
  ],
  NOT_AN_OBJECT: [
    { what: 'file', got: '3' },
    { what: 'manifest', got: 'null' },
    { what: 'record', got: '"x"' },
  ],
  HF_FILE_MISSING: [
    { file: 'config.json', hint: null },
    { file: 'model.safetensors', hint: 'sharded' },
    { file: 'model.safetensors', hint: 'pytorchOnly' },
  ],
  FILE_NOT_JSON: [{ file: 'gpt2/tokenizer.json', detail: null }],
  TENSORS_MISSING: [{ tensors: ['wte', 'wpe'], more: 0 }],
  TENSORS_UNEXPECTED: [{ tensors: ['score.weight'], more: 0 }],
  TENSOR_DTYPE_UNKNOWN: [{ file: null, tensor: 'wte', dtype: 'F8' }],
  TENSOR_NOT_FLOAT: [{ file: 'rm.safetensors', tensor: 'wte', dtype: 'I64' }],
  TENSOR_BYTES: [{ file: null, tensor: 'wpe', bytes: 8, shape: [3], dtype: 'F32', needed: 12 }],
  TENSOR_NOT_FINITE: [{ file: null, tensor: 'wte', index: 0, value: '-Infinity' }],
  SAFETENSORS_TRUNCATED: [{ file: 'model.safetensors', needed: 8, got: 3, tensor: null }],
  SAFETENSORS_HEADER: (['notUtf8', 'notObject', 'metadataNotObject'] as const).map((problem) => ({
    file: 'm.safetensors',
    problem,
    detail: '[1]',
  })),
  SAFETENSORS_ENTRY: (
    ['notObject', 'unexpectedField', 'dtype', 'shape', 'offsets', 'reversed', 'tooLarge'] as const
  ).map((problem) => ({ file: 'm.safetensors', tensor: 'wte', problem, got: '[8, 4]' })),
  BACKUP_POINTER: [
    { kind: 'policy', checkpoint: 4 },
    { kind: 'value', checkpoint: 5 },
  ],
};

/** Every other form of the codes that have several, beside the one in SAMPLES. */
export const FORMS: Partial<Record<MessageCode, object[]>> = {
  ...FILE_FORMS,
  TOKENIZER_JSON: Object.values(TOKENIZER_JSON_FORMS),
  LABELER_MODULE: Object.values(LABELER_MODULE_FORMS).map((form) => ({ path: 'labelers/mine.mjs', ...form })),
};
