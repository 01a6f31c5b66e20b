/** Finding and loading checkpoints from Node: the shipped default, or a file given by path. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { loadCheckpoint, type CheckpointMetadata } from '../../src/engine/checkpoint/checkpoint';
import type { GPT } from '../../src/engine/model/gpt';
import { exists, readBytes, readJson } from './files';
import { fail } from './cli';

export const MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));

/** A checkpoint's language-model figures: what `npm run evaluate-lm -- --json` writes and `npm run model-card` reads. */
export interface LmEvaluation {
  model: string;
  validationTokens: number;
  validationBytes: number;
  baseline: number;
  baselineName: string;
  /** Nats/token in disjoint windows of the context length (what pretraining reports). */
  windowed: number;
  /** Nats/token in windows every `stride` tokens, scoring only the new ones. */
  sliding: number;
  stride: number;
  windowedPerByte: number;
  baselinePerByte: number;
}

interface Manifest {
  default: string;
  models: { id: string; checkpoint: string; tokenizer: string }[];
}

/** Path of the shipped default checkpoint and its tokenizer, from public/models/manifest.json. */
export function defaultModelPaths(): { checkpoint: string; tokenizer: string } {
  const manifestPath = join(MODELS_DIR, 'manifest.json');
  if (!exists(manifestPath)) fail({ code: 'CLI_MISSING', params: { path: manifestPath, what: 'manifest' } });
  const manifest = readJson(manifestPath) as Manifest;
  const entry = manifest.models.find((m) => m.id === manifest.default);
  if (entry === undefined) {
    const ids = manifest.models.map((m) => m.id);
    fail({ code: 'MANIFEST_BAD_DEFAULT', params: { url: manifestPath, ids, got: JSON.stringify(manifest.default) } });
  }
  return { checkpoint: join(MODELS_DIR, entry.checkpoint), tokenizer: join(MODELS_DIR, entry.tokenizer) };
}

/**
 * Loads a checkpoint and the tokenizer it was trained with (by default the tokenizer.json beside
 * the checkpoint), checking they belong together.
 */
export function loadModel(
  checkpointPath?: string,
  tokenizerPath?: string,
): { model: GPT; tokenizer: Tokenizer; metadata: CheckpointMetadata; path: string } {
  const paths =
    checkpointPath === undefined
      ? defaultModelPaths()
      : { checkpoint: checkpointPath, tokenizer: tokenizerPath ?? join(dirname(checkpointPath), 'tokenizer.json') };
  if (!exists(paths.checkpoint)) fail({ code: 'CLI_MISSING', params: { path: paths.checkpoint, what: 'checkpoint' } });
  if (!exists(paths.tokenizer)) fail({ code: 'CLI_MISSING', params: { path: paths.tokenizer, what: 'tokenizer' } });
  const tokenizer = Tokenizer.fromJSON(readJson(paths.tokenizer));
  const { model, metadata } = loadCheckpoint(readBytes(paths.checkpoint), { tokenizer, source: paths.checkpoint });
  return { model, tokenizer, metadata, path: paths.checkpoint };
}

/** A pretraining run's weight average, as report.json (and the checkpoint's info) records it. */
export interface AveragingReport {
  /** First averaged step, and the steps between two snapshots. */
  from: number;
  every: number;
  snapshots: number;
  /** Validation loss of the weights after the last step alone, beside the average's. */
  lastStepValLoss: number;
}
