/** The sentences for the engine's messages: bad files, training text, prompts and labeler rules. */
import type { EngineMessages, KeywordProblem, NumberRule } from '../../contract/messages';

/** One function per code, from its parameters to its sentence (every locale's message tables use it). */
export type Sentences<M> = { [C in keyof M]: (p: M[C]) => string };

const MODEL_NAMES = { gpt: 'GPT', reward: 'reward model' } as const;

const KEYWORD_PROBLEMS: Record<Exclude<KeywordProblem, 'repeated'>, string> = {
  noSign: 'must start with + (reward) or - (penalty)',
  noWord: 'has no word after the sign',
  notAWord: 'is not a word of letters with an optional weight (+2word or +word:2)',
  twoWeights: 'gives two weights',
  zeroWeight: 'has weight 0',
};

const RULES: Record<NumberRule, string> = {
  positiveInteger: 'a positive integer',
  nonNegativeInteger: 'a non-negative integer',
  positiveNumber: 'a positive number',
  nonNegativeNumber: 'a number of at least 0',
  finiteNumber: 'a finite number',
  openUnit: 'between 0 and 1',
  unitUpToOne: 'in (0, 1]',
  unitFromZero: 'in [0, 1)',
};

const KEYWORD_EXAMPLE = 'write terms like "+dog +2ball -sad:0.5"';

const shape = (dims: number[]): string => `[${dims.join(', ')}]`;

export const ENGINE_MESSAGES: Sentences<EngineMessages> = {
  METADATA_MISSING: (p) => `${p.file}: metadata field "${p.field}" is missing.`,
  METADATA_NOT_JSON: (p) => `${p.file}: metadata field "${p.field}" is not valid JSON.`,
  METADATA_NOT_OBJECT: (p) => `${p.file}: metadata field "${p.field}" must be a JSON object.`,
  NOT_A_CHECKPOINT: (p) =>
    `${p.file}: not an RLHF Playground ${p.model === 'gpt' ? 'checkpoint' : 'reward model'} (metadata "format" is ${p.got}, expected "${p.expected}").`,
  POLICY_NOT_REWARD: (p) => `${p.file}: a policy checkpoint, not a reward model.`,
  FORMAT_VERSION: (p) =>
    `${p.file}: ${p.model === 'gpt' ? 'checkpoint' : 'reward-model'} format version ${p.got} is not supported (this build reads version ${p.supported}).`,
  TENSOR_MISSING: (p) => `${p.file}: tensor ${p.tensor} is missing.`,
  TENSOR_SHAPE: (p) =>
    `${p.file}: tensor ${p.tensor} has shape ${shape(p.shape)}, but the config needs ${shape(p.expected)}.`,
  UNEXPECTED_TENSORS: (p) =>
    `${p.file}: unexpected tensor(s) ${p.tensors.join(', ')} for a ${MODEL_NAMES[p.model]} with this config.`,
  TOKENIZER_MISMATCH: (p) =>
    `${p.file}: this model was trained with tokenizer ${p.expected}, but the tokenizer given is ${p.given}; load the tokenizer.json that ships with it.`,
  VOCAB_MISMATCH: (p) =>
    `${p.file}: the tokenizer has ${p.tokenizer} tokens but the model's vocabulary is ${p.model}; they must be equal.`,
  OUT_OF_RANGE: (p) => `${p.file === null ? '' : `${p.file}: `}${p.field} must be ${RULES[p.rule]}, got ${p.got}.`,
  CONFIG_NOT_OBJECT: (p) => `${p.file}: the model config must be a JSON object.`,
  CONFIG_UNKNOWN_FIELDS: (p) =>
    `${p.file}: unknown config field(s) ${p.fields.map((f) => `"${f}"`).join(', ')}; known fields are ${p.known.join(', ')}.`,
  CONFIG_MISSING_FIELD: (p) => `${p.file}: missing config field "${p.field}".`,
  CONFIG_HEADS: (p) => `${p.file}: nEmbd (${p.nEmbd}) must be divisible by nHead (${p.nHead}).`,
  CORPUS_EMPTY: (p) => `${p.file} is empty: give a UTF-8 text file with some writing in it.`,
  CORPUS_BINARY: (p) =>
    `${p.file} looks binary, not UTF-8 text (${p.nulAt !== null ? `a NUL byte at character ${p.nulAt}` : `${p.invalidBytes ?? 0} bytes that are not valid UTF-8`}); give a plain text file.`,
  CORPUS_FEW_DOCUMENTS: (p) =>
    `${p.file} has ${p.documents} document(s); at least 2 are needed so one can be held out for validation (separate documents with ${p.separator} or blank lines).`,
  CORPUS_SPLIT_SHORT: (p) =>
    `The ${p.split} split has ${p.tokens} tokens, fewer than it needs (${p.needed}); give a longer text or a smaller context.`,
  PROMPT_EMPTY: (p) =>
    `Prompt ${p.index} is empty: give at least one token (an empty text prompt can start from end-of-text).`,
  PROMPT_TOO_LONG: (p) =>
    `Prompt ${p.index} is ${p.tokens} tokens, but the model's context is ${p.context} tokens: a prompt may have at most ${p.context - 1} tokens, to leave room for one new token.`,
  PROMPT_BAD_TOKEN: (p) => `Prompt ${p.index} has token id ${p.token}, outside the vocabulary [0, ${p.vocabSize}).`,
  CONTEXT_OVERFLOW: (p) => `${p.tokens} tokens do not fit in the model's context of ${p.context}.`,
  NO_ROOM_FOR_RESPONSE: (p) =>
    `The longest prompt is ${p.tokens} tokens; the context of ${p.context} leaves no room for a response.`,
  UNKNOWN_LABELER: (p) => `Unknown labeler "${p.id}"; built-in labelers: ${p.known.join(', ')}.`,
  KEYWORD_RULE_EMPTY: () => `The keyword rule is empty; ${KEYWORD_EXAMPLE}.`,
  KEYWORD_TERM: (p) =>
    `Keyword rule: term ${p.index} "${p.term}" (at character ${p.column}) ${p.problem === 'repeated' ? `repeats the word of term ${p.earlier ?? '?'}` : KEYWORD_PROBLEMS[p.problem]}; ${KEYWORD_EXAMPLE}.`,
};
