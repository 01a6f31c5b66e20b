/**
 * Leaks: tf.memory() before and after many training iterations and many generate calls. One of
 * each runs first, so what is allocated once (optimiser moments, kernel caches) is not counted;
 * anything gained after that grows with every iteration and would end a long session.
 */
import * as tf from '@tensorflow/tfjs';
import { generate } from '../../src/engine/generate/generate';
import type { BenchCase, CaseContext, CaseResult } from '../types';
import { randomPrompts, randomTrainer } from './fixtures';

interface Growth {
  tensors: number;
  bytes: number;
}

/** Tensors and bytes gained over `iterations` runs of `fn`, after one untracked run. */
async function growth(iterations: number, fn: () => Promise<unknown>): Promise<Growth> {
  await fn();
  const before = tf.memory();
  for (let i = 0; i < iterations; i++) await fn();
  const after = tf.memory();
  return { tensors: after.numTensors - before.numTensors, bytes: after.numBytes - before.numBytes };
}

async function run({ sizes, log }: CaseContext): Promise<CaseResult> {
  const s = sizes.memory;
  log(`memory: ${s.iterations} training iterations`);
  const { model, trainer } = randomTrainer(s.model, s.batch);
  const train = await growth(s.iterations, () => trainer.trainStep());
  trainer.dispose();
  log(`memory: ${s.iterations} generate calls`);
  const prompts = randomPrompts(s.batch, 3, s.model.vocabSize);
  const gen = await growth(s.iterations, () => generate(model, prompts, { maxNewTokens: s.newTokens }));
  model.dispose();
  const what = `over ${s.iterations} iterations, target 0`;
  return {
    rows: [
      { metric: 'tensors gained, training', value: train.tensors, unit: 'tensors', note: what },
      { metric: 'bytes gained, training', value: train.bytes, unit: 'bytes' },
      { metric: 'tensors gained, generate', value: gen.tensors, unit: 'tensors', note: what },
      { metric: 'bytes gained, generate', value: gen.bytes, unit: 'bytes' },
    ],
    figures: { iterations: s.iterations, train, generate: gen },
    headline: { tensorGrowth: train.tensors + gen.tensors, bytesGrowth: train.bytes + gen.bytes },
  };
}

export const memoryCase: BenchCase = {
  name: 'memory',
  title: 'Memory growth (tf.memory) across iterations',
  run,
};
