/** The sentences for input given to the engine's tools: token ids, tokenizers, baselines, labelers, pretraining state. */
import type {
  InputMessages,
  LabelerModuleProblem,
  NgramDocs,
  TokenIdSource,
  TokenizerJsonProblem,
} from '../../contract/input-messages';
import type { Sentences } from './engine-messages';

const NGRAM_DOCS: Record<NgramDocs, string> = {
  ngramTraining: "The n-gram baseline's training documents",
  ngramValidation: "The n-gram baseline's validation documents",
  ngramHistory: 'The n-gram query history',
};

function tokenSource(p: InputMessages['TOKEN_ID_OUT_OF_RANGE']): string {
  if (p.source === 'ngramNext') return "The n-gram query's next token";
  if (p.source === 'ngramEndOfText') return "The n-gram baseline's end-of-text id";
  if (p.source === 'decode') return `Decoding: ids[${p.position ?? '?'}]`;
  if (p.source === 'idToToken') return 'The token id';
  return `${NGRAM_DOCS[p.source]}: document ${p.document ?? '?'}, position ${p.position ?? '?'}:`;
}

const SOURCES_WITH_TOKEN_WORD: readonly TokenIdSource[] = ['ngramTraining', 'ngramValidation', 'ngramHistory'];

/** What is wrong with a tokenizer.json, after its "tokenizer.json: " prefix. */
function tokenizerJson(p: TokenizerJsonProblem): string {
  switch (p.problem) {
    case 'notObject':
      return p.field === null ? 'the file must hold a JSON object' : `${p.field} must be a JSON object`;
    case 'notArray':
      return `${p.field} must be an array`;
    case 'unsupported':
      return `${p.field} must be null (not supported), got ${p.got}`;
    case 'notByteLevelStage':
      return `${p.field}.type must be "ByteLevel"${p.optional ? ' (or the stage null)' : ''}, got ${p.got}`;
    case 'notBpe':
      return `model.type must be "BPE", got ${p.got}`;
    case 'mustBe':
      return p.value ? `${p.field} must be true (GPT-2 splitting)` : `${p.field} must be false (not supported)`;
    case 'notBoolean':
      return `${p.field} must be a boolean, got ${p.got}`;
    case 'badId':
      return `${p.field} is not an integer id in [0, ${p.limit}), got ${p.got}`;
    case 'sharedId':
      return `${p.other} and ${p.field} share id ${p.id}`;
    case 'emptyContent':
      return `${p.field} must be a non-empty string, got ${p.got}`;
    case 'idDisagrees':
      return `${p.field} ${p.content} has id ${p.id}, but model.vocab gives it id ${p.vocabId}`;
    case 'idTaken':
      return `${p.field} ${p.id} already belongs to model.vocab[${p.holder}]`;
    case 'repeats':
      return `${p.field} repeats ${p.earlier}`;
    case 'emptyToken':
      return 'model.vocab has an empty token ""';
    case 'notByteLevelChar':
      return `model.vocab[${p.token}] contains ${p.char}, which is not a byte-level character`;
    case 'missingByte':
      return `model.vocab lacks ${p.char}, the token for byte 0x${p.byte.toString(16).padStart(2, '0')}`;
    case 'idGap':
      return `ids must run from 0 without gaps, but no token in model.vocab or added_tokens has id ${p.id}`;
    case 'badMerge':
      return `${p.field} must be ["left", "right"] or "left right", got ${p.got}`;
    case 'notInVocab':
      return p.merged
        ? `${p.field}: the merged token ${p.token} is not in model.vocab`
        : `${p.field}: ${p.token} is not in model.vocab`;
    case 'missingEos':
      return `missing ${p.token}: neither added_tokens nor model.vocab has it`;
  }
}

/** What is wrong with a labeler module, after "labeler module PATH". */
function labelerModule(p: LabelerModuleProblem): string {
  switch (p.problem) {
    case 'notFound':
      return ` not found (looked for ${p.absolute}).`;
    case 'loadFailed':
      return ` could not be loaded: ${p.detail}`;
    case 'noScore':
      return ' has no "score" export; export function score(prompt, response) returning a number.';
    case 'badExport':
      return `: export "${p.name}" must be a ${p.expected}, got a ${p.got}.`;
    case 'threw':
      return ` threw on response ${p.response} to prompt ${p.prompt}: ${p.detail}`;
    case 'notFinite': {
      const returned =
        p.returned === 'promise'
          ? 'a Promise (score must be synchronous)'
          : p.returned === 'number'
            ? p.value
            : `a ${p.value}`;
      return ` returned ${returned} on response ${p.response} to prompt ${p.prompt}; score must return a finite number.`;
    }
  }
}

function labelerOption(p: InputMessages['LABELER_OPTION']): string {
  const where = `Labeler "${p.labeler}"`;
  if (p.option === 'id') return `A labeler's id must be a non-empty string, got "${p.got}".`;
  if (p.option === 'rationality')
    return `${where}: rationality ${p.got} must be at least 0 (Infinity means noiseless).`;
  if (p.option === 'tieMargin') return `${where}: tieMargin ${p.got} must be in [0, 0.5].`;
  return `${where}: ratingCutpoints ${p.got} must be 4 finite, strictly increasing numbers.`;
}

function numberBetween(p: InputMessages['NUMBER_BETWEEN']): string {
  const kind = p.integer ? 'an integer' : 'a number';
  const range = p.max === null ? `of at least ${p.min}` : `from ${p.min} to ${p.max}`;
  const off = p.zeroTurnsOff ? ' (or 0 to turn it off)' : '';
  return `${p.file === null ? '' : `${p.file}: `}${p.field} must be ${kind} ${range}${off}, got ${p.got}.`;
}

export const INPUT_MESSAGES: Sentences<InputMessages> = {
  TOKEN_ID_OUT_OF_RANGE: (p) =>
    `${tokenSource(p)} ${SOURCES_WITH_TOKEN_WORD.includes(p.source) ? 'token ' : ''}${p.token} is not a token id in [0, ${p.vocabSize}).`,
  NGRAM_NO_TOKENS: (p) => `${NGRAM_DOCS[p.source]} ${p.reason === 'noDocuments' ? 'are missing' : 'hold no tokens'}.`,
  NGRAM_VOCAB: (p) =>
    `The n-gram baseline needs a vocabulary size that is a positive integer with vocabSize^${p.order} a safe integer, got ${p.vocabSize}.`,
  NGRAM_LAMBDAS: (p) =>
    p.problem === 'shape'
      ? `The interpolation weights [${p.lambdas.join(', ')}] must be 1 to ${p.maxOrder} non-negative numbers, the first above 0 (their sum is ${p.sum}).`
      : `The interpolation weights [${p.lambdas.join(', ')}] sum to ${p.sum}, not 1 (at most ${p.maxOrder} of them).`,
  NUMBER_BETWEEN: numberBetween,
  WIN_RATE_NO_PAIRS: () => 'A win-rate needs at least one judged pair.',
  NO_PROMPTS: () => 'Generation needs at least one prompt.',
  TOKENIZER_CORPUS: (p) =>
    p.problem === 'notText'
      ? 'The training text for the tokenizer must be a string or a list of strings.'
      : p.problem === 'empty'
        ? 'The training text for the tokenizer is empty.'
        : 'The training text for the tokenizer is empty apart from special tokens.',
  TOKENIZER_VOCAB_UNREACHABLE: (p) =>
    `The training text only supports a vocabulary of ${p.reachable} tokens, not ${p.asked}: every pre-token is already one token; give more text or a smaller vocabulary size.`,
  TOKENIZER_JSON: (p) => `tokenizer.json: ${tokenizerJson(p)}.`,
  LABELER_OPTION: labelerOption,
  LABELER_SCORE: (p) =>
    `Labeler "${p.labeler}": gold score ${p.score} for response ${p.response} is not a finite number.`,
  LABELER_MODULE: (p) => `Labeler module ${p.path}${labelerModule(p)}`,
  PRETRAIN_STATE_FORMAT: (p) => `${p.file}: not a pretraining state file (format ${p.got}).`,
  AVERAGING_CHANGED: (p) =>
    `${p.file}: the run at step ${p.step} ${p.reason === 'averaged' ? `has averaged ${p.averaged} snapshots from step ${p.from} every ${p.every}` : `would start averaging at step ${p.startFrom}, which is already past`}; resume it with the weight-averaging settings it was started with, or average from a later step.`,
  AVERAGE_SUM_MISSING: (p) => `${p.file}: says ${p.averaged} snapshots were averaged but has no ${p.tensor}.`,
};
