/**
 * Reading tokenizer.json: every field this tokenizer relies on is checked, and a file that needs
 * a feature it does not implement (a normalizer, a prefix space, dropout...) is refused rather than
 * silently encoded differently from Hugging Face. Each error names the offending field.
 */
import type { TokenizerJsonProblem } from '../../contract/messages';
import { EngineError } from '../errors';
import { BYTE_TO_CHAR, firstNonByteChar } from './bytes';
import type { Merge } from './merges';
import { EOS_TOKEN, PAD_TOKEN, type AddedToken, type TokenizerSpec } from './spec';

type JsonObject = Record<string, unknown>;

/** Ids must stay below this so that `left * idLimit + right` pair keys are exact in a double. */
const MAX_TOKENS = 1 << 24;
const SHOWN_CHARS = 40;

function fail(problem: TokenizerJsonProblem): never {
  throw new EngineError('BAD_TOKENIZER', { code: 'TOKENIZER_JSON', params: problem });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value quoted for a message, cut short when long. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}...` : text;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A pipeline stage that must be a ByteLevel block (or, when `optional`, null, giving null). */
function byteLevelStage(json: JsonObject, field: string, optional: boolean): JsonObject | null {
  const stage = json[field];
  if (optional && isAbsent(stage)) return null;
  if (!isObject(stage) || stage.type !== 'ByteLevel') {
    const got = isObject(stage) ? show(stage.type) : show(stage);
    fail({ problem: 'notByteLevelStage', field, got, optional });
  }
  return stage;
}

function checkPipeline(json: JsonObject): void {
  for (const field of ['normalizer', 'truncation', 'padding']) {
    if (!isAbsent(json[field])) fail({ problem: 'unsupported', field, got: show(json[field]) });
  }
  byteLevelStage(json, 'post_processor', true);
  byteLevelStage(json, 'decoder', true);
  const pre = byteLevelStage(json, 'pre_tokenizer', false);
  if (pre?.add_prefix_space === true)
    fail({ problem: 'mustBe', field: 'pre_tokenizer.add_prefix_space', value: false });
  if (pre?.use_regex === false) fail({ problem: 'mustBe', field: 'pre_tokenizer.use_regex', value: true });
}

function checkModelOptions(model: JsonObject): void {
  if (model.type !== 'BPE') fail({ problem: 'notBpe', got: show(model.type) });
  if (!isAbsent(model.dropout) && model.dropout !== 0) {
    fail({ problem: 'unsupported', field: 'model.dropout', got: show(model.dropout) });
  }
  for (const field of ['continuing_subword_prefix', 'end_of_word_suffix']) {
    if (!isAbsent(model[field]) && model[field] !== '') {
      fail({ problem: 'unsupported', field: `model.${field}`, got: show(model[field]) });
    }
  }
  if (model.byte_fallback === true) fail({ problem: 'mustBe', field: 'model.byte_fallback', value: false });
  if (!isAbsent(model.ignore_merges) && typeof model.ignore_merges !== 'boolean') {
    fail({ problem: 'notBoolean', field: 'model.ignore_merges', got: show(model.ignore_merges) });
  }
}

function parseVocab(raw: unknown): Map<string, number> {
  if (!isObject(raw)) fail({ problem: 'notObject', field: 'model.vocab' });
  const vocab = new Map<string, number>();
  const tokenWithId = new Map<number, string>();
  for (const [token, id] of Object.entries(raw)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= MAX_TOKENS) {
      fail({ problem: 'badId', field: `model.vocab[${show(token)}]`, got: show(id), limit: MAX_TOKENS });
    }
    const other = tokenWithId.get(id);
    if (other !== undefined) {
      fail({ problem: 'sharedId', field: `model.vocab[${show(token)}]`, other: `model.vocab[${show(other)}]`, id });
    }
    tokenWithId.set(id, token);
    vocab.set(token, id);
  }
  return vocab;
}

function parseAddedToken(raw: unknown, where: string): AddedToken {
  if (!isObject(raw)) fail({ problem: 'notObject', field: where });
  const { id, content } = raw;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= MAX_TOKENS) {
    fail({ problem: 'badId', field: `${where}.id`, got: show(id), limit: MAX_TOKENS });
  }
  if (typeof content !== 'string' || content.length === 0) {
    fail({ problem: 'emptyContent', field: `${where}.content`, got: show(content) });
  }
  return { id, content };
}

/** added_tokens, checked against each other and against model.vocab. */
function parseAddedTokens(raw: unknown, vocab: Map<string, number>): AddedToken[] {
  if (isAbsent(raw)) return [];
  if (!Array.isArray(raw)) fail({ problem: 'notArray', field: 'added_tokens' });
  const vocabTokenWithId = new Map([...vocab].map(([token, id]) => [id, token]));
  const seenIds = new Map<number, number>();
  const seenContents = new Map<string, number>();
  return raw.map((item, i) => {
    const where = `added_tokens[${i}]`;
    const token = parseAddedToken(item, where);
    const vocabId = vocab.get(token.content);
    if (vocabId !== undefined && vocabId !== token.id) {
      fail({ problem: 'idDisagrees', field: where, content: show(token.content), id: token.id, vocabId });
    }
    const holder = vocabTokenWithId.get(token.id);
    if (holder !== undefined && holder !== token.content) {
      fail({ problem: 'idTaken', field: `${where}.id`, id: token.id, holder: show(holder) });
    }
    const sameId = seenIds.get(token.id);
    if (sameId !== undefined) fail({ problem: 'repeats', field: `${where}.id`, earlier: `added_tokens[${sameId}].id` });
    const sameContent = seenContents.get(token.content);
    if (sameContent !== undefined) {
      fail({ problem: 'repeats', field: `${where}.content`, earlier: `added_tokens[${sameContent}].content` });
    }
    seenIds.set(token.id, i);
    seenContents.set(token.content, i);
    return token;
  });
}

/** Model tokens must spell bytes, and every byte must have its one-byte token, for exact round trips. */
function checkByteLevelVocab(vocab: Map<string, number>, added: readonly AddedToken[]): void {
  const addedContents = new Set(added.map((token) => token.content));
  for (const token of vocab.keys()) {
    if (addedContents.has(token)) continue;
    if (token.length === 0) fail({ problem: 'emptyToken' });
    const stray = firstNonByteChar(token);
    if (stray !== null) {
      fail({ problem: 'notByteLevelChar', token: show(token), char: show(stray) });
    }
  }
  BYTE_TO_CHAR.forEach((char, byte) => {
    if (!vocab.has(char)) {
      fail({ problem: 'missingByte', char: show(char), byte });
    }
  });
}

function checkIdsContiguous(vocab: Map<string, number>, added: readonly AddedToken[]): void {
  const ids = new Set([...vocab.values(), ...added.map((token) => token.id)]);
  for (let id = 0; id < ids.size; id++) {
    if (!ids.has(id)) {
      fail({ problem: 'idGap', id });
    }
  }
}

/** One merge, written as ["left", "right"] (current files) or "left right" (older files). */
function mergeParts(raw: unknown, where: string): [string, string] {
  const parts = typeof raw === 'string' ? raw.split(' ') : raw;
  const isPair =
    Array.isArray(parts) && parts.length === 2 && parts.every((part) => typeof part === 'string' && part.length > 0);
  if (!isPair) fail({ problem: 'badMerge', field: where, got: show(raw) });
  return [parts[0], parts[1]];
}

function parseMerges(raw: unknown, vocab: Map<string, number>): Merge[] {
  if (!Array.isArray(raw)) fail({ problem: 'notArray', field: 'model.merges' });
  const firstSeen = new Map<string, number>();
  return raw.map((item, i) => {
    const where = `model.merges[${i}]`;
    const [leftToken, rightToken] = mergeParts(item, where);
    const left = vocab.get(leftToken);
    const right = vocab.get(rightToken);
    const result = vocab.get(leftToken + rightToken);
    if (left === undefined) fail({ problem: 'notInVocab', field: where, token: show(leftToken), merged: false });
    if (right === undefined) fail({ problem: 'notInVocab', field: where, token: show(rightToken), merged: false });
    if (result === undefined) {
      fail({ problem: 'notInVocab', field: where, token: show(leftToken + rightToken), merged: true });
    }
    const pairKey = `${left},${right}`;
    const earlier = firstSeen.get(pairKey);
    if (earlier !== undefined) fail({ problem: 'repeats', field: where, earlier: `model.merges[${earlier}]` });
    firstSeen.set(pairKey, i);
    return { left, right, result };
  });
}

/**
 * The special tokens this tokenizer relies on are treated as added tokens even when a file lists
 * them only in model.vocab, so that encode never splits them.
 */
function withSpecials(added: AddedToken[], vocab: Map<string, number>): AddedToken[] {
  const all = [...added];
  for (const content of [EOS_TOKEN, PAD_TOKEN]) {
    const id = vocab.get(content);
    if (id !== undefined && !all.some((token) => token.content === content)) all.push({ id, content });
  }
  if (!all.some((token) => token.content === EOS_TOKEN)) {
    fail({ problem: 'missingEos', token: show(EOS_TOKEN) });
  }
  return all.sort((a, b) => a.id - b.id);
}

/** Validates a parsed tokenizer.json (byte-level BPE) and returns what it defines. */
export function parseHfJson(json: unknown): TokenizerSpec {
  if (!isObject(json)) fail({ problem: 'notObject', field: null });
  checkPipeline(json);
  const model = json.model;
  if (!isObject(model)) fail({ problem: 'notObject', field: 'model' });
  checkModelOptions(model);
  const vocab = parseVocab(model.vocab);
  const added = withSpecials(parseAddedTokens(json.added_tokens, vocab), vocab);
  checkByteLevelVocab(vocab, added);
  checkIdsContiguous(vocab, added);
  const merges = parseMerges(model.merges, vocab);
  return { vocab, merges, added, ignoreMerges: model.ignore_merges === true };
}
