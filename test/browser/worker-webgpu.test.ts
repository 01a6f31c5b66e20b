// The engine inside a real module worker on WebGPU (SwiftShader in CI) computes the same logits
// as the CPU backend on the page, to 1e-4.
import * as tf from '@tensorflow/tfjs';
import { afterAll, expect, it } from 'vitest';
import { GPT, GPT_PRESETS, type GPTConfig } from '../../src/engine';
import type { LogitsReply, LogitsRequest } from './fixtures/logits.worker';

const config: GPTConfig = { ...GPT_PRESETS.tiny };
const SEED = 123;
// Two rows, so batching is part of what is compared; ids cover the vocabulary's range.
const ids = [
  [1, 5, 9, 2, 63, 0, 17, 33],
  [40, 41, 42, 7, 7, 7, 12, 50],
];

const workers: Worker[] = [];
afterAll(() => workers.forEach((w) => w.terminate()));

function logitsFromWorker(request: LogitsRequest): Promise<LogitsReply> {
  const worker = new Worker(new URL('./fixtures/logits.worker.ts', import.meta.url), { type: 'module' });
  workers.push(worker);
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<LogitsReply>) => resolve(event.data));
    worker.addEventListener('error', (event) => reject(new Error(`the test worker failed: ${event.message}`)));
    worker.postMessage(request);
  });
}

async function logitsOnCpu(): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const model = new GPT(config, SEED);
  const logits = tf.tidy(() => model.logits(tf.tensor2d(ids, undefined, 'int32'))); // [B, T, V]
  const data = await logits.data();
  logits.dispose();
  model.dispose();
  if (!(data instanceof Float32Array)) throw new Error('CPU logits are not float32');
  return data;
}

it('GPT logits from a WebGPU worker match the CPU backend within 1e-4', async () => {
  const reply = await logitsFromWorker({ config, seed: SEED, ids });
  if (!reply.ok) throw new Error(`the worker could not compute logits: ${reply.error}`);
  expect(reply.backend).toBe('webgpu');
  expect(reply.shape).toEqual([ids.length, ids[0].length, config.vocabSize]);

  const expected = await logitsOnCpu();
  expect(reply.logits.length).toBe(expected.length);
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(reply.logits[i] - expected[i]));
  expect(Number.isFinite(maxDiff)).toBe(true);
  expect(maxDiff).toBeLessThan(1e-4);
  // Not all zeros: a broken model that outputs a constant would also "match".
  expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(1e-3);
});
