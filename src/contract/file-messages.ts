/**
 * The messages about files a person brings in or takes out: safetensors containers, checkpoints,
 * Hugging Face model directories, JSON Lines label files and workspace backups. An importer checks
 * the whole file and reports every problem at once (`IMPORT_PROBLEMS`), each problem a message of
 * its own with the line or record it was found in.
 *
 * Plain types, free of TensorFlow.js; `messages.ts` joins them into the one table of codes.
 */
import type { CheckpointKind, Message } from './messages';

type NoParams = Record<string, never>;

/** One problem found in an imported file, and where: a line of a JSON Lines file, a backup record. */
export interface ImportProblem {
  message: Message;
  /** 1-based line number in a JSON Lines file. */
  line?: number;
  /** The record it was found in, as the file names it (e.g. "stores.comparisons[3]"). */
  record?: string;
}

/** What a field must hold; `choice` lists the allowed values in the message's `choices`. */
export type FieldKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object'
  | 'list'
  | 'choice'
  | 'numberMap' // an object whose values are numbers or null
  | 'numberOrNull'
  | 'objectOrNull';

/** The JSON value that must be an object: one line of a label file, a whole file, a backup's parts. */
export type ObjectPlace = 'line' | 'file' | 'manifest' | 'record';

/** Why a file of a Hugging Face directory is missing, when the files present say why. */
export type HfMissingHint = 'sharded' | 'pytorchOnly' | 'slowTokenizer';

/** What is wrong with one tensor entry of a safetensors header; `got` shows the offending value. */
export type SafetensorsEntryProblem =
  'notObject' | 'missingField' | 'unexpectedField' | 'dtype' | 'shape' | 'offsets' | 'reversed' | 'tooLarge';

/** What is wrong with a safetensors header as a whole; `detail` is the parser's text or the value. */
export type SafetensorsHeaderProblem = 'notUtf8' | 'notJson' | 'notObject' | 'metadataNotObject';

/** Messages about files: containers, checkpoints, model directories, label files, backups. */
export interface FileMessages {
  /** `file` could not be imported: every problem found, each with where it is. */
  IMPORT_PROBLEMS: { file: string; problems: ImportProblem[] };

  // One field of a JSON object (a label line, a config, a backup record); `field` is its full path
  FIELD_MISSING: { field: string; expected: FieldKind; choices: string[] };
  /** The value `got` (as JSON) is not of the kind `expected`. */
  FIELD_TYPE: { field: string; expected: FieldKind; choices: string[]; got: string };
  FIELD_TOO_LONG: { field: string; length: number; limit: number };
  FIELD_EMPTY: { field: string };
  FIELD_INTEGER: { field: string; min: number; max: number; got: string };
  /** A number that must be finite, positive, or at least `min`. */
  FIELD_NUMBER: { field: string; rule: 'finite' | 'positive' | 'atLeast'; min: number | null; got: string };
  /** The field holds `got` where `expected` (as JSON) belongs. */
  FIELD_VALUE: { field: string; got: string; expected: string };
  /** A list of chat messages (TRL's conversational format) where a plain string belongs. */
  FIELD_CONVERSATIONAL: { field: string };
  FIELD_DATE: { field: string; got: string };
  /** A decision time longer than a day. */
  FIELD_DECISION_TIME: { field: string; ms: number };
  /** Two fields that say different things (`tie` and `choice`, `label` and `stars`). */
  FIELDS_DISAGREE: { first: string; firstValue: string; second: string; secondValue: string };
  /** A rating line with neither a `label` nor `stars`. */
  RATING_NEEDS_LABEL: NoParams;
  /** A JSON value that must be an object; `got` is it as JSON. */
  NOT_AN_OBJECT: { what: ObjectPlace; got: string };

  // JSON Lines files
  LINE_TOO_LONG: { length: number; limit: number };
  LINE_NOT_JSON: { detail: string };
  TOO_MANY_LINES: { lines: number; limit: number };
  /** Reading stopped after `limit` problems. */
  TOO_MANY_PROBLEMS: { limit: number };
  NO_LABEL_LINES: NoParams;

  // Hugging Face GPT-2 directories
  HF_FILE_MISSING: { file: string; hint: HfMissingHint | null };
  JSON_TOO_LARGE: { bytes: number; limit: number };
  /** `file` is not JSON: `detail` is the parser's text, or null when the bytes are not UTF-8. */
  FILE_NOT_JSON: { file: string; detail: string | null };
  HF_ARCHITECTURE: { got: string };
  HF_ACTIVATION: { got: string };
  /** `n_inner` is `got`; the engine's MLP is `width` = 4 x n_embd wide. */
  HF_MLP_WIDTH: { got: string; width: number };
  /** A boolean option the engine computes only one way. */
  HF_FLAG: { field: string; expected: boolean; got: boolean };
  HF_HEADS: { nEmbd: number; nHead: number };
  /** tokenizer.json's size differs from config.json's vocab_size. */
  HF_VOCAB_MISMATCH: { file: string; tokenizer: number; vocabSize: number };
  MODEL_TOO_LARGE: { params: number; limit: number };
  /** An explicit LM head that differs from the token embedding. */
  LM_HEAD_UNTIED: { file: string };
  /** The tensor is there with and without the "transformer." prefix. */
  TENSOR_TWICE: { tensor: string };

  // Tensors, listed: `more` counts the names left out of `tensors`
  TENSORS_MISSING: { tensors: string[]; more: number };
  TENSORS_UNEXPECTED: { tensors: string[]; more: number };
  TENSOR_WRONG_SHAPE: { tensor: string; shape: number[]; expected: number[] };

  // One tensor's values; `file` is null when the tensor's name already says where
  TENSOR_DTYPE_UNKNOWN: { file: string | null; tensor: string; dtype: string };
  TENSOR_NOT_FLOAT: { file: string | null; tensor: string; dtype: string };
  /** `bytes` bytes where `shape` of `dtype` needs `needed`. */
  TENSOR_BYTES: { file: string | null; tensor: string; bytes: number; shape: number[]; dtype: string; needed: number };
  /** The first value that is not finite, at flat `index`. */
  TENSOR_NOT_FINITE: { file: string | null; tensor: string; index: number; value: string };

  // Safetensors containers
  /** Fewer bytes than the header says; `tensor` is the one that ends past the end, when that is why. */
  SAFETENSORS_TRUNCATED: { file: string; needed: number; got: number; tensor: string | null };
  SAFETENSORS_HEADER_LENGTH: { file: string; length: number; limit: number };
  SAFETENSORS_HEADER: { file: string; problem: SafetensorsHeaderProblem; detail: string };
  /** A metadata value (`key`) that is not a string; `got` is it as JSON. */
  SAFETENSORS_METADATA: { file: string; key: string; got: string };
  SAFETENSORS_ENTRY: { file: string; tensor: string; problem: SafetensorsEntryProblem; got: string };
  /** The entry's byte range holds `bytes` bytes, but `shape` of `dtype` needs `needed`. */
  SAFETENSORS_SIZE: { file: string; tensor: string; bytes: number; shape: number[]; dtype: string; needed: number };
  SAFETENSORS_OVERLAP: { file: string; tensor: string; other: string };
  SAFETENSORS_GAP: { file: string; bytes: number; offset: number; tensor: string };
  SAFETENSORS_TRAILING: { file: string; bytes: number; end: number; dataBytes: number };

  // Checkpoints read together
  CHECKPOINTS_TOKENIZERS: { first: string; second: string; firstTokenizer: string; secondTokenizer: string };
  CHECKPOINTS_SHAPES: {
    first: string;
    second: string;
    firstVocab: number;
    firstContext: number;
    secondVocab: number;
    secondContext: number;
  };
  /** A reward model whose normalisation is not finite (training diverged), so it cannot be saved. */
  REWARD_NORMALISATION: { mean: string; std: string };

  // Workspace backups
  NOT_A_BACKUP: { got: string; expected: string };
  BACKUP_VERSION: { got: string; supported: string };
  BACKUP_MANIFEST_MISSING: NoParams;
  BACKUP_MANIFEST_NOT_JSON: { detail: string };
  /** The app's database versions a backup may come from. */
  BACKUP_SCHEMA: { got: string; oldest: number; newest: number };
  /** A tensor that is not an attachment (attachments are named `prefix` + name). */
  BACKUP_STRAY_TENSOR: { tensor: string; prefix: string };
  BACKUP_ATTACHMENT: { tensor: string; dtype: string; shape: number[] };
  /** `key` (as JSON) appears twice in `store`. */
  BACKUP_KEY_TWICE: { store: string; key: string };
  /** The current checkpoint of `kind` points to one that is not of that kind. */
  BACKUP_POINTER: { kind: CheckpointKind; checkpoint: number };
  BACKUP_ATTACHMENT_MISSING: { checkpoint: number; attachment: string };
}
