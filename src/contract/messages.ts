/**
 * Every message the engine, the worker and storage raise for a person, as a code and the typed
 * values it needs. Below the page nothing writes the sentence: `src/ui/strings/messages.ts` (used
 * by the page and the Node commands alike) turns `{ code, params }` into words. Adding a code here
 * without a sentence there, or without a sample in the render test, fails the type check.
 *
 * This file is plain types, free of TensorFlow.js, so the page can import it without the engine.
 */

import type { BackendAttempt } from './backends';
import type { FileMessages } from './file-messages';
import type { CliMessages, InputMessages } from './input-messages';

export type * from './input-messages';

type NoParams = Record<string, never>;

/** The GPU API a lost device was used through. */
export type GpuApi = 'webgpu' | 'webgl';
/** Taken away on purpose (`destroyed`) or by the browser or driver (`unknown`). */
export type GpuLossReason = 'destroyed' | 'unknown';
/** The work a lost GPU interrupted. */
export type InterruptedWork =
  'iterate' | 'pretrain' | 'trainReward' | 'generate' | 'evaluate' | 'samplePolicies' | 'other';
/** What a failed write was saving. */
export type StoredThing =
  | 'comparison'
  | 'rating'
  | 'demonstration'
  | 'generation'
  | 'vote'
  | 'prompts'
  | 'run'
  | 'runMetrics'
  | 'change'
  | 'trainingLease'
  | 'importedLabels'
  | 'restoredWorkspace'
  | `${CheckpointKind}Checkpoint`;
/** Work that needs IndexedDB, refused in a window that does not allow it. */
export type NeedsStorage =
  'exportLabels' | 'importLabels' | 'exportBackup' | 'restoreBackup' | 'importModel' | 'exportModel';
/** The stores whose records can be named by id. */
export type RecordKind = 'checkpoint' | 'run' | 'prompt' | 'label';
/** The kinds of checkpoint. */
export type CheckpointKind = 'policy' | 'reward' | 'value';
/** The tuning algorithms, as the settings name them. */
export type AlgorithmId = 'ppo' | 'grpo' | 'rloo' | 'dpo' | 'sft';

/** The worker's messages: downloads, requests out of order, missing prerequisites, lost GPUs. */
export interface WorkerMessages {
  /**
   * No tfjs backend could start: `attempts` says why each failed; `detail` is the thrown error's
   * own text when the failure was something else (null when the attempts say it all).
   */
  NO_BACKEND: { attempts: BackendAttempt[]; detail: string | null };
  NOT_READY: NoParams;
  /** `what` was asked of a worker that has no model loaded. */
  NO_MODEL: { what: 'keep' | 'generate' | 'tune' | 'train' | 'tokenizer' };
  /** A saved model can only replace the shipped one once that is loaded. */
  NO_SHIPPED_MODEL: NoParams;
  NO_SESSION: NoParams;
  NO_LABELER: NoParams;
  /** Scoring a text before a reward model exists. */
  NO_REWARD_MODEL: NoParams;
  /** An online algorithm needs the reward model. */
  ALGORITHM_NEEDS_REWARD_MODEL: { algorithm: AlgorithmId };
  /** A group method needs two samples or more per prompt. */
  ALGORITHM_NEEDS_GROUPS: { algorithm: AlgorithmId };
  /**
   * The reward model has no pair to train on: all `count` pairs are held out, or `count` star
   * ratings form no pair, or there are none. `algorithm` is the one that needs it (null: training
   * the reward model itself).
   */
  NO_PAIRS_TO_TRAIN: {
    algorithm: AlgorithmId | null;
    reason: 'allHeldOut' | 'ratingsOnly' | 'none';
    count: number | null;
  };
  /** DPO needs at least `needed` decided pairs or ratings. */
  DPO_NEEDS_PAIRS: { needed: number };
  SFT_NEEDS_DEMONSTRATIONS: NoParams;
  /** A request the person stopped; `work` says which. */
  CANCELLED: { work: 'request' | 'download' | 'generate' | 'pretrain' | 'iterate' | 'experiment'; url?: string };
  /** A malformed request; `request` is its type, or null when it had none. */
  BAD_REQUEST: { request: string | null };
  /** The worker died; `reason` is the browser's description, or null when it gave none. */
  WORKER_CRASHED: { reason: string | null };
  /** A message from the worker could not be read. */
  WORKER_MESSAGE_UNREADABLE: NoParams;
  /** The worker answered `request` with an event of an unexpected `event` type. */
  UNEXPECTED_EVENT: { request: string; event: string };
  /** Work cut short by a lost GPU. */
  DEVICE_LOST: { work: InterruptedWork; gpu: GpuApi; reason: GpuLossReason };
  /** Saving refused: the policy on the lost GPU is gone, and the one restored is already saved. */
  DEVICE_LOST_NOTHING_TO_SAVE: { gpu: GpuApi; reason: GpuLossReason };
  /** Something unexpected (a bug); `detail` is the thrown error's own text. */
  INTERNAL: { detail: string };
  /** A download failed: `status` is the HTTP status, or null when the request itself failed. */
  DOWNLOAD_FAILED: { url: string; status: number | null; detail: string };
  DOWNLOAD_BROKE_OFF: { url: string; loaded: number; detail: string };
  DOWNLOAD_CUT_SHORT: { url: string; loaded: number; total: number };
  /** A file missing on the server: a 404, or an HTML page served in its place. */
  FILE_NOT_FOUND: { url: string; html: boolean };
  /** A downloaded file that should be JSON is not. */
  NOT_JSON: { url: string; detail: string };
  /** The manifest, or its entry `field` (e.g. `models[0]`), is not a JSON object. */
  MANIFEST_NOT_OBJECT: { url: string; field: string | null };
  /** A manifest entry's `field` is not a non-empty string; `got` is its JSON. */
  MANIFEST_NOT_STRING: { url: string; field: string; got: string };
  MANIFEST_NO_MODELS: { url: string };
  MANIFEST_REPEATED_ID: { url: string; id: string };
  /** `default` is not one of the model `ids`; `got` is its JSON. */
  MANIFEST_BAD_DEFAULT: { url: string; ids: string[]; got: string };
  /** The manifest has no model `id`; it has `known`. */
  NO_SUCH_MODEL: { url: string; id: string; known: string[] };
  /** The tokenizer stored with a saved model is not JSON. */
  STORED_TOKENIZER_NOT_JSON: { name: string; detail: string };
  /** A saved policy made for another model than the loaded one. */
  POLICY_OTHER_MODEL: NoParams;
  /**
   * Not a failure: tuning iteration `iteration` took the KL to the reference to `kl` nats, past
   * the budget of `budget`; it was undone (the policy is back at `keptKl`) and the run stopped.
   */
  KL_BUDGET_STOPPED: { budget: number; iteration: number; kl: number; keptKl: number };
}

/** Storage's messages: full or failing IndexedDB, records that are gone or still in use. */
export interface StorageMessages {
  /** The browser refused to store more while saving `what`. */
  STORAGE_FULL: { what: StoredThing };
  /** Any other IndexedDB failure while saving `what`; `detail` is the browser's text. */
  STORAGE_FAILED: { what: StoredThing; detail: string };
  /** A record named by id that does not exist (`store` narrows where a label was looked for). */
  RECORD_NOT_FOUND: { kind: RecordKind; id: number; store?: string };
  /** Deleting the current checkpoint of its kind. */
  CHECKPOINT_IN_USE: { name: string; kind: CheckpointKind };
  /** Work that needs the browser's storage, in a window that does not allow it. */
  NEEDS_STORAGE: { work: NeedsStorage };
  /** Exporting a reward-model checkpoint as a language model. */
  NOT_A_POLICY: { name: string; kind: CheckpointKind };
}

/** The engine's messages: bad input (configs, files, prompts, settings) and numerical failures. */
export interface EngineMessages {
  // Checkpoint files: `file` names the file (or what it was read from)
  METADATA_MISSING: { file: string; field: string };
  METADATA_NOT_JSON: { file: string; field: string };
  METADATA_NOT_OBJECT: { file: string; field: string };
  /** The `format` metadata is `got` (as JSON), not `expected`. */
  NOT_A_CHECKPOINT: { file: string; got: string; expected: string; model: 'gpt' | 'reward' };
  /** A policy checkpoint given where a reward model was expected. */
  POLICY_NOT_REWARD: { file: string };
  /** A format version this build does not read; it reads `supported`. */
  FORMAT_VERSION: { file: string; got: string; supported: number; model: 'gpt' | 'reward' };
  TENSOR_MISSING: { file: string; tensor: string };
  TENSOR_SHAPE: { file: string; tensor: string; shape: number[]; expected: number[] };
  /** Tensors the config has no place for (the first few). */
  UNEXPECTED_TENSORS: { file: string; tensors: string[]; model: 'gpt' | 'reward' };
  /** A model trained with tokenizer `expected` given tokenizer `given` (fingerprints). */
  TOKENIZER_MISMATCH: { file: string; expected: string; given: string };
  /** The tokenizer's vocabulary size differs from the model's. */
  VOCAB_MISMATCH: { file: string; tokenizer: number; model: number };

  // Settings and configs: `file` names where a value came from (null: an argument or setting)
  /** A value outside its allowed range; `got` is it as written (JSON for config files). */
  OUT_OF_RANGE: { file: string | null; field: string; got: string; rule: NumberRule };
  CONFIG_NOT_OBJECT: { file: string };
  CONFIG_UNKNOWN_FIELDS: { file: string; fields: string[]; known: string[] };
  CONFIG_MISSING_FIELD: { file: string; field: string };
  /** The embedding width must split evenly over the heads. */
  CONFIG_HEADS: { file: string; nEmbd: number; nHead: number };

  // Training text
  CORPUS_EMPTY: { file: string };
  /** Not UTF-8 text: a NUL byte at `nulAt`, or `invalidBytes` replacement characters. */
  CORPUS_BINARY: { file: string; nulAt: number | null; invalidBytes: number | null };
  /** Too few documents to hold one out; `separator` splits documents. */
  CORPUS_FEW_DOCUMENTS: { file: string; documents: number; separator: string };
  /** A split shorter than one context window needs. */
  CORPUS_SPLIT_SHORT: { split: 'training' | 'validation'; tokens: number; needed: number };

  // Prompts
  PROMPT_EMPTY: { index: number };
  /** Prompt `index` has `tokens` tokens; the context of `context` allows `context - 1`. */
  PROMPT_TOO_LONG: { index: number; tokens: number; context: number };
  PROMPT_BAD_TOKEN: { index: number; token: number; vocabSize: number };
  /** `tokens` tokens do not fit the model's context. */
  CONTEXT_OVERFLOW: { tokens: number; context: number };
  /** The longest prompt leaves no room for a response. */
  NO_ROOM_FOR_RESPONSE: { tokens: number; context: number };

  // Simulated labelers
  UNKNOWN_LABELER: { id: string; known: string[] };
  KEYWORD_RULE_EMPTY: NoParams;
  /** Term `index` of a keyword rule, at character `column`; `earlier` is the term it repeats. */
  KEYWORD_TERM: { index: number; term: string; column: number; problem: KeywordProblem; earlier: number | null };
}

/** The range a number must lie in. */
export type NumberRule =
  | 'positiveInteger'
  | 'nonNegativeInteger'
  | 'positiveNumber'
  | 'nonNegativeNumber'
  | 'finiteNumber'
  | 'openUnit' // (0, 1)
  | 'unitUpToOne' // (0, 1]
  | 'unitFromZero'; // [0, 1)

/** What is wrong with a keyword rule's term. */
export type KeywordProblem = 'noSign' | 'noWord' | 'notAWord' | 'twoWeights' | 'zeroWeight' | 'repeated';

export interface MessageParams
  extends WorkerMessages, StorageMessages, EngineMessages, FileMessages, InputMessages, CliMessages {}

export type MessageCode = keyof MessageParams;

/** One message: a code and its parameters, as plain data that crosses any boundary. */
export type Message<C extends MessageCode = MessageCode> = { [K in C]: { code: K; params: MessageParams[K] } }[C];

/**
 * The message as one line for an Error's own `message`, logs and stack traces (the page never
 * shows it): the code and its parameters as JSON.
 */
export function messageLogLine(message: Message): string {
  return `${message.code} ${JSON.stringify(message.params)}`;
}
