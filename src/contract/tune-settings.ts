/**
 * The knobs of the RLHF loop a person can turn in the page: the tuning algorithm and its few
 * hyperparameters that matter, and how pairs for labelling are sampled. The same objects travel
 * in requests, sit in the page address (so a teacher can share a setup), and become the engine's
 * PPOConfig here. Values from a URL or a message are untrusted: `isTuneSettings` checks a request,
 * `sanitizeTune` makes any value valid.
 */
import { DEFAULT_PPO } from '../engine/rl/ppo-config';
import type { SettingRange } from './generation-settings';
import type { PPOConfig } from '../engine/rl/ppo-config';
import { ALGORITHM_FACTS, STUDY_PPO_VALUE_WARMUP, isAlgorithm, type Algorithm } from './algorithms';

/**
 * How the tuning rollout samples: top-k / top-p truncation, a minimum length before end-of-text,
 * and whether its log-probs use the same truncation.
 */
export interface RolloutSampling {
  /** Keep only the k most likely tokens when sampling (0: no truncation). */
  topK: number;
  /** Keep the smallest set of tokens whose probability reaches p (1: no truncation). */
  topP: number;
  /**
   * End-of-text is not sampled before this many response tokens (absent or 0: a response may end
   * at once). Another truncation: the other tokens are renormalised at those steps.
   */
  minNewTokens?: number;
  /**
   * True: the log-probs the loss and the KL use come from the same truncated distribution the tokens
   * were sampled from (the fix). False: sampled truncated, scored untruncated (the bug).
   */
  matchedLogProbs: boolean;
}

/** The rollout's default: plain sampling, nothing truncated. */
export const UNTRUNCATED: Readonly<RolloutSampling> = Object.freeze({ topK: 0, topP: 1, matchedLogProbs: true });

/** Top-k up to this many tokens (larger than every shipped vocabulary is pointless). */
export const MAX_TOP_K = 4096;

/** A minimum response length up to the longest response the Tune stage allows. */
const MAX_MIN_NEW_TOKENS = 96;

export function isRolloutSampling(value: unknown): value is RolloutSampling {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const f: Record<string, unknown> = { ...value };
  const k = f.topK;
  const p = f.topP;
  const m = f.minNewTokens;
  return (
    (m === undefined || (typeof m === 'number' && Number.isInteger(m) && m >= 0 && m <= MAX_MIN_NEW_TOKENS)) &&
    typeof k === 'number' &&
    Number.isInteger(k) &&
    k >= 0 &&
    k <= MAX_TOP_K &&
    typeof p === 'number' &&
    Number.isFinite(p) &&
    p > 0 &&
    p <= 1 &&
    typeof f.matchedLogProbs === 'boolean'
  );
}

/** Any value made a valid RolloutSampling: numbers clamped, anything missing from UNTRUNCATED. */
export function sanitizeRollout(value: unknown): RolloutSampling {
  const f: Record<string, unknown> = typeof value === 'object' && value !== null ? { ...value } : {};
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  return {
    topK: num(f.topK) ? Math.min(MAX_TOP_K, Math.max(0, Math.round(f.topK))) : UNTRUNCATED.topK,
    topP: num(f.topP) && f.topP > 0 ? Math.min(1, f.topP) : UNTRUNCATED.topP,
    ...(num(f.minNewTokens) && f.minNewTokens >= 1
      ? { minNewTokens: Math.min(MAX_MIN_NEW_TOKENS, Math.round(f.minNewTokens)) }
      : {}),
    matchedLogProbs: typeof f.matchedLogProbs === 'boolean' ? f.matchedLogProbs : UNTRUNCATED.matchedLogProbs,
  };
}

export interface TuneSettings {
  algorithm: Algorithm;
  /** KL coefficient β in the reward r - β·KL: how hard the policy is held near the reference. */
  beta: number;
  /** Adaptive-KL target in nats per response; 0 keeps β fixed. */
  klTarget: number;
  /** Clip ε of the PPO surrogate: how far one update may move each token's probability ratio. */
  clipRange: number;
  /** AdamW step size. */
  learningRate: number;
  /** Responses per prompt in each iteration (GRPO and RLOO need at least 2 to form a group). */
  samplesPerPrompt: number;
  /** Prompts per iteration. */
  promptsPerIteration: number;
  /** Longest response in tokens, for tuning and for the pairs to label. */
  maxNewTokens: number;
  /** Iterations one press of Play runs. */
  iterations: number;
  /**
   * KL budget in nats per response; 0 = none. After each iteration the KL to the reference is
   * measured; the iteration that passes the budget is undone and the run stops there.
   */
  klBudget: number;
  /** How the online methods' rollout samples; absent: UNTRUNCATED. */
  rollout?: RolloutSampling;
}

export type TuneKey = Exclude<keyof TuneSettings, 'algorithm' | 'rollout'>;

export const TUNE_RANGES: Record<TuneKey, SettingRange> = {
  beta: { min: 0, max: 1, step: 0.01 },
  klTarget: { min: 0, max: 50, step: 0.5 },
  clipRange: { min: 0.05, max: 0.5, step: 0.05 },
  learningRate: { min: 1e-6, max: 1e-2, step: 1e-6 },
  samplesPerPrompt: { min: 1, max: 8, step: 1 },
  promptsPerIteration: { min: 1, max: 8, step: 1 },
  maxNewTokens: { min: 4, max: 96, step: 1 },
  iterations: { min: 1, max: 500, step: 1 },
  klBudget: { min: 0, max: 50, step: 0.1 },
};

export const TUNE_KEYS: readonly TuneKey[] = [
  'beta',
  'klTarget',
  'clipRange',
  'learningRate',
  'samplesPerPrompt',
  'promptsPerIteration',
  'maxNewTokens',
  'iterations',
  'klBudget',
];

/** The engine's PPO defaults where they exist; 10 iterations is a minute or two in a tab. */
export const DEFAULT_TUNE: Readonly<TuneSettings> = Object.freeze({
  algorithm: 'ppo',
  beta: DEFAULT_PPO.beta,
  klTarget: DEFAULT_PPO.klTarget ?? 0,
  clipRange: DEFAULT_PPO.clipRange,
  learningRate: DEFAULT_PPO.learningRate,
  samplesPerPrompt: DEFAULT_PPO.samplesPerPrompt,
  promptsPerIteration: DEFAULT_PPO.promptsPerIteration,
  maxNewTokens: DEFAULT_PPO.maxNewTokens,
  iterations: 10,
  // Off outside lessons: a free run shows the KL grow as far as beta lets it.
  klBudget: 0,
});

/** The default settings with `algorithm` and its own beta and learning rate. */
export function defaultTune(algorithm: Algorithm): TuneSettings {
  return { ...DEFAULT_TUNE, algorithm, ...ALGORITHM_FACTS[algorithm].defaults };
}

/**
 * `settings` switched to `algorithm`: beta and the learning rate become the new algorithm's own
 * (PPO's learning rate is three times DPO's and a tenth of SFT's), the other knobs are kept.
 */
export function withAlgorithm(settings: TuneSettings, algorithm: Algorithm): TuneSettings {
  return { ...settings, algorithm, ...ALGORITHM_FACTS[algorithm].defaults };
}

/** Sampling of the two responses shown for labelling: a little hotter than tuning, for variety. */
export interface LabelSampling {
  maxNewTokens: number;
  temperature: number;
}

export const LABEL_TEMPERATURE = 0.9;

function isInteger(key: TuneKey): boolean {
  return TUNE_RANGES[key].step === 1;
}

/** Whether `value` is a valid `key` setting: a number in its range (a whole one where the step is 1). */
export function isTuneValue(key: TuneKey, value: unknown): value is number {
  const { min, max } = TUNE_RANGES[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return false;
  return !isInteger(key) || Number.isInteger(value);
}

function clampTo(key: TuneKey, value: unknown, fallback: number): number {
  const { min, max } = TUNE_RANGES[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const clamped = Math.min(max, Math.max(min, value));
  return isInteger(key) ? Math.round(clamped) : clamped;
}

/** True when `value` is complete and in range: what a `configure` request must carry. */
export function isTuneSettings(value: unknown): value is TuneSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const fields: Record<string, unknown> = { ...value };
  return (
    isAlgorithm(fields.algorithm) &&
    TUNE_KEYS.every((key) => isTuneValue(key, fields[key])) &&
    (fields.rollout === undefined || isRolloutSampling(fields.rollout))
  );
}

/** Any value made valid: missing fields take the algorithm's defaults, numbers are clamped into range. */
export function sanitizeTune(value: unknown): TuneSettings {
  const fields: Record<string, unknown> = typeof value === 'object' && value !== null ? { ...value } : {};
  const out = defaultTune(isAlgorithm(fields.algorithm) ? fields.algorithm : DEFAULT_TUNE.algorithm);
  for (const key of TUNE_KEYS) out[key] = clampTo(key, fields[key], out[key]);
  return fields.rollout === undefined ? out : { ...out, rollout: sanitizeRollout(fields.rollout) };
}

/**
 * The engine's config for these settings, with PPO's value warm-up (the learning study's pick);
 * fields not set here keep the engine's defaults.
 */
export function toPPOConfig(s: TuneSettings): Partial<PPOConfig> {
  return {
    beta: s.beta,
    klTarget: s.klTarget > 0 ? s.klTarget : null,
    clipRange: s.clipRange,
    learningRate: s.learningRate,
    samplesPerPrompt: s.samplesPerPrompt,
    promptsPerIteration: s.promptsPerIteration,
    maxNewTokens: s.maxNewTokens,
    ...(s.algorithm === 'ppo' ? { valueWarmupIterations: STUDY_PPO_VALUE_WARMUP } : {}),
    ...(s.rollout === undefined ? {} : { ...s.rollout }),
  };
}

export function isLabelSampling(value: unknown): value is LabelSampling {
  if (typeof value !== 'object' || value === null) return false;
  const fields: Record<string, unknown> = { ...value };
  const t = fields.temperature;
  return (
    isTuneValue('maxNewTokens', fields.maxNewTokens) && typeof t === 'number' && Number.isFinite(t) && t > 0 && t <= 2
  );
}
