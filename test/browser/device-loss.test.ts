// A lost GPU, in the real engine worker: a WebGPU device destroyed (SwiftShader here), a WebGL
// context lost through WEBGL_lose_context. The worker reports the loss, ends the tuning run it
// interrupted with DEVICE_LOST instead of leaving it hanging, starts again on the next backend down
// the ladder (WASM after WebGPU, CPU after WebGL), and the policy it restores (the last
// checkpoint) writes the same greedy continuation as it did on the GPU.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { GPT, GPT_PRESETS, Tokenizer, saveCheckpoint } from '../../src/engine';
import type { DeviceLostEvent, EngineClient } from '../../src/workers/client';
import { DEFAULT_TUNE } from '../../src/contract/tune-settings';
import { DEFAULT_SETTINGS } from '../../src/contract/generation-settings';
import { spawnEngine } from '../../src/workers/spawn';
import { messageText } from '../../src/ui/strings/messages';
import { rejection } from '../helpers/worker-errors';

const engines = [spawnEngine(), spawnEngine()];
afterAll(() => engines.forEach(({ worker }) => worker.terminate()));

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
function recoveryEnd(client: EngineClient, notices: DeviceLostEvent[]): Promise<DeviceLostEvent> {
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

const CASES = [
  { gpu: 'webgpu', api: 'WebGPU', lost: 'device', next: 'wasm' },
  { gpu: 'webgl', api: 'WebGL', lost: 'context', next: 'cpu' },
] as const;

CASES.forEach(({ gpu, api, lost, next }, i) =>
  describe(`a lost ${api} ${lost}`, () => {
    const { client } = engines[i];
    it(`ends the running tuning with DEVICE_LOST, falls back to ${next}, and restores the last checkpoint`, async () => {
      expect((await client.init([gpu])).backend).toBe(gpu);
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
      const comparisons = [0, 1, 2].map((i) => ({
        id: i,
        prompt: PROMPT,
        a: ' sat on the mat.',
        b: ' dog log dog',
        choice: i === 2 ? ('b' as const) : ('a' as const),
        labeler: 'test',
      }));
      await client.setLabels({ comparisons, ratings: [], demonstrations: [] });
      await client.configure({ ...DEFAULT_TUNE, algorithm: 'dpo', learningRate: 1e-2 });
      let iterations = 0;
      let firstStep: () => void = () => undefined;
      const stepped = new Promise<void>((resolve) => (firstStep = resolve));
      const run = client.iterate([PROMPT], 500, { onStep: () => (iterations++, firstStep()) });
      // A run that ends before its first step (the browser taking the GPU away by itself, a shader
      // that fails) would leave `stepped` waiting until the timeout: fail at once, saying why.
      const endedEarly = run.done.then(
        (n) => Promise.reject(new Error(`the run ended after ${n} iterations, before its first step`)),
        (err: unknown) =>
          Promise.reject(
            new Error(`the run failed before its first step: ${err instanceof Error ? err.message : String(err)}`),
          ),
      );
      await Promise.race([stepped, endedEarly]);
      endedEarly.catch(() => undefined);

      const notices: DeviceLostEvent[] = [];
      const ended = recoveryEnd(client, notices);
      expect(await client.loseDevice()).toBe(true);
      const interrupted = await rejection(run.done);
      expect(interrupted.code).toBe('DEVICE_LOST');
      expect(messageText(interrupted.detail)).toMatch(
        new RegExp(`Tuning was interrupted because the graphics card \\(${api}\\) was switched off`),
      );
      expect(messageText(interrupted.detail)).toMatch(/press Play to resume/);
      expect(iterations).toBeLessThan(500);

      const { loss, recovery } = await ended;
      expect(notices.map((n) => n.recovery.status)).toEqual(['recovering', 'recovered']);
      expect(loss).toMatchObject({ backend: gpu, reason: 'destroyed' });
      if (recovery.status !== 'recovered') throw new Error(`the recovery failed: ${JSON.stringify(recovery)}`);
      expect(recovery.backend.backend).toBe(next);
      expect(recovery.backend.attempts[0]).toMatchObject({ backend: gpu });
      expect(recovery.backend.attempts[0].failure).toMatchObject({ kind: 'lost' });
      expect(recovery.restored).toBe('checkpoint');
      expect(recovery.model?.id).toBe('lossy');

      // The tuning since the checkpoint is gone with the device: saving it now would mislabel it.
      expect((await rejection(client.savePolicy('after the loss'))).code).toBe('DEVICE_LOST');
      const after = await client.generate(PROMPT, greedy);
      expect(after.tokens).toEqual(before.tokens);
      for (let i = 0; i < after.logProbs.length; i++) expect(after.logProbs[i]).toBeCloseTo(before.logProbs[i], 3);

      // The engine carries on: the session still tunes, now on the backend below.
      expect(await client.iterate([PROMPT], 1).done).toBe(1);
    });
  }),
);
