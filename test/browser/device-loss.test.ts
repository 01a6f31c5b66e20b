// A lost WebGPU device, in the real engine worker on WebGPU (SwiftShader here): the worker reports
// the loss, ends the tuning run it interrupted with DEVICE_LOST instead of leaving it hanging,
// starts again on WASM, and the policy it restores (the last checkpoint) writes the same greedy
// continuation as it did on WebGPU.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { GPT, GPT_PRESETS, Tokenizer, saveCheckpoint } from '../../src/engine';
import type { DeviceLostEvent } from '../../src/workers/client';
import { DEFAULT_TUNE } from '../../src/workers/session-settings';
import { DEFAULT_SETTINGS } from '../../src/workers/settings';
import { spawnEngine } from '../../src/workers/spawn';
import { rejection } from '../helpers/worker-errors';

const { worker, client } = spawnEngine();
afterAll(() => worker.terminate());

const TEXT = 'the cat sat on the mat. the dog sat on the log. ';
const PROMPT = 'the cat';
const greedy = { ...DEFAULT_SETTINGS, greedy: true, maxNewTokens: 8 };

/** A tokenizer and two checkpoints of the same shape: the model to load, and a policy to restore. */
async function modelFiles(): Promise<{ manifestUrl: string; policy: ArrayBuffer }> {
  await tf.setBackend('cpu');
  const tokenizer = Tokenizer.train(TEXT.repeat(10), { vocabSize: 262 });
  const config = { ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize, blockSize: 32 };
  const save = async (seed: number, name: string): Promise<Uint8Array> => {
    const model = new GPT(config, seed);
    const bytes = await saveCheckpoint(model, { name, tokenizerFingerprint: tokenizer.fingerprint(), info: {} });
    model.dispose();
    return bytes;
  };
  const url = (part: BlobPart, type: string): string => URL.createObjectURL(new Blob([part], { type }));
  const entry = {
    id: 'lossy',
    title: 'Tiny model for the device-loss test',
    tokenizer: url(JSON.stringify(tokenizer.toJSON()), 'application/json'),
    checkpoint: url(new Uint8Array(await save(11, 'base')), 'application/octet-stream'),
    card: url('# Tiny', 'text/markdown'),
  };
  const policy = new Uint8Array(await save(12, 'policy')).slice().buffer;
  return { manifestUrl: url(JSON.stringify({ default: entry.id, models: [entry] }), 'application/json'), policy };
}

/** The next device-loss notice whose recovery is no longer under way. */
function recoveryEnd(notices: DeviceLostEvent[]): Promise<DeviceLostEvent> {
  return new Promise((resolve) => {
    const stop = client.onDeviceLost((event) => {
      notices.push(event);
      if (event.recovery.status !== 'recovering') {
        stop();
        resolve(event);
      }
    });
  });
}

describe('a lost WebGPU device', () => {
  it('ends the running tuning with DEVICE_LOST, falls back to WASM, and restores the last checkpoint', async () => {
    expect((await client.init(['webgpu'])).backend).toBe('webgpu');
    const { manifestUrl, policy } = await modelFiles();
    const info = await client.loadModel(manifestUrl);
    expect(info.warmupMs).toBeGreaterThan(0);
    const base = await client.generate(PROMPT, greedy);

    await client.startSession(5);
    await client.loadPolicy(policy);
    const before = await client.generate(PROMPT, greedy);
    // Otherwise a recovery that forgot the checkpoint would pass unnoticed.
    expect(before.tokens).not.toEqual(base.tokens);

    // DPO needs only labels, no reward model: the quickest run that trains the policy.
    const comparisons = [0, 1, 2].map((i) => ({ prompt: PROMPT, a: ' sat on the mat.', b: ' dog log dog', choice: i === 2 ? ('b' as const) : ('a' as const), labeler: 'test' }));
    await client.setLabels({ comparisons, ratings: [], demonstrations: [] });
    await client.configure({ ...DEFAULT_TUNE, algorithm: 'dpo', learningRate: 1e-2 });
    let iterations = 0;
    let firstStep: () => void = () => undefined;
    const stepped = new Promise<void>((resolve) => (firstStep = resolve));
    const run = client.iterate([PROMPT], 500, { onStep: () => (iterations++, firstStep()) });
    await stepped;

    const notices: DeviceLostEvent[] = [];
    const ended = recoveryEnd(notices);
    expect(await client.loseDevice()).toBe(true);
    const interrupted = await rejection(run.done);
    expect(interrupted.code).toBe('DEVICE_LOST');
    expect(interrupted.message).toMatch(/Tuning was interrupted because the graphics card \(WebGPU\) was switched off/);
    expect(interrupted.message).toMatch(/press Play to resume/);
    expect(iterations).toBeLessThan(500);

    const { loss, recovery } = await ended;
    expect(notices.map((n) => n.recovery.status)).toEqual(['recovering', 'recovered']);
    expect(loss).toMatchObject({ backend: 'webgpu', reason: 'destroyed' });
    if (recovery.status !== 'recovered') throw new Error(`the recovery failed: ${JSON.stringify(recovery)}`);
    expect(recovery.backend.backend).toBe('wasm');
    expect(recovery.backend.attempts[0]).toMatchObject({ backend: 'webgpu' });
    expect(recovery.backend.attempts[0].error).toMatch(/device was lost/);
    expect(recovery.restored).toBe('checkpoint');
    expect(recovery.model?.id).toBe('lossy');

    // The tuning since the checkpoint is gone with the device: saving it now would mislabel it.
    expect((await rejection(client.savePolicy('after the loss'))).code).toBe('DEVICE_LOST');
    const after = await client.generate(PROMPT, greedy);
    expect(after.tokens).toEqual(before.tokens);
    for (let i = 0; i < after.logProbs.length; i++) expect(after.logProbs[i]).toBeCloseTo(before.logProbs[i], 3);

    // The engine carries on: the session still tunes, now on WASM.
    expect(await client.iterate([PROMPT], 1).done).toBe(1);
  });
});
