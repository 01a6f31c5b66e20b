/**
 * The generation settings a person chooses in the prompt box: the same object travels in a
 * `generate` request, is saved in IndexedDB, and is turned into the engine's GenerateOptions here.
 * Stored and received values are untrusted (an older version of the app may have saved them), so
 * everything that reads one goes through `sanitizeSettings` or `isGenerationSettings`.
 */
import type { GenerateOptions } from '../engine';

export interface GenerationSettings {
  /** Divides the logits before sampling: below 1 sharpens the distribution, above 1 flattens it. */
  temperature: number;
  /** Keep only the k most likely tokens; 0 turns the filter off. */
  topK: number;
  /** Keep the smallest set of tokens whose probabilities sum to p; 1 turns the filter off. */
  topP: number;
  /** How many tokens to add at most; generation also stops at end-of-text. */
  maxNewTokens: number;
  /** Seed of the sampling RNG, so the same settings give the same text. */
  seed: number;
  /** Always take the most likely token (temperature, top-k and top-p are then ignored). */
  greedy: boolean;
}

export type NumericSetting = Exclude<keyof GenerationSettings, 'greedy'>;

export interface SettingRange {
  min: number;
  max: number;
  step: number;
}

/** The range each control offers; values outside it are clamped when read back. */
export const SETTING_RANGES: Record<NumericSetting, SettingRange> = {
  temperature: { min: 0.05, max: 2, step: 0.05 },
  topK: { min: 0, max: 200, step: 1 },
  topP: { min: 0.05, max: 1, step: 0.01 },
  maxNewTokens: { min: 1, max: 512, step: 1 },
  seed: { min: 0, max: 2 ** 31 - 1, step: 1 },
};

/** Mild sampling that still reads as a story from a small model. */
export const DEFAULT_SETTINGS: Readonly<GenerationSettings> = Object.freeze({
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  maxNewTokens: 80,
  seed: 1,
  greedy: false,
});

const NUMERIC_KEYS: readonly NumericSetting[] = ['temperature', 'topK', 'topP', 'maxNewTokens', 'seed'];

function inRange(key: NumericSetting, value: unknown): value is number {
  const { min, max, step } = SETTING_RANGES[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return false;
  return step !== 1 || Number.isInteger(value);
}

function clampTo(key: NumericSetting, value: unknown): number {
  const { min, max, step } = SETTING_RANGES[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_SETTINGS[key];
  const clamped = Math.min(max, Math.max(min, value));
  return step === 1 ? Math.round(clamped) : clamped;
}

/** True when `value` is a complete, in-range settings object (what a request must carry). */
export function isGenerationSettings(value: unknown): value is GenerationSettings {
  if (typeof value !== 'object' || value === null) return false;
  const fields: Record<string, unknown> = { ...value };
  return typeof fields.greedy === 'boolean' && NUMERIC_KEYS.every((key) => inRange(key, fields[key]));
}

/** Any stored or typed-in value made valid: missing fields take defaults, numbers are clamped. */
export function sanitizeSettings(value: unknown): GenerationSettings {
  const fields: Record<string, unknown> = typeof value === 'object' && value !== null ? { ...value } : {};
  return {
    temperature: clampTo('temperature', fields.temperature),
    topK: clampTo('topK', fields.topK),
    topP: clampTo('topP', fields.topP),
    maxNewTokens: clampTo('maxNewTokens', fields.maxNewTokens),
    seed: clampTo('seed', fields.seed),
    greedy: typeof fields.greedy === 'boolean' ? fields.greedy : DEFAULT_SETTINGS.greedy,
  };
}

/** The engine's options for these settings; the "off" values of the filters become undefined. */
export function toGenerateOptions(settings: GenerationSettings): GenerateOptions {
  if (settings.greedy) return { maxNewTokens: settings.maxNewTokens, greedy: true, seed: settings.seed };
  return {
    maxNewTokens: settings.maxNewTokens,
    temperature: settings.temperature,
    topK: settings.topK > 0 ? settings.topK : undefined,
    topP: settings.topP < 1 ? settings.topP : undefined,
    seed: settings.seed,
  };
}
