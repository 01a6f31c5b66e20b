/**
 * Reading tokenizer.json: every field this tokenizer relies on is checked, and a file that needs
 * a feature it does not implement (a normalizer, a prefix space, dropout...) is refused rather than
 * silently encoded differently from Hugging Face. Each error names the offending field.
 */
import { EngineError } from '../errors';
import { BYTE_TO_CHAR, firstNonByteChar } from './bytes';
import type { Merge } from './merges';
import { EOS_TOKEN, PAD_TOKEN, type AddedToken, type TokenizerSpec } from './spec';

type JsonObject = Record<string, unknown>;

/** Ids must stay below this so that `left * idLimit + right` pair keys are exact in a double. */
const MAX_TOKENS = 1 << 24;
const SHOWN_CHARS = 40;

function fail(message: string): never {
  throw new EngineError('BAD_TOKENIZER', `tokenizer.json: ${message}`);
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
    fail(`${field}.type must be "ByteLevel"${optional ? ' (or the stage null)' : ''}, got ${got}`);
  }
  return stage;
}

function checkPipeline(json: JsonObject): void {
  for (const field of ['normalizer', 'truncation', 'padding']) {
    if (!isAbsent(json[field])) fail(`${field} must be null (not supported), got ${show(json[field])}`);
  }
  byteLevelStage(json, 'post_processor', true);
  byteLevelStage(json, 'decoder', true);
  const pre = byteLevelStage(json, 'pre_tokenizer', false);
  if (pre?.add_prefix_space === true) fail('pre_tokenizer.add_prefix_space must be false (not supported)');
  if (pre?.use_regex === false) fail('pre_tokenizer.use_regex must be true (GPT-2 splitting)');
}

function checkModelOptions(model: JsonObject): void {
  if (model.type !== 'BPE') fail(`model.type must be "BPE", got ${show(model.type)}`);
  if (!isAbsent(model.dropout) && model.dropout !== 0) {
    fail(`model.dropout must be null (BPE dropout is not supported), got ${show(model.dropout)}`);
  }
  for (const field of ['continuing_subword_prefix', 'end_of_word_suffix']) {
    if (!isAbsent(model[field]) && model[field] !== '') {
      fail(`model.${field} must be null (not supported), got ${show(model[field])}`);
    }
  }
  if (model.byte_fallback === true) fail('model.byte_fallback must be false (not supported)');
  if (!isAbsent(model.ignore_merges) && typeof model.ignore_merges !== 'boolean') {
    fail(`model.ignore_merges must be a boolean, got ${show(model.ignore_merges)}`);
  }
}

function parseVocab(raw: unknown): Map<string, number> {
  if (!isObject(raw)) fail('model.vocab must be an object {token: id}');
  const vocab = new Map<string, number>();
  const tokenWithId = new Map<number, string>();
  for (const [token, id] of Object.entries(raw)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= MAX_TOKENS) {
      fail(`model.vocab[${show(token)}] is not an integer id in [0, ${MAX_TOKENS}), got ${show(id)}`);
    }
    const other = tokenWithId.get(id);
    if (other !== undefined) {
      fail(`model.vocab[${show(other)}] and model.vocab[${show(token)}] share id ${id}`);
    }
    tokenWithId.set(id, token);
    vocab.set(token, id);
  }
  return vocab;
}

function parseAddedToken(raw: unknown, where: string): AddedToken {
  if (!isObject(raw)) fail(`${where} must be an object {id, content, ...}`);
  const { id, content } = raw;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= MAX_TOKENS) {
    fail(`${where}.id is not an integer id in [0, ${MAX_TOKENS}), got ${show(id)}`);
  }
  if (typeof content !== 'string' || content.length === 0) {
    fail(`${where}.content must be a non-empty string, got ${show(content)}`);
  }
  return { id, content };
}

/** added_tokens, checked against each other and against model.vocab. */
function parseAddedTokens(raw: unknown, vocab: Map<string, number>): AddedToken[] {
  if (isAbsent(raw)) return [];
  if (!Array.isArray(raw)) fail('added_tokens must be an array');
  const vocabTokenWithId = new Map([...vocab].map(([token, id]) => [id, token]));
  const seenIds = new Map<number, number>();
  const seenContents = new Map<string, number>();
  return raw.map((item, i) => {
    const where = `added_tokens[${i}]`;
    const token = parseAddedToken(item, where);
    const vocabId = vocab.get(token.content);
    if (vocabId !== undefined && vocabId !== token.id) {
      fail(`${where} ${show(token.content)} has id ${token.id}, but model.vocab gives it id ${vocabId}`);
    }
    const holder = vocabTokenWithId.get(token.id);
    if (holder !== undefined && holder !== token.content) {
      fail(`${where}.id ${token.id} already belongs to model.vocab[${show(holder)}]`);
    }
    const sameId = seenIds.get(token.id);
    if (sameId !== undefined) fail(`${where}.id ${token.id} repeats added_tokens[${sameId}].id`);
    const sameContent = seenContents.get(token.content);
    if (sameContent !== undefined) fail(`${where}.content repeats added_tokens[${sameContent}].content`);
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
    if (token.length === 0) fail('model.vocab has an empty token ""');
    const stray = firstNonByteChar(token);
    if (stray !== null) {
      fail(`model.vocab[${show(token)}] contains ${show(stray)}, which is not a byte-level character`);
    }
  }
  BYTE_TO_CHAR.forEach((char, byte) => {
    if (!vocab.has(char)) {
      fail(`model.vocab lacks ${show(char)}, the token for byte 0x${byte.toString(16).padStart(2, '0')}`);
    }
  });
}

function checkIdsContiguous(vocab: Map<string, number>, added: readonly AddedToken[]): void {
  const ids = new Set([...vocab.values(), ...added.map((token) => token.id)]);
  for (let id = 0; id < ids.size; id++) {
    if (!ids.has(id)) {
      fail(`ids must run from 0 without gaps, but no token in model.vocab or added_tokens has id ${id}`);
    }
  }
}

/** One merge, written as ["left", "right"] (current files) or "left right" (older files). */
function mergeParts(raw: unknown, where: string): [string, string] {
  const parts = typeof raw === 'string' ? raw.split(' ') : raw;
  const isPair =
    Array.isArray(parts) && parts.length === 2 && parts.every((part) => typeof part === 'string' && part.length > 0);
  if (!isPair) fail(`${where} must be ["left", "right"] or "left right", got ${show(raw)}`);
  return [parts[0], parts[1]];
}

function parseMerges(raw: unknown, vocab: Map<string, number>): Merge[] {
  if (!Array.isArray(raw)) fail('model.merges must be an array');
  const firstSeen = new Map<string, number>();
  return raw.map((item, i) => {
    const where = `model.merges[${i}]`;
    const [leftToken, rightToken] = mergeParts(item, where);
    const left = vocab.get(leftToken);
    const right = vocab.get(rightToken);
    const result = vocab.get(leftToken + rightToken);
    if (left === undefined) fail(`${where}: ${show(leftToken)} is not in model.vocab`);
    if (right === undefined) fail(`${where}: ${show(rightToken)} is not in model.vocab`);
    if (result === undefined) {
      fail(`${where}: the merged token ${show(leftToken + rightToken)} is not in model.vocab`);
    }
    const pairKey = `${left},${right}`;
    const earlier = firstSeen.get(pairKey);
    if (earlier !== undefined) fail(`${where} repeats model.merges[${earlier}]`);
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
    fail(`missing ${show(EOS_TOKEN)}: neither added_tokens nor model.vocab has it`);
  }
  return all.sort((a, b) => a.id - b.id);
}

/** Validates a parsed tokenizer.json (byte-level BPE) and returns what it defines. */
export function parseHfJson(json: unknown): TokenizerSpec {
  if (!isObject(json)) fail('the file must hold a JSON object');
  checkPipeline(json);
  const model = json.model;
  if (!isObject(model)) fail('model must be an object (the BPE model)');
  checkModelOptions(model);
  const vocab = parseVocab(model.vocab);
  const added = withSpecials(parseAddedTokens(json.added_tokens, vocab), vocab);
  checkByteLevelVocab(vocab, added);
  checkIdsContiguous(vocab, added);
  const merges = parseMerges(model.merges, vocab);
  return { vocab, merges, added, ignoreMerges: model.ignore_merges === true };
}
