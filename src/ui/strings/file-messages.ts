/**
 * The sentences for messages about files: safetensors containers, checkpoints, Hugging Face model
 * directories, label files and backups. The list of an import's problems (IMPORT_PROBLEMS) is put
 * together in `messages.ts`, which renders each problem with the whole table.
 */
import type {
  FieldKind,
  FileMessages,
  HfMissingHint,
  ObjectPlace,
  SafetensorsEntryProblem,
  SafetensorsHeaderProblem,
} from '../../contract/file-messages';
import type { CheckpointKind } from '../../contract/messages';

type Sentences<M> = { [C in keyof M]: (p: M[C]) => string };

const shape = (dims: number[]): string => `[${dims.join(', ')}]`;
const quoted = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');
const inFile = (file: string | null): string => (file === null ? '' : `${file}: `);

const FIELD_KINDS: Record<FieldKind, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  list: 'a list',
  choice: 'one of',
  numberMap: 'an object of numbers',
  numberOrNull: 'a number or null',
  objectOrNull: 'an object or null',
};

/** "a string", or "one of "a", "b"" for a choice. */
function kind(expected: FieldKind, choices: string[]): string {
  return expected === 'choice' ? `one of ${quoted(choices)}` : FIELD_KINDS[expected];
}

const OBJECT_PLACES: Record<ObjectPlace, string> = {
  line: 'must be a JSON object {"prompt", "chosen", "rejected"} or {"prompt", "completion", "label"}',
  file: 'must be a JSON object',
  manifest: 'the manifest must be a JSON object',
  record: 'must be an object',
};

const HF_HINTS: Record<HfMissingHint, (file: string) => string> = {
  sharded: (file) =>
    `the weights are sharded (model.safetensors.index.json); save the model with save_pretrained(..., max_shard_size="10GB") to get one ${file}`,
  pytorchOnly: (file) =>
    `only pytorch_model.bin is present; save with save_pretrained(..., safe_serialization=True) to get ${file}`,
  slowTokenizer: (file) =>
    `only vocab.json and merges.txt are present; save a fast tokenizer (tokenizer.save_pretrained with a GPT2TokenizerFast) to get ${file}`,
};

const ENTRY_PROBLEMS: Record<SafetensorsEntryProblem, (got: string) => string> = {
  notObject: (got) => `the entry must be an object with dtype, shape and data_offsets, got ${got}`,
  missingField: (got) => `missing field "${got}"`,
  unexpectedField: (got) => `unexpected field "${got}"`,
  dtype: (got) => `dtype ${got} is not supported (expected one of F32, F16, BF16, F64, I32, I64, U8, BOOL)`,
  shape: (got) => `shape must be a list of non-negative integers, got ${got}`,
  offsets: (got) => `data_offsets must be two non-negative integers [begin, end], got ${got}`,
  reversed: (got) => `data_offsets ${got} are reversed (begin > end)`,
  tooLarge: (got) => `shape ${got} is too large`,
};

const HEADER_PROBLEMS: Record<SafetensorsHeaderProblem, (detail: string) => string> = {
  notUtf8: (detail) => `the header is not valid UTF-8 (${detail})`,
  notJson: (detail) => `the header is not valid JSON (${detail})`,
  notObject: (detail) => `the header must be a JSON object, got ${detail}`,
  metadataNotObject: (detail) => `"__metadata__" must be an object of strings, got ${detail}`,
};

const KIND_NAMES: Record<CheckpointKind, string> = { policy: 'policy', reward: 'reward model', value: 'value model' };

const FIELD_NUMBER_RULES = {
  finite: () => 'a finite number',
  positive: () => 'a positive number',
  atLeast: (min: number | null) => `a number of at least ${min ?? 0}`,
} as const;

export const FILE_MESSAGES: Omit<Sentences<FileMessages>, 'IMPORT_PROBLEMS'> = {
  FIELD_MISSING: (p) => `field "${p.field}" is missing (expected ${kind(p.expected, p.choices)})`,
  FIELD_TYPE: (p) => `field "${p.field}" must be ${kind(p.expected, p.choices)}, got ${p.got}`,
  FIELD_TOO_LONG: (p) => `field "${p.field}" is ${p.length} characters long; the limit is ${p.limit}`,
  FIELD_EMPTY: (p) => `field "${p.field}" must not be empty`,
  FIELD_INTEGER: (p) => `field "${p.field}" must be an integer from ${p.min} to ${p.max}, got ${p.got}`,
  FIELD_NUMBER: (p) => `field "${p.field}" must be ${FIELD_NUMBER_RULES[p.rule](p.min)}, got ${p.got}`,
  FIELD_VALUE: (p) => `field "${p.field}" is ${p.got}, expected ${p.expected}`,
  FIELD_CONVERSATIONAL: (p) =>
    `field "${p.field}" is a list of messages (TRL's conversational format); only the standard format with plain strings can be imported`,
  FIELD_DATE: (p) => `field "${p.field}" must be an ISO 8601 date such as "2025-01-31T12:00:00.000Z", got ${p.got}`,
  FIELD_DECISION_TIME: (p) => `field "${p.field}" is ${p.ms}; more than a day is not a decision time`,
  FIELDS_DISAGREE: (p) => `fields "${p.first}" (${p.firstValue}) and "${p.second}" (${p.secondValue}) disagree`,
  RATING_NEEDS_LABEL: () => 'a line with "completion" needs "label" (true or false) or "stars" (1-5)',
  NOT_AN_OBJECT: (p) => `${OBJECT_PLACES[p.what]}, got ${p.got}`,
  LINE_TOO_LONG: (p) => `the line is ${p.length} characters long; the limit is ${p.limit}`,
  LINE_NOT_JSON: (p) => `not valid JSON (${p.detail})`,
  TOO_MANY_LINES: (p) => `the file has ${p.lines} lines; the limit is ${p.limit}`,
  TOO_MANY_PROBLEMS: (p) => `stopped reading after ${p.limit} problems`,
  NO_LABEL_LINES: () => 'the file holds no preference lines (nor ratings)',
  HF_FILE_MISSING: (p) => (p.hint === null ? `${p.file} is missing` : HF_HINTS[p.hint](p.file)),
  JSON_TOO_LARGE: (p) => `${p.bytes} bytes is too large for a JSON file (limit ${p.limit})`,
  FILE_NOT_JSON: (p) => `${p.file}: not valid JSON (${p.detail ?? 'not valid UTF-8'})`,
  HF_ARCHITECTURE: (p) => `field "architectures" must list "GPT2LMHeadModel", got ${p.got}`,
  HF_ACTIVATION: (p) =>
    `field "activation_function" is ${p.got}; this app computes GELU with the tanh approximation only ("gelu_new")`,
  HF_MLP_WIDTH: (p) => `field "n_inner" is ${p.got}; this app's MLP width is 4 x n_embd (${p.width}) or null`,
  HF_FLAG: (p) => `field "${p.field}" must be ${p.expected} for this app's GPT-2, got ${p.got}`,
  HF_VOCAB_MISMATCH: (p) =>
    `${p.file}: tokenizer.json has ${p.tokenizer} tokens but config.json says vocab_size ${p.vocabSize}; they must be equal`,
  HF_HEADS: (p) => `n_embd (${p.nEmbd}) must be divisible by n_head (${p.nHead})`,
  MODEL_TOO_LARGE: (p) =>
    `the model has ${p.params.toLocaleString('en')} parameters; models above ${p.limit.toLocaleString('en')} are too large to train in a browser tab`,
  LM_HEAD_UNTIED: (p) =>
    `${p.file}: lm_head.weight differs from transformer.wte.weight; this app ties the LM head to the token embedding, so an untied head cannot be imported`,
  TENSOR_TWICE: (p) => `tensor ${p.tensor} appears twice (with and without the "transformer." prefix)`,
  TENSORS_MISSING: (p) => `missing tensor(s) ${p.tensors.join(', ')}${p.more > 0 ? ` and ${p.more} more` : ''}`,
  TENSORS_UNEXPECTED: (p) =>
    `unexpected tensor(s) ${p.tensors.join(', ')}${p.more > 0 ? ` and ${p.more} more` : ''} for a GPT-2 with this config`,
  TENSOR_WRONG_SHAPE: (p) =>
    `tensor ${p.tensor} has shape ${shape(p.shape)}, but the config needs ${shape(p.expected)}`,
  TENSOR_DTYPE_UNKNOWN: (p) => `${inFile(p.file)}tensor ${p.tensor}: unknown dtype ${p.dtype}`,
  TENSOR_NOT_FLOAT: (p) =>
    `${inFile(p.file)}tensor ${p.tensor}: dtype ${p.dtype} is not a float type; expected F32, F16, BF16 or F64`,
  TENSOR_BYTES: (p) =>
    `${inFile(p.file)}tensor ${p.tensor}: ${p.bytes} bytes do not match shape ${shape(p.shape)} of ${p.dtype} (${p.needed})`,
  TENSOR_NOT_FINITE: (p) =>
    `${inFile(p.file)}tensor ${p.tensor}: value at index ${p.index} is ${p.value}; every value must be finite`,
  SAFETENSORS_TRUNCATED: (p) =>
    p.tensor === null
      ? `${p.file}: truncated: expected at least ${p.needed} bytes, got ${p.got}`
      : `${p.file}: truncated: expected ${p.needed} bytes, got ${p.got} (tensor "${p.tensor}" ends past the data)`,
  SAFETENSORS_HEADER_LENGTH: (p) =>
    `${p.file}: header length ${p.length} is absurd (limit ${p.limit} bytes); not a safetensors file?`,
  SAFETENSORS_HEADER: (p) => `${p.file}: ${HEADER_PROBLEMS[p.problem](p.detail)}`,
  SAFETENSORS_METADATA: (p) => `${p.file}: "__metadata__" field "${p.key}" must be a string, got ${p.got}`,
  SAFETENSORS_ENTRY: (p) => `${p.file}: tensor "${p.tensor}": ${ENTRY_PROBLEMS[p.problem](p.got)}`,
  SAFETENSORS_SIZE: (p) =>
    `${p.file}: tensor "${p.tensor}": its data_offsets hold ${p.bytes} bytes, but shape ${shape(p.shape)} of ${p.dtype} needs ${p.needed}`,
  SAFETENSORS_OVERLAP: (p) => `${p.file}: tensor "${p.tensor}" overlaps tensor "${p.other}"`,
  SAFETENSORS_GAP: (p) =>
    `${p.file}: a gap of ${p.bytes} unused bytes at data offset ${p.offset}, before tensor "${p.tensor}"`,
  SAFETENSORS_TRAILING: (p) =>
    `${p.file}: ${p.bytes} trailing bytes after the last tensor (tensors end at ${p.end} of ${p.dataBytes} data bytes)`,
  CHECKPOINTS_TOKENIZERS: (p) =>
    `${p.first} uses tokenizer ${p.firstTokenizer} but ${p.second} uses tokenizer ${p.secondTokenizer}: the two checkpoints cannot be paired`,
  CHECKPOINTS_SHAPES: (p) =>
    `${p.first} (vocabulary ${p.firstVocab}, context ${p.firstContext}) and ${p.second} (vocabulary ${p.secondVocab}, context ${p.secondContext}) do not match`,
  REWARD_NORMALISATION: (p) =>
    `The reward model's scores went out of range while training (mean ${p.mean}, spread ${p.std}), so it cannot be saved; train it again, perhaps with a lower learning rate.`,
  NOT_A_BACKUP: (p) =>
    `not an RLHF Playground workspace backup (metadata "format" is ${p.got}, expected "${p.expected}")`,
  BACKUP_VERSION: (p) => `backup format version ${p.got} is not supported (this build reads version ${p.supported})`,
  BACKUP_MANIFEST_MISSING: () => 'the "manifest" metadata field is missing',
  BACKUP_MANIFEST_NOT_JSON: (p) => `the manifest is not valid JSON (${p.detail})`,
  BACKUP_SCHEMA: (p) =>
    `schemaVersion ${p.got} cannot be restored by this version of the app (it reads ${p.oldest} to ${p.newest})`,
  BACKUP_STRAY_TENSOR: (p) => `unexpected tensor ${p.tensor}; attachments are named "${p.prefix}<name>"`,
  BACKUP_ATTACHMENT: (p) => `attachment ${p.tensor} must be a U8 tensor of rank 1, got ${p.dtype} ${shape(p.shape)}`,
  BACKUP_KEY_TWICE: (p) => `stores.${p.store}: key ${p.key} appears twice`,
  BACKUP_POINTER: (p) =>
    `the current ${KIND_NAMES[p.kind]} points to checkpoint ${p.checkpoint}, which is not a ${KIND_NAMES[p.kind]} checkpoint in the backup`,
  BACKUP_ATTACHMENT_MISSING: (p) =>
    `checkpoint ${p.checkpoint} names attachment ${p.attachment}, which the file does not contain`,
};
