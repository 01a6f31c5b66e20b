/**
 * Inputs the cases share: seeded random prompts and token streams. The bench times the engine,
 * not a corpus, so random ids do (a random-init model costs the same per token as a trained one).
 */
import { GPT } from '../../src/engine/model/gpt';
import type { GPTConfig } from '../../src/engine/model/config';
import { Pretrainer, DEFAULT_PRETRAIN } from '../../src/engine/train/pretrain';
import { Rng } from '../../src/engine/rng';

/** B prompts of L random token ids each. */
export function randomPrompts(B: number, L: number, vocabSize: number, seed = 7): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: B }, () => Array.from({ length: L }, () => rng.int(vocabSize)));
}

/** A random token stream long enough for many training windows. */
function randomStream(length: number, vocabSize: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length }, () => rng.int(vocabSize));
}

/**
 * The engine's own training step (forward, cross-entropy, backward, AdamW) on a seeded random
 * model and random data: `trainStep()` is exactly what pretraining runs.
 */
export function randomTrainer(config: GPTConfig, batchSize: number): { model: GPT; trainer: Pretrainer } {
  const model = new GPT(config, 1);
  const n = 64 * (config.blockSize + 1);
  const data = { train: randomStream(n, config.vocabSize, 2), validation: randomStream(n, config.vocabSize, 3) };
  const trainer = new Pretrainer(model, data, { ...DEFAULT_PRETRAIN, batchSize, warmupSteps: 1 });
  return { model, trainer };
}
