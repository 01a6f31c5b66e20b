/** What every bench case receives and returns, and the report the runner assembles from them. */
import type { GPTConfig } from '../src/engine/model/config';
import type { PPOConfig } from '../src/engine/rl/ppo-config';
import type { Clock, Repeats } from './stats';

export const CASE_NAMES = ['decode', 'train', 'dispatch', 'memory', 'ppo', 'grpo', 'reward'] as const;
export type CaseName = (typeof CASE_NAMES)[number];

/** The figures the performance targets are checked against: the top level of the JSON. */
export interface Headline {
  /** KV-cache decoding tokens/s divided by full-recompute tokens/s (target >= 8 on wasm). */
  kvCacheSpeedup: number | null;
  /** Training-step GFLOP/s divided by plain-matmul GFLOP/s, same run (target >= 0.35 on wasm). */
  trainStepMatmulFraction: number | null;
  /** Median time of one default PPO iteration (target < 15 s on wasm). */
  ppoIterationMs: number | null;
  /** Median time of one default GRPO iteration, same prompts and model. */
  grpoIterationMs: number | null;
  /** Median time of one reward-model epoch over the rl case's preference pairs. */
  rewardModelEpochMs: number | null;
  /** Kernels launched by one cached decode step of the whole batch. */
  dispatchesPerToken: number | null;
  /** Tensors gained over the memory case's training iterations and generate calls (target 0). */
  tensorGrowth: number | null;
  /** Bytes gained over the same iterations (target 0). */
  bytesGrowth: number | null;
  /** Browser only: median time from navigation to the app's first generated token; null in Node. */
  coldStartMs: number | null;
}

/** Sizes of every case; `--quick` and the smoke test use smaller ones than the default. */
export interface BenchSizes {
  decode: Repeats & { model: GPTConfig; batch: number; promptLength: number };
  train: Repeats & { model: GPTConfig; batch: number };
  /**
   * Plain matMuls [m, k] x [k, n] whose GFLOP/s the training step is compared against: a round
   * of `perRound` of each shape is timed after every training step.
   */
  matmul: { shapes: [number, number, number][]; perRound: number };
  dispatch: { model: GPTConfig; batch: number; promptLength: number; decodeSteps: number; trainBatch: number };
  memory: { model: GPTConfig; batch: number; iterations: number; newTokens: number };
  /**
   * PPO, GRPO and reward-model training at the trainers' defaults (overridden by `ppo`), on
   * random prompts of `promptLength` tokens and `pairs` random preference pairs whose responses
   * are `responseLength` tokens long.
   */
  rl: Repeats & {
    model: GPTConfig;
    promptLength: number;
    pairs: number;
    responseLength: number;
    ppo: Partial<PPOConfig>;
  };
}

/** One line of the printed table. */
export interface Row {
  metric: string;
  value: number | null;
  unit: string;
  note?: string;
}

export interface CaseResult {
  rows: Row[];
  /** Everything measured, for the JSON (plain numbers, strings, arrays and objects). */
  figures: Record<string, unknown>;
  /** The case's share of the headline figures. */
  headline: Partial<Headline>;
}

/** What a case is given: its sizes, the clock to time with, and a progress logger. */
export interface CaseContext {
  sizes: BenchSizes;
  clock: Clock;
  log: (line: string) => void;
}

export interface BenchCase {
  name: CaseName;
  /** One line for the table heading: what the case measures. */
  title: string;
  run(ctx: CaseContext): Promise<CaseResult>;
}
