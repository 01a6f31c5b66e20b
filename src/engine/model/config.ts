/**
 * GPTConfig: the shape of a GPT-2-style model, validated strictly (an unknown field is an error,
 * not silently ignored, because a typo such as `nlayer` would otherwise build the wrong model).
 */
import { EngineError, check, outOfRange } from '../errors';

export interface GPTConfig {
  /** Tokens in the vocabulary, special tokens included; rows of the embedding and LM head. */
  vocabSize: number;
  /** Context length: the most tokens the model attends over (rows of the position embedding). */
  blockSize: number;
  /** Transformer blocks stacked in the trunk. */
  nLayer: number;
  /** Attention heads per block; must divide nEmbd. */
  nHead: number;
  /** Width of the residual stream. */
  nEmbd: number;
  /** LayerNorm epsilon: GPT-2 uses 1e-5. */
  layerNormEpsilon: number;
  /** Std of the normal initialisation of weight matrices: GPT-2 uses 0.02. */
  initializerRange: number;
}

/** Fields with their GPT-2 defaults; the others have no sensible default and must be given. */
const DEFAULTS = { layerNormEpsilon: 1e-5, initializerRange: 0.02 } as const;

/** Named shapes. `tiny` is for tests; the shipped default model's preset is chosen by measurement. */
export const GPT_PRESETS = {
  /** A few thousand parameters: fast unit tests and gradient checks. */
  tiny: { vocabSize: 64, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16, ...DEFAULTS },
  /** About 0.4M parameters with a 2k vocabulary: quick experiments. */
  small: { vocabSize: 2048, blockSize: 128, nLayer: 3, nHead: 4, nEmbd: 96, ...DEFAULTS },
  /** About 1M parameters with a 2k vocabulary: the size of the shipped default. */
  base: { vocabSize: 2048, blockSize: 128, nLayer: 4, nHead: 4, nEmbd: 128, ...DEFAULTS },
  /** About 2.6M parameters: better text, slower PPO. */
  large: { vocabSize: 2048, blockSize: 128, nLayer: 6, nHead: 6, nEmbd: 192, ...DEFAULTS },
} satisfies Record<string, GPTConfig>;

export type GPTPresetName = keyof typeof GPT_PRESETS;

const INTEGER_FIELDS = ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd'] as const;
const NUMBER_FIELDS = ['layerNormEpsilon', 'initializerRange'] as const;
const KNOWN = new Set<string>([...INTEGER_FIELDS, ...NUMBER_FIELDS]);

/**
 * Checks an untrusted object (a checkpoint header, a CLI flag set) and returns a GPTConfig.
 * `source` names where it came from, for the error message.
 */
export function parseGPTConfig(raw: unknown, source = 'config'): GPTConfig {
  check(typeof raw === 'object' && raw !== null && !Array.isArray(raw), 'BAD_CONFIG', {
    code: 'CONFIG_NOT_OBJECT',
    params: { file: source },
  });
  const obj = raw as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new EngineError('BAD_CONFIG', {
      code: 'CONFIG_UNKNOWN_FIELDS',
      params: { file: source, fields: unknown, known: [...KNOWN] },
    });
  }
  const merged: Record<string, unknown> = { ...DEFAULTS, ...obj };
  for (const f of INTEGER_FIELDS) {
    const v = merged[f];
    check(v !== undefined, 'BAD_CONFIG', { code: 'CONFIG_MISSING_FIELD', params: { file: source, field: f } });
    check(Number.isInteger(v) && (v as number) > 0, 'BAD_CONFIG', outOfRange(source, f, v, 'positiveInteger'));
  }
  for (const f of NUMBER_FIELDS) {
    const v = merged[f];
    check(
      typeof v === 'number' && Number.isFinite(v) && v > 0,
      'BAD_CONFIG',
      outOfRange(source, f, v, 'positiveNumber'),
    );
  }
  const config = merged as unknown as GPTConfig;
  check(config.nEmbd % config.nHead === 0, 'BAD_CONFIG', {
    code: 'CONFIG_HEADS',
    params: { file: source, nEmbd: config.nEmbd, nHead: config.nHead },
  });
  return config;
}

/** Number of trainable parameters (the LM head is tied to the token embedding, so not counted twice). */
export function countParameters(c: GPTConfig): number {
  const C = c.nEmbd;
  const perBlock = 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + 2 * C + (C * 4 * C + 4 * C) + (4 * C * C + C);
  return c.vocabSize * C + c.blockSize * C + c.nLayer * perBlock + 2 * C;
}
