/**
 * The reward model as a checkpoint, so a trained reward model survives a reload: one safetensors
 * file holding the trunk (Hugging Face GPT-2 names, `transformer.*`), the K ensemble heads
 * (`score.weight` [C, K] and `score.bias` [K], as GPT2ForSequenceClassification names its head),
 * and in the metadata the GPTConfig, the RewardConfig and the normalisation (mean, std) that raw
 * scores are shifted and divided by. A restored model scores every text exactly as the saved one
 * did. The optimiser's moments are not kept: training after a restore starts them afresh.
 *
 * Loading checks what a bad or foreign file could get wrong and says which: not a reward-model
 * file (a policy checkpoint, say), a head count that does not match the config, a missing,
 * unexpected or misshapen tensor, NaN or Inf, or a tokenizer other than the one given.
 */
import * as tf from '@tensorflow/tfjs';
import type { TokenizerIdentity } from '../checkpoint/checkpoint';
import type { TextCodec } from '../generate/text';
import { assertFinite, decodeSafetensors, encodeSafetensors, toFloat32 } from '../checkpoint/safetensors';
import type { Message } from '../../contract/messages';
import { EngineError, check, outOfRange } from '../errors';
import { parseGPTConfig, type GPTConfig } from '../model/config';
import { GPT } from '../model/gpt';
import { gptParamSpecs } from '../model/params';
import { DEFAULT_REWARD, REWARD_POOLINGS, RewardModel, type RewardConfig, type RewardPooling } from './reward-model';

/** Written in every file's `__metadata__.format`; a policy checkpoint says 'rlhf-playground/gpt'. */
export const REWARD_CHECKPOINT_FORMAT = 'rlhf-playground/reward';
export const REWARD_CHECKPOINT_VERSION = '1';

export interface RewardCheckpointMetadata {
  /** A short human name, e.g. "reward model, 12 labels". */
  name: string;
  /** Fingerprint of the tokenizer the trunk reads (Tokenizer.fingerprint()). */
  tokenizerFingerprint: string;
  /** ISO time of saving. */
  createdAt: string;
  /** Anything else worth keeping with the weights: labels trained on, held-out accuracy. */
  info: Record<string, unknown>;
}

export interface RewardLoadOptions {
  /** Token id that pads batches of sequences (this project pads with EOS). */
  padId: number;
  /** When given, the reward model must read text with exactly this tokenizer. */
  tokenizer?: TokenizerIdentity;
  /** The file's name, used in error messages. */
  source?: string;
  /** When given, the model reads every response it scores as its text (see RewardModel). */
  codec?: TextCodec;
}

type Weights = Map<string, { shape: number[]; data: Float32Array }>;

/** Integer fields of RewardConfig and the least each may be; the rest are non-negative numbers. */
const REWARD_INTEGERS = { ensembleSize: 1, epochs: 1, batchSize: 1, seed: 0 } as const;
const REWARD_NUMBERS = ['learningRate', 'fgmEpsilon'] as const;

/**
 * Serialises a reward model (trunk, K heads, normalisation, config) into safetensors bytes.
 * Throws EngineError('NUMERICAL') when a weight or the normalisation is not finite.
 */
export async function saveRewardCheckpoint(
  reward: RewardModel,
  meta: Omit<RewardCheckpointMetadata, 'createdAt'> & { createdAt?: string },
): Promise<Uint8Array> {
  const weights: Weights = new Map([...(await reward.model.trunk.params.read()), ...(await reward.model.head.read())]);
  for (const [name, t] of weights) assertFinite(t.data, name, 'NUMERICAL');
  const { mean, std } = reward.normalization;
  check(Number.isFinite(mean) && Number.isFinite(std) && std > 0, 'NUMERICAL', {
    code: 'REWARD_NORMALISATION',
    params: { mean: String(mean), std: String(std) },
  });
  return encodeSafetensors(weights, {
    format: REWARD_CHECKPOINT_FORMAT,
    format_version: REWARD_CHECKPOINT_VERSION,
    config: JSON.stringify(reward.model.trunk.config),
    reward_config: JSON.stringify(reward.config),
    normalization: JSON.stringify({ mean, std }),
    name: meta.name,
    tokenizer_fingerprint: meta.tokenizerFingerprint,
    created_at: meta.createdAt ?? new Date().toISOString(),
    info: JSON.stringify(meta.info),
  });
}

/** Whether safetensors metadata says the file is a reward-model checkpoint (any version). */
export function isRewardCheckpoint(bytes: Uint8Array): boolean {
  try {
    return decodeSafetensors(bytes).metadata.format === REWARD_CHECKPOINT_FORMAT;
  } catch {
    return false;
  }
}

function parseJsonField(meta: Record<string, string>, field: string, source: string): unknown {
  const raw = meta[field];
  check(raw !== undefined, 'BAD_CHECKPOINT', { code: 'METADATA_MISSING', params: { file: source, field } });
  try {
    return JSON.parse(raw);
  } catch {
    throw new EngineError('BAD_CHECKPOINT', { code: 'METADATA_NOT_JSON', params: { file: source, field } });
  }
}

function jsonObject(value: unknown, field: string, source: string): Record<string, unknown> {
  check(typeof value === 'object' && value !== null && !Array.isArray(value), 'BAD_CHECKPOINT', {
    code: 'METADATA_NOT_OBJECT',
    params: { file: source, field },
  });
  return { ...value };
}

/** Checks the stored RewardConfig field by field. */
function parseRewardConfig(raw: unknown, source: string): RewardConfig {
  const f = jsonObject(raw, 'reward_config', source);
  for (const [key, least] of Object.entries(REWARD_INTEGERS)) {
    const v = f[key];
    const rule = least === 1 ? 'positiveInteger' : 'nonNegativeInteger';
    check(
      Number.isSafeInteger(v) && (v as number) >= least,
      'BAD_CHECKPOINT',
      outOfRange(source, `reward_config.${key}`, v, rule),
    );
  }
  for (const key of REWARD_NUMBERS) {
    const v = f[key];
    check(
      typeof v === 'number' && Number.isFinite(v) && v >= 0,
      'BAD_CHECKPOINT',
      outOfRange(source, `reward_config.${key}`, v, 'nonNegativeNumber'),
    );
  }
  return {
    ensembleSize: f.ensembleSize as number,
    epochs: f.epochs as number,
    batchSize: f.batchSize as number,
    learningRate: f.learningRate as number,
    fgmEpsilon: f.fgmEpsilon as number,
    seed: f.seed as number,
    minSteps: laterCount(f, 'minSteps', source),
    labelSmoothing: labelSmoothingOf(f.labelSmoothing, source),
    trainableLayers: laterCount(f, 'trainableLayers', source),
    earlyStopPatience: laterCount(f, 'earlyStopPatience', source),
    frozenTrunk: frozenTrunkOf(f.frozenTrunk, source),
    pooling: poolingOf(f.pooling, source),
  };
}

/** `frozenTrunk` came later: a checkpoint without it trained its trunk. */
function frozenTrunkOf(v: unknown, source: string): boolean {
  if (v === undefined) return DEFAULT_REWARD.frozenTrunk;
  check(typeof v === 'boolean', 'BAD_CHECKPOINT', {
    code: 'FIELD_TYPE',
    params: { field: `${source}: reward_config.frozenTrunk`, expected: 'boolean', choices: [], got: JSON.stringify(v) },
  });
  return v;
}

/** `pooling` came later: a checkpoint without it read its scores at the last token. */
function poolingOf(v: unknown, source: string): RewardPooling {
  if (v === undefined) return DEFAULT_REWARD.pooling;
  const pooling = REWARD_POOLINGS.find((p) => p === v);
  check(pooling !== undefined, 'BAD_CHECKPOINT', {
    code: 'FIELD_TYPE',
    params: {
      field: `${source}: reward_config.pooling`,
      expected: 'choice',
      choices: [...REWARD_POOLINGS],
      got: JSON.stringify(v),
    },
  });
  return pooling;
}

/**
 * A whole-number field that came later (`minSteps`, `trainableLayers`, `earlyStopPatience`): a checkpoint saved
 * before it trained with the default, which is what it reads as.
 */
function laterCount(
  f: Record<string, unknown>,
  key: 'minSteps' | 'trainableLayers' | 'earlyStopPatience',
  source: string,
): number {
  const v = f[key];
  if (v === undefined) return DEFAULT_REWARD[key];
  check(
    Number.isSafeInteger(v) && (v as number) >= 0,
    'BAD_CHECKPOINT',
    outOfRange(source, `reward_config.${key}`, v, 'nonNegativeInteger'),
  );
  return v as number;
}

/** `labelSmoothing` came later too: a checkpoint without it trained with none. */
function labelSmoothingOf(v: unknown, source: string): number {
  if (v === undefined) return DEFAULT_REWARD.labelSmoothing;
  check(
    typeof v === 'number' && v >= 0 && v < 1,
    'BAD_CHECKPOINT',
    outOfRange(source, 'reward_config.labelSmoothing', v, 'unitFromZero'),
  );
  return v as number;
}

function parseNormalization(raw: unknown, source: string): { mean: number; std: number } {
  const { mean, std } = jsonObject(raw, 'normalization', source);
  check(
    typeof mean === 'number' && Number.isFinite(mean),
    'BAD_CHECKPOINT',
    outOfRange(source, 'normalization.mean', mean, 'finiteNumber'),
  );
  check(
    typeof std === 'number' && Number.isFinite(std) && std > 0,
    'BAD_CHECKPOINT',
    outOfRange(source, 'normalization.std', std, 'positiveNumber'),
  );
  return { mean, std };
}

interface RewardHeader {
  config: GPTConfig;
  reward: RewardConfig;
  normalization: { mean: number; std: number };
  metadata: RewardCheckpointMetadata;
}

/** Reads and checks the metadata block of a reward-model file. */
function readRewardHeader(meta: Record<string, string>, source: string): RewardHeader {
  const got = String(JSON.stringify(meta.format));
  const detail: Message =
    meta.format === 'rlhf-playground/gpt'
      ? { code: 'POLICY_NOT_REWARD', params: { file: source } }
      : {
          code: 'NOT_A_CHECKPOINT',
          params: { file: source, got, expected: REWARD_CHECKPOINT_FORMAT, model: 'reward' },
        };
  check(meta.format === REWARD_CHECKPOINT_FORMAT, 'BAD_CHECKPOINT', detail);
  check(meta.format_version === REWARD_CHECKPOINT_VERSION, 'BAD_CHECKPOINT', {
    code: 'FORMAT_VERSION',
    params: {
      file: source,
      got: String(meta.format_version),
      supported: Number(REWARD_CHECKPOINT_VERSION),
      model: 'reward',
    },
  });
  check(typeof meta.tokenizer_fingerprint === 'string' && meta.tokenizer_fingerprint.length > 0, 'BAD_CHECKPOINT', {
    code: 'METADATA_MISSING',
    params: { file: source, field: 'tokenizer_fingerprint' },
  });
  const config = parseGPTConfig(parseJsonField(meta, 'config', source), `${source}: config`);
  const reward = parseRewardConfig(parseJsonField(meta, 'reward_config', source), source);
  check(reward.trainableLayers <= config.nLayer, 'BAD_CHECKPOINT', {
    code: 'NUMBER_BETWEEN',
    params: {
      file: source,
      field: 'reward_config.trainableLayers',
      got: String(reward.trainableLayers),
      min: 1,
      max: config.nLayer,
      integer: true,
      zeroTurnsOff: true,
    },
  });
  return {
    config,
    reward,
    normalization: parseNormalization(parseJsonField(meta, 'normalization', source), source),
    metadata: {
      name: meta.name ?? 'unnamed',
      tokenizerFingerprint: meta.tokenizer_fingerprint,
      createdAt: meta.created_at ?? '',
      info: jsonObject(parseJsonField(meta, 'info', source), 'info', source),
    },
  };
}

/** Every tensor the file must hold, with its shape: the trunk's, then the K heads. */
function expectedShapes(config: GPTConfig, heads: number): Map<string, number[]> {
  const shapes = new Map(gptParamSpecs(config).map((s) => [s.name, s.shape]));
  shapes.set('score.weight', [config.nEmbd, heads]);
  shapes.set('score.bias', [heads]);
  return shapes;
}

/** Checked float32 values of every expected tensor; throws on missing, extra, misshapen or non-finite ones. */
function readTensors(
  file: ReturnType<typeof decodeSafetensors>,
  shapes: Map<string, number[]>,
  source: string,
): Map<string, Float32Array> {
  const unexpected = [...file.tensors.keys()].filter((n) => !shapes.has(n));
  check(unexpected.length === 0, 'BAD_CHECKPOINT', {
    code: 'UNEXPECTED_TENSORS',
    params: { file: source, tensors: unexpected.slice(0, 5), model: 'reward' },
  });
  const values = new Map<string, Float32Array>();
  for (const [name, shape] of shapes) {
    const entry = file.tensors.get(name);
    check(entry !== undefined, 'BAD_CHECKPOINT', { code: 'TENSOR_MISSING', params: { file: source, tensor: name } });
    check(entry.shape.join() === shape.join(), 'BAD_CHECKPOINT', {
      code: 'TENSOR_SHAPE',
      params: { file: source, tensor: name, shape: entry.shape, expected: shape },
    });
    const data = toFloat32(entry, name, source);
    assertFinite(data, name, 'BAD_CHECKPOINT', source);
    values.set(name, data);
  }
  return values;
}

/**
 * Decodes reward-model checkpoint bytes into a ready RewardModel (trunk, heads and normalisation
 * as saved, a fresh optimiser), after checking every field and tensor. Throws EngineError:
 * BAD_CHECKPOINT for a corrupt, foreign or inconsistent file, BAD_TOKENIZER for another tokenizer.
 */
export function loadRewardCheckpoint(
  bytes: Uint8Array,
  options: RewardLoadOptions,
): { reward: RewardModel; metadata: RewardCheckpointMetadata } {
  const source = options.source ?? 'reward model';
  const file = decodeSafetensors(bytes, source);
  const header = readRewardHeader(file.metadata, source);
  if (options.tokenizer !== undefined) {
    const expected = header.metadata.tokenizerFingerprint;
    const given = options.tokenizer.fingerprint();
    check(given === expected, 'BAD_TOKENIZER', {
      code: 'TOKENIZER_MISMATCH',
      params: { file: source, expected, given },
    });
    check(options.tokenizer.vocabSize === header.config.vocabSize, 'BAD_TOKENIZER', {
      code: 'VOCAB_MISMATCH',
      params: { file: source, tokenizer: options.tokenizer.vocabSize, model: header.config.vocabSize },
    });
  }
  const values = readTensors(file, expectedShapes(header.config, header.reward.ensembleSize), source);
  const trunk = new GPT(header.config, values);
  const reward = new RewardModel(trunk, options.padId, header.reward, options.codec ?? null);
  trunk.dispose();
  tf.tidy(() => {
    reward.model.head
      .get('score.weight')
      .assign(tf.tensor2d(values.get('score.weight')!, [header.config.nEmbd, header.reward.ensembleSize]));
    reward.model.head.get('score.bias').assign(tf.tensor1d(values.get('score.bias')!));
  });
  reward.normalization = header.normalization;
  return { reward, metadata: header.metadata };
}
