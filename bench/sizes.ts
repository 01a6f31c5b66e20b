/**
 * The sizes the bench runs at. The default: the base model (4 layers, width 128,
 * vocabulary 2048, context 128), a batch of 16 prompts decoded to the full context, and training
 * steps at PPO's batch of 16 x 128 tokens; PPO and GRPO at their default configuration (4 prompts
 * x 4 samples of up to 48 tokens) and the reward model on 64 pairs, about what a classroom session
 * labels. `--quick` keeps the model but shrinks batch and context so a run takes seconds; its
 * figures are for checking the bench, not for the README.
 */
import { GPT_PRESETS, type GPTConfig } from '../src/engine/model/config';
import type { BenchSizes } from './types';

const base = GPT_PRESETS.base;

export const FULL_SIZES: BenchSizes = {
  decode: { model: base, batch: 16, promptLength: 8, warmup: 1, repeats: 3 },
  train: { model: base, batch: 16, warmup: 2, repeats: 9 },
  matmul: {
    shapes: [
      [2048, 128, 512],
      [2048, 512, 128],
    ],
    perRound: 8,
  },
  dispatch: { model: base, batch: 16, promptLength: 8, decodeSteps: 4, trainBatch: 16 },
  memory: { model: GPT_PRESETS.tiny, batch: 4, iterations: 100, newTokens: 4 },
  rl: { model: base, promptLength: 10, pairs: 64, responseLength: 40, ppo: {}, warmup: 1, repeats: 3 },
};

export const QUICK_SIZES: BenchSizes = {
  decode: { model: { ...base, blockSize: 48 }, batch: 8, promptLength: 8, warmup: 1, repeats: 3 },
  train: { model: { ...base, blockSize: 64 }, batch: 4, warmup: 1, repeats: 3 },
  matmul: {
    shapes: [
      [1024, 128, 512],
      [1024, 512, 128],
    ],
    perRound: 8,
  },
  dispatch: { model: base, batch: 16, promptLength: 8, decodeSteps: 2, trainBatch: 2 },
  memory: { model: GPT_PRESETS.tiny, batch: 2, iterations: 100, newTokens: 2 },
  rl: { model: base, promptLength: 8, pairs: 16, responseLength: 16, ppo: { maxNewTokens: 16 }, warmup: 1, repeats: 1 },
};

/** A model shape to bench at instead of the base preset's (`--vocab`, `--layers`). */
export interface ShapeOverride {
  vocabSize?: number;
  nLayer?: number;
}

/**
 * `sizes` with the model of every case but memory (a tiny model by design) reshaped:
 * `--vocab 4096 --layers 5` times the shipped default's shape (an output layer twice the base
 * preset's and a fifth block).
 */
export function atShape(sizes: BenchSizes, shape: ShapeOverride): BenchSizes {
  const at = (model: GPTConfig): GPTConfig => ({ ...model, ...shape });
  return {
    ...sizes,
    decode: { ...sizes.decode, model: at(sizes.decode.model) },
    train: { ...sizes.train, model: at(sizes.train.model) },
    dispatch: { ...sizes.dispatch, model: at(sizes.dispatch.model) },
    rl: { ...sizes.rl, model: at(sizes.rl.model) },
  };
}

/** A label for the reshaped sizes: "vocabulary 4096, 5 layers". */
export function shapeName(shape: ShapeOverride): string {
  return [
    shape.vocabSize !== undefined ? `vocabulary ${shape.vocabSize}` : '',
    shape.nLayer !== undefined ? `${shape.nLayer} layers` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
