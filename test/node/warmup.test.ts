// The shader warm-up runs a generation and a forward/backward pass without leaving anything
// behind: no tensors, no changed weights, and it reports a real duration.
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { GPT, GPT_PRESETS } from '../../src/engine';
import { warmUp } from '../../src/engine/warmup';

it('warmUp leaks no tensors, changes no weights and reports its time', async () => {
  const model = new GPT({ ...GPT_PRESETS.tiny }, 3);
  const before = await model.params.read();
  const tensors = tf.memory().numTensors;
  const ms = await warmUp(model);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(ms).toBeGreaterThan(0);
  const after = await model.params.read();
  for (const [name, t] of before) expect(after.get(name)?.data, name).toEqual(t.data);
  model.dispose();
});

it('warmUp works on a model whose context is shorter than its usual window', async () => {
  const model = new GPT({ ...GPT_PRESETS.tiny, blockSize: 3 }, 4);
  const tensors = tf.memory().numTensors;
  await warmUp(model);
  expect(tf.memory().numTensors).toBe(tensors);
  model.dispose();
});
