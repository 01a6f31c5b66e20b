/**
 * A model checkpoint: one safetensors file holding every weight (Hugging Face GPT-2 names),
 * the GPTConfig and metadata (which tokenizer the model needs, where it came from). The same
 * format is used for everything saved or shipped.
 *
 * Loading checks everything a bad file could get wrong (format, config, missing or unexpected
 * tensors, shapes, dtypes, NaN/Inf, tokenizer match) and names the problem and the tensor.
 */
import { EngineError, check } from '../errors';
import { parseGPTConfig, type GPTConfig } from '../model/config';
import { GPT } from '../model/gpt';
import { gptParamSpecs } from '../model/params';
import { assertFinite, decodeSafetensors, encodeSafetensors, toFloat32 } from './safetensors';

/** Written in every file's `__metadata__.format`; a file without it is not one of ours. */
export const CHECKPOINT_FORMAT = 'rlhf-playground/gpt';
export const CHECKPOINT_VERSION = '1';

export interface CheckpointMetadata {
  /** A short human name, e.g. "tinystories-1m" or "ppo-iteration-12". */
  name: string;
  /** Fingerprint of the tokenizer the model was trained with (Tokenizer.fingerprint()). */
  tokenizerFingerprint: string;
  /** ISO time of saving. */
  createdAt: string;
  /** Anything else worth keeping with the weights (training step, losses, parent checkpoint). */
  info: Record<string, unknown>;
}

/** What a checkpoint needs from a tokenizer to check it is the right one. */
export interface TokenizerIdentity {
  fingerprint(): string;
  readonly vocabSize: number;
}

export interface LoadOptions {
  /** When given, the checkpoint must have been trained with exactly this tokenizer. */
  tokenizer?: TokenizerIdentity;
  /** The file's name, used in error messages. */
  source?: string;
}

/**
 * Checkpoint bytes from plain arrays: the one place the header layout is written. Weights are
 * keyed by HF GPT-2 name and must already be checked against the config.
 */
export function encodeCheckpoint(
  weights: Map<string, { shape: number[]; data: Float32Array }>,
  config: GPTConfig,
  meta: CheckpointMetadata,
): Uint8Array {
  for (const [name, t] of weights) assertFinite(t.data, name, 'NUMERICAL');
  return encodeSafetensors(weights, {
    format: CHECKPOINT_FORMAT,
    format_version: CHECKPOINT_VERSION,
    config: JSON.stringify(config),
    name: meta.name,
    tokenizer_fingerprint: meta.tokenizerFingerprint,
    created_at: meta.createdAt,
    info: JSON.stringify(meta.info),
  });
}

/** Serialises a model's weights, config and metadata into safetensors bytes. */
export async function saveCheckpoint(
  model: GPT,
  meta: Omit<CheckpointMetadata, 'createdAt'> & { createdAt?: string },
): Promise<Uint8Array> {
  return encodeCheckpoint(await model.params.read(), model.config, {
    ...meta,
    createdAt: meta.createdAt ?? new Date().toISOString(),
  });
}

function parseJsonField(raw: string | undefined, field: string, source: string): unknown {
  check(raw !== undefined, 'BAD_CHECKPOINT', { code: 'METADATA_MISSING', params: { file: source, field } });
  try {
    return JSON.parse(raw);
  } catch {
    throw new EngineError('BAD_CHECKPOINT', { code: 'METADATA_NOT_JSON', params: { file: source, field } });
  }
}

/** Reads and checks the metadata block; returns the config and metadata. */
export function readCheckpointHeader(
  meta: Record<string, string>,
  source: string,
): { config: GPTConfig; metadata: CheckpointMetadata } {
  check(meta.format === CHECKPOINT_FORMAT, 'BAD_CHECKPOINT', {
    code: 'NOT_A_CHECKPOINT',
    params: { file: source, got: String(JSON.stringify(meta.format)), expected: CHECKPOINT_FORMAT, model: 'gpt' },
  });
  check(meta.format_version === CHECKPOINT_VERSION, 'BAD_CHECKPOINT', {
    code: 'FORMAT_VERSION',
    params: { file: source, got: String(meta.format_version), supported: Number(CHECKPOINT_VERSION), model: 'gpt' },
  });
  const config = parseGPTConfig(parseJsonField(meta.config, 'config', source), `${source}: config`);
  const info = parseJsonField(meta.info, 'info', source);
  check(typeof info === 'object' && info !== null && !Array.isArray(info), 'BAD_CHECKPOINT', {
    code: 'METADATA_NOT_OBJECT',
    params: { file: source, field: 'info' },
  });
  check(typeof meta.tokenizer_fingerprint === 'string' && meta.tokenizer_fingerprint.length > 0, 'BAD_CHECKPOINT', {
    code: 'METADATA_MISSING',
    params: { file: source, field: 'tokenizer_fingerprint' },
  });
  const metadata: CheckpointMetadata = {
    name: meta.name ?? 'unnamed',
    tokenizerFingerprint: meta.tokenizer_fingerprint,
    createdAt: meta.created_at ?? '',
    info: info as Record<string, unknown>,
  };
  return { config, metadata };
}

function checkTokenizer(
  config: GPTConfig,
  metadata: CheckpointMetadata,
  tokenizer: TokenizerIdentity,
  source: string,
): void {
  const expected = metadata.tokenizerFingerprint;
  const given = tokenizer.fingerprint();
  check(given === expected, 'BAD_TOKENIZER', { code: 'TOKENIZER_MISMATCH', params: { file: source, expected, given } });
  check(tokenizer.vocabSize === config.vocabSize, 'BAD_TOKENIZER', {
    code: 'VOCAB_MISMATCH',
    params: { file: source, tokenizer: tokenizer.vocabSize, model: config.vocabSize },
  });
}

/** Decodes checkpoint bytes into a ready GPT, after checking every tensor. Throws EngineError. */
export function loadCheckpoint(
  bytes: Uint8Array,
  options: LoadOptions = {},
): { model: GPT; metadata: CheckpointMetadata } {
  const source = options.source ?? 'checkpoint';
  const file = decodeSafetensors(bytes, source);
  const { config, metadata } = readCheckpointHeader(file.metadata, source);
  if (options.tokenizer !== undefined) checkTokenizer(config, metadata, options.tokenizer, source);
  const specs = gptParamSpecs(config);
  const expected = new Set(specs.map((s) => s.name));
  const unexpected = [...file.tensors.keys()].filter((n) => !expected.has(n));
  check(unexpected.length === 0, 'BAD_CHECKPOINT', {
    code: 'UNEXPECTED_TENSORS',
    params: { file: source, tensors: unexpected.slice(0, 5), model: 'gpt' },
  });
  const values = new Map<string, Float32Array>();
  for (const spec of specs) {
    const entry = file.tensors.get(spec.name);
    check(entry !== undefined, 'BAD_CHECKPOINT', {
      code: 'TENSOR_MISSING',
      params: { file: source, tensor: spec.name },
    });
    check(entry.shape.join() === spec.shape.join(), 'BAD_CHECKPOINT', {
      code: 'TENSOR_SHAPE',
      params: { file: source, tensor: spec.name, shape: entry.shape, expected: spec.shape },
    });
    const data = toFloat32(entry, spec.name, source);
    assertFinite(data, spec.name, 'BAD_CHECKPOINT', source);
    values.set(spec.name, data);
  }
  return { model: new GPT(config, values), metadata };
}

/**
 * Two checkpoints that must work together (a policy and its reference, two models compared on
 * the same prompts) have to share a tokenizer and vocabulary, or token ids mean different words.
 */
export function assertCompatible(
  a: { metadata: CheckpointMetadata; config: GPTConfig; source: string },
  b: { metadata: CheckpointMetadata; config: GPTConfig; source: string },
): void {
  check(a.metadata.tokenizerFingerprint === b.metadata.tokenizerFingerprint, 'BAD_TOKENIZER', {
    code: 'CHECKPOINTS_TOKENIZERS',
    params: {
      first: a.source,
      second: b.source,
      firstTokenizer: a.metadata.tokenizerFingerprint,
      secondTokenizer: b.metadata.tokenizerFingerprint,
    },
  });
  check(a.config.vocabSize === b.config.vocabSize && a.config.blockSize === b.config.blockSize, 'BAD_CHECKPOINT', {
    code: 'CHECKPOINTS_SHAPES',
    params: {
      first: a.source,
      second: b.source,
      firstVocab: a.config.vocabSize,
      firstContext: a.config.blockSize,
      secondVocab: b.config.vocabSize,
      secondContext: b.config.blockSize,
    },
  });
}
