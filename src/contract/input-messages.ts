/**
 * Messages about input given to the engine's tools (token ids, tokenizer files, simulated
 * labelers, pretraining state, evaluation arguments) and to the Node commands' command lines.
 * Part of the one table of message codes (`MessageParams` in ./messages); plain types, free of
 * TensorFlow.js.
 */

type NoParams = Record<string, never>;

/** The token lists the n-gram baseline reads. */
export type NgramDocs = 'ngramTraining' | 'ngramValidation' | 'ngramHistory';

/** Where a token id was given: an n-gram list, the n-gram query's next token or end-of-text id, or the tokenizer. */
export type TokenIdSource = NgramDocs | 'ngramNext' | 'ngramEndOfText' | 'decode' | 'idToToken';

/** What is wrong in a tokenizer.json; `field` names the place (`model.vocab["Ġt"]`), values are quoted as JSON. */
export type TokenizerJsonProblem =
  /** `field` is not a JSON object (null: the file itself). */
  | { problem: 'notObject'; field: string | null }
  | { problem: 'notArray'; field: string }
  /** A feature this tokenizer does not implement: `field` must be null. */
  | { problem: 'unsupported'; field: string; got: string }
  /** A pipeline stage that must be ByteLevel (`optional`: or null). */
  | { problem: 'notByteLevelStage'; field: string; got: string; optional: boolean }
  | { problem: 'notBpe'; got: string }
  /** A flag that must hold `value`: false for unsupported options, true for GPT-2's regex splitting. */
  | { problem: 'mustBe'; field: string; value: boolean }
  | { problem: 'notBoolean'; field: string; got: string }
  /** Not an integer id below `limit`. */
  | { problem: 'badId'; field: string; got: string; limit: number }
  /** `field` and `other` have the same `id`. */
  | { problem: 'sharedId'; field: string; other: string; id: number }
  | { problem: 'emptyContent'; field: string; got: string }
  /** An added token whose `id` differs from the `vocabId` model.vocab gives its `content`. */
  | { problem: 'idDisagrees'; field: string; content: string; id: number; vocabId: number }
  /** An added token's `id` already held by model.vocab's `holder`. */
  | { problem: 'idTaken'; field: string; id: number; holder: string }
  /** `field` repeats the one at `earlier`. */
  | { problem: 'repeats'; field: string; earlier: string }
  | { problem: 'emptyToken' }
  /** A model token spelling `char`, which is no byte's character. */
  | { problem: 'notByteLevelChar'; token: string; char: string }
  /** No token `char` for byte `byte`. */
  | { problem: 'missingByte'; char: string; byte: number }
  /** No token has `id`, though ids must run from 0 without gaps. */
  | { problem: 'idGap'; id: number }
  | { problem: 'badMerge'; field: string; got: string }
  /** A merge's part (`merged` false) or its result (`merged` true) missing from model.vocab. */
  | { problem: 'notInVocab'; field: string; token: string; merged: boolean }
  | { problem: 'missingEos'; token: string };

/** A labeler module (an ES module with a `score` export) that cannot be used. */
export type LabelerModuleProblem =
  /** No file at `absolute`. */
  | { problem: 'notFound'; absolute: string }
  /** Importing it threw `detail`. */
  | { problem: 'loadFailed'; detail: string }
  | { problem: 'noScore' }
  /** Export `name` has type `got`, not `expected`. */
  | {
      problem: 'badExport';
      name: 'score' | 'id' | 'title' | 'description';
      expected: 'function' | 'string';
      got: string;
    }
  /** `score` threw `detail` on `response` (quoted) to `prompt` (quoted). */
  | { problem: 'threw'; prompt: string; response: string; detail: string }
  /**
   * `score` returned something other than a finite number: a Promise, a non-finite number
   * (`value` as written) or a value of another `type`.
   */
  | { problem: 'notFinite'; prompt: string; response: string; returned: 'promise' | 'number' | 'other'; value: string };

/** Engine input: token ids, tokenizers, n-gram baselines, win-rates, labelers, pretraining state. */
export interface InputMessages {
  /** A token id outside [0, vocabSize); `document` and `position` locate it in a list (null: one id). */
  TOKEN_ID_OUT_OF_RANGE: {
    source: TokenIdSource;
    document: number | null;
    position: number | null;
    token: number;
    vocabSize: number;
  };
  /** The n-gram baseline's `source` holds no documents (`noDocuments`) or no tokens in them. */
  NGRAM_NO_TOKENS: { source: NgramDocs; reason: 'noDocuments' | 'noTokens' };
  /** A vocabulary too large for exact n-gram keys of `order`: vocabSize^order must be a safe integer. */
  NGRAM_VOCAB: { vocabSize: number; order: number };
  /**
   * Interpolation weights: 1 to `maxOrder` non-negative weights with the first positive
   * (`shape`), summing to 1 (`sum` is their sum).
   */
  NGRAM_LAMBDAS: { lambdas: number[]; problem: 'shape' | 'sum'; sum: number; maxOrder: number };
  /**
   * A number outside [min, max] (max null: no upper bound); `integer` when it must be whole,
   * `zeroTurnsOff` when 0 is allowed too and turns the feature off. `file` as for OUT_OF_RANGE.
   */
  NUMBER_BETWEEN: {
    file: string | null;
    field: string;
    got: string;
    min: number;
    max: number | null;
    integer: boolean;
    zeroTurnsOff: boolean;
  };
  WIN_RATE_NO_PAIRS: NoParams;
  /** Generation asked for no prompt at all. */
  NO_PROMPTS: NoParams;
  /** Tokenizer training text that is not a string or list of strings, empty, or only special tokens. */
  TOKENIZER_CORPUS: { problem: 'notText' | 'empty' | 'onlySpecialTokens' };
  /** The text supports only `reachable` tokens (every pre-token is one token), fewer than `asked`. */
  TOKENIZER_VOCAB_UNREACHABLE: { reachable: number; asked: number };
  TOKENIZER_JSON: TokenizerJsonProblem;
  /** A simulated labeler's option out of range: an empty id, rationality < 0, tie margin outside [0, 0.5], cutpoints. */
  LABELER_OPTION: { labeler: string; option: 'id' | 'rationality' | 'tieMargin' | 'ratingCutpoints'; got: string };
  /** A labeler's gold score (as written) for `response` (quoted) is not a finite number. */
  LABELER_SCORE: { labeler: string; score: string; response: string };
  LABELER_MODULE: { path: string } & LabelerModuleProblem;
  /** A file given as pretraining state whose `format` metadata is `got` (as JSON). */
  PRETRAIN_STATE_FORMAT: { file: string; got: string };
  /**
   * Resuming at `step` with other weight-averaging settings: the run has `averaged` snapshots
   * from step `from` every `every` (`averaged`), or would start averaging at `startFrom`, already
   * past (`past`).
   */
  AVERAGING_CHANGED: { file: string; step: number } & (
    { reason: 'averaged'; averaged: number; from: number; every: number } | { reason: 'past'; startFrom: number }
  );
  /** The state says `averaged` snapshots were averaged but lacks the running sum `tensor`. */
  AVERAGE_SUM_MISSING: { file: string; averaged: number; tensor: string };
}

/** Why a command-line choice leaves out a value the engine knows. */
export type CliChoiceNote = 'hfDirectory' | 'sftNeedsDemonstrations' | 'inNode' | 'inBrowser';

/** What a command needed to find on disk. */
export type CliPathKind = 'checkpoint' | 'tokenizer' | 'manifest' | 'runFile' | 'directory' | 'heldout';

/** What is wrong with a `--seeds` list: a part that is no seed or range, a range running backwards, too many seeds, or `--seed` given too. */
export type SeedsProblem =
  | { kind: 'notSeed'; part: string }
  | { kind: 'backwards'; from: number; to: number }
  | { kind: 'tooMany'; limit: number }
  | { kind: 'withSeed' };

/** The Node commands' command lines and the files they name. `usage` is the command's usage line. */
export interface CliMessages {
  /** The arguments could not be read; `detail` is Node's description (an unknown flag, a missing value). */
  CLI_USAGE: { detail: string; usage: string };
  /** `--seeds` could not be read (`got` as given), or came together with `--seed`. */
  CLI_SEEDS: { got: string; problem: SeedsProblem };
  CLI_REQUIRED: { flags: string[]; usage: string };
  /** `flag` is `got`, not one of `choices`; `note` says why some value is left out. */
  CLI_CHOICE: { flag: string; choices: string[]; got: string; note: CliChoiceNote | null; usage: string | null };
  /** `flag` only works together with `needs`. */
  CLI_FLAG_NEEDS: { flag: string; needs: string };
  /** Two flags that say opposite things: `flag` makes `other` meaningless. */
  CLI_FLAG_EXCLUDES: { flag: string; other: string };
  /** Flags the browser bench cannot honour: a CPU clock, or another model shape than the base preset's. */
  CLI_NODE_ONLY: { flags: string[]; why: 'cpuClock' | 'modelShape' };
  CLI_MISSING: { path: string; what: CliPathKind };
  /** An LM evaluation file whose `field` is not a number. */
  EVALUATION_FIELD: { path: string; field: string };
  /**
   * An LM evaluation file about another checkpoint or corpus: it has `tokens` held-out tokens at
   * `loss` nats, the run `runTokens` at `runLoss`; `checkpoint` is the run's.
   */
  EVALUATION_OTHER_RUN: {
    path: string;
    tokens: number;
    loss: number;
    runTokens: number;
    runLoss: number;
    checkpoint: string;
  };
}
