/**
 * What the worker reports while it works and what it knows about a model, part of the contract
 * between the page and the engine worker (protocol.ts re-exports all of it): step reports of long
 * requests, download and generation progress, the shipped models' manifest and a loaded model.
 */
import type { GPTConfig } from '../engine';
import type { Comparison } from './labels';
import type { GenerationSettings } from './generation-settings';
import type { SampleView } from './views';

/** Downloads count bytes; `build` counts 0 then 1; `generate` counts tokens. */
export type ProgressPhase = 'manifest' | 'tokenizer' | 'checkpoint' | 'card' | 'build' | 'generate';

/** What a long request reports as it goes. */
export type StepReport =
  | { kind: 'reward'; step: number; total: number; loss: number }
  | { kind: 'iteration'; iteration: number; of: number; metrics: Record<string, number>; samples: SampleView[] }
  | { kind: 'pretrain'; step: number; total: number; loss: number; elapsedMs: number }
  /** An evaluation: sampling each policy (tokens), then reward-model scoring (pairs). */
  | { kind: 'evaluate'; stage: 'base' | 'tuned' | 'reward'; done: number; total: number }
  /**
   * An experiment's labels: `done` of `total` pairs judged in this round, the last `label` (after
   * any flip), `flipped` over the whole run; `arm` is the arm fresh labels were asked for, null for the first.
   */
  | { kind: 'experimentLabel'; arm: string | null; done: number; total: number; label: Comparison; flipped: number }
  /** An experiment's reward model after a training: held-out accuracy over `heldOut` pairs. */
  | { kind: 'experimentReward'; accuracy: number; heldOut: number; labels: number }
  /** One iteration of an experiment's arm, with the probe's gold score and distinct-2 in `metrics`. */
  | {
      kind: 'armIteration';
      arm: string;
      iteration: number;
      of: number;
      metrics: Record<string, number>;
      samples: SampleView[];
    };

export interface Progress {
  phase: ProgressPhase;
  /** Units done so far. */
  loaded: number;
  /** Units expected, or null when unknown (a server that sent no Content-Length). */
  total: number | null;
}

/** A model entry of `public/models/manifest.json`; paths are relative to the manifest. */
export interface ManifestEntry {
  id: string;
  title: string;
  checkpoint: string;
  tokenizer: string;
  card: string;
}

export interface ModelManifest {
  default: string;
  models: ManifestEntry[];
}

export interface ModelInfo {
  id: string;
  title: string;
  /** Every model the manifest offers, so the page can offer a choice. */
  available: { id: string; title: string }[];
  config: GPTConfig;
  paramCount: number;
  checkpointBytes: number;
  /** The model card (Markdown source), or null when the manifest's card file is missing. */
  card: string | null;
  /** Wall time of the whole load: downloads plus building the model. */
  loadMs: number;
  /**
   * Wall time of the shader warm-up after the load (one tiny generation, one forward/backward
   * pass), on the backend in use: the first timed work does not pay for compiling kernels.
   */
  warmupMs: number;
  /** SHA-256 of the weights (see weights-hash.ts): the same weights, from any file, hash the same. */
  weightsHash: string;
}

export interface GenerationResult {
  prompt: string;
  /** The continuation only, without the prompt. */
  text: string;
  tokens: number[];
  /** Natural-log probability of each sampled token under the sampling distribution. */
  logProbs: number[];
  finishReason: 'eos' | 'length';
  promptTokens: number;
  elapsedMs: number;
  settings: GenerationSettings;
}
