/**
 * Inputs the cases share: seeded random prompts, token streams and preference pairs. The bench
 * times the engine, not a corpus, so random ids do (a random-init model costs the same per token
 * as a trained one).
 */
import { GPT } from '../../src/engine/model/gpt';
import type { GPTConfig } from '../../src/engine/model/config';
import { Pretrainer, DEFAULT_PRETRAIN } from '../../src/engine/train/pretrain';
import type { PreferencePair } from '../../src/engine/rl/preferences';
import { Rng } from '../../src/engine/rng';

/** The RL cases' token ids: 0 pads and the last id ends a response, so neither is drawn as content. */
export const PAD_ID = 0;
export const eosId = (vocabSize: number): number => vocabSize - 1;

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

/** n token ids in [1, V-2]: never padding, never end-of-text. */
function contentTokens(rng: Rng, n: number, vocabSize: number): number[] {
  return Array.from({ length: n }, () => 1 + rng.int(vocabSize - 2));
}

/** P prompts of L content tokens, for the RL iterations. */
export function rlPrompts(P: number, L: number, vocabSize: number, seed = 5): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: P }, () => contentTokens(rng, L, vocabSize));
}

/** n random preference pairs (prompt of L tokens, two responses of R tokens, chosen wins). */
export function randomPairs(n: number, L: number, R: number, vocabSize: number, seed = 6): PreferencePair[] {
  const rng = new Rng(seed);
  const tokens = (k: number) => contentTokens(rng, k, vocabSize);
  return Array.from({ length: n }, (_, key) => ({
    key,
    prompt: tokens(L),
    chosen: tokens(R),
    rejected: tokens(R),
    target: 1,
  }));
}
