/**
 * Leaks: tf.memory() before and after many training iterations and many generate calls. One of
 * each runs first, so what is allocated once (optimiser moments, kernel caches) is not counted;
 * anything gained after that grows with every iteration and would end a long session.
 *
 * Held: the bytes a tuning session keeps on the device (policy, the run's reference, reward model,
 * and the optimiser's value model, moments and snapshot), in copies of the GPT, for each algorithm
 * that has a KL anchor. A run keeps one reference, which its optimisers share.
 */
import * as tf from '@tensorflow/tfjs';
import { generate } from '../../src/engine/generate/generate';
import type { GPTConfig } from '../../src/engine/model/config';
import { GPT } from '../../src/engine/model/gpt';
import { RlhfSession } from '../../src/engine/loop/session';
import { saveRewardCheckpoint } from '../../src/engine/rl/reward-checkpoint';
import { RewardModel } from '../../src/engine/rl/reward-model';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import type { BenchCase, CaseContext, CaseResult, Row } from '../types';
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

const HELD_ALGORITHMS = ['ppo', 'grpo', 'dpo'] as const;

interface Held {
  bytes: number;
  /** bytes / the bytes of one GPT of the session's shape. */
  gptCopies: number;
}

/**
 * Bytes a session holds after one iteration of `algorithm` on a `shape` model (its vocabulary that
 * of a small tokenizer): everything it allocated, less nothing, since it is still alive.
 */
async function heldBySession(algorithm: (typeof HELD_ALGORITHMS)[number], shape: GPTConfig): Promise<Held> {
  const text = Array.from({ length: 30 }, (_, i) => `the ${['dog', 'cat', 'bird'][i % 3]} ran home.`).join(' ');
  const tokenizer = Tokenizer.train(text, { vocabSize: 270 });
  const config = { ...shape, vocabSize: tokenizer.vocabSize };
  const before = tf.memory().numBytes;
  const base = new GPT(config, 1);
  const gptBytes = base.paramCount() * 4;
  const session = new RlhfSession(base.clone(), tokenizer, { seed: 1, reference: base });
  const reward = new RewardModel(base, tokenizer.eosId, { ensembleSize: 1 });
  session.loadRewardModel(
    await saveRewardCheckpoint(reward, { name: 'rm', tokenizerFingerprint: tokenizer.fingerprint(), info: {} }),
    'rm',
  );
  reward.dispose();
  const comparisons = ['the dog', 'the cat'].map((prompt, id) => ({
    id,
    prompt,
    a: ' ran',
    b: ' home',
    choice: 'a' as const,
    labeler: 'bench',
  }));
  session.setLabels({ comparisons, ratings: [], demonstrations: [] });
  session.configure(algorithm, { maxNewTokens: 4, promptsPerIteration: 1, samplesPerPrompt: 2 });
  await session.iterate(['the dog']);
  const bytes = tf.memory().numBytes - before;
  session.dispose();
  return { bytes, gptCopies: bytes / gptBytes };
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
  log(`memory: bytes a session holds, ${HELD_ALGORITHMS.join(', ')}`);
  const held: Record<string, Held> = {};
  for (const algorithm of HELD_ALGORITHMS) held[algorithm] = await heldBySession(algorithm, s.model);
  const heldRows: Row[] = HELD_ALGORITHMS.map((algorithm) => ({
    metric: `bytes held, session tuning with ${algorithm.toUpperCase()}`,
    value: held[algorithm].bytes,
    unit: 'bytes',
    note: `${held[algorithm].gptCopies.toFixed(2)} GPT copies, one of them the run's reference`,
  }));
  const what = `over ${s.iterations} iterations, target 0`;
  return {
    rows: [
      { metric: 'tensors gained, training', value: train.tensors, unit: 'tensors', note: what },
      { metric: 'bytes gained, training', value: train.bytes, unit: 'bytes' },
      { metric: 'tensors gained, generate', value: gen.tensors, unit: 'tensors', note: what },
      { metric: 'bytes gained, generate', value: gen.bytes, unit: 'bytes' },
      ...heldRows,
    ],
    figures: { iterations: s.iterations, train, generate: gen, held },
    headline: { tensorGrowth: train.tensors + gen.tensors, bytesGrowth: train.bytes + gen.bytes },
  };
}

export const memoryCase: BenchCase = {
  name: 'memory',
  title: 'Memory growth (tf.memory) across iterations',
  run,
};
