// The real engine worker (src/workers/engine.worker.ts), started the way the app starts it and
// driven through the typed client: it reports its backend, fails cleanly on a missing model,
// and loads and runs a model served from blob URLs.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKEND_LADDER } from '../../src/engine/backend';
import { GPT, GPT_PRESETS, Tokenizer, saveCheckpoint } from '../../src/engine';
import { DEFAULT_SETTINGS } from '../../src/contract/generation-settings';
import { spawnEngine } from '../../src/workers/spawn';
import { rejection } from '../helpers/worker-errors';

const { worker, client } = spawnEngine();
afterAll(() => worker.terminate());

/** A manifest and model files as blob URLs: a model the worker downloads exactly like a shipped one. */
async function blobModel(): Promise<{ manifestUrl: string; paramCount: number }> {
  await tf.setBackend('cpu');
  const tokenizer = Tokenizer.train('a small cat sat on a small mat. '.repeat(10), { vocabSize: 262 });
  const model = new GPT({ ...GPT_PRESETS.tiny, vocabSize: tokenizer.vocabSize }, 5);
  const checkpoint = await saveCheckpoint(model, {
    name: 'blob-tiny',
    tokenizerFingerprint: tokenizer.fingerprint(),
    info: {},
  });
  const paramCount = model.paramCount();
  model.dispose();
  const url = (part: BlobPart, type: string): string => URL.createObjectURL(new Blob([part], { type }));
  const entry = {
    id: 'blob-tiny',
    title: 'Tiny model from blob URLs',
    tokenizer: url(JSON.stringify(tokenizer.toJSON()), 'application/json'),
    checkpoint: url(new Uint8Array(checkpoint), 'application/octet-stream'),
    card: url('# Blob tiny', 'text/markdown'),
  };
  return { manifestUrl: url(JSON.stringify({ default: entry.id, models: [entry] }), 'application/json'), paramCount };
}

describe('engine worker', () => {
  it('init reports the backend that started and the reason', async () => {
    const choice = await client.init();
    expect(BACKEND_LADDER).toContain(choice.backend);
    // Every backend above the chosen one is listed with why it failed.
    expect(choice.attempts.map((a) => a.backend)).toEqual(
      BACKEND_LADDER.slice(0, BACKEND_LADDER.indexOf(choice.backend)),
    );
  });

  it('loading a missing model is a typed MODEL_NOT_FOUND error', async () => {
    const missing = new URL('/models/no-such-model/manifest.json', location.href).href;
    const err = await rejection(client.loadModel(missing));
    expect(err.code).toBe('MODEL_NOT_FOUND');
    expect(err.message).toContain('no-such-model/manifest.json');
    expect(err.request).toBe('loadModel');
  });

  it('generating before any model is loaded is a typed NO_MODEL error', async () => {
    expect((await rejection(client.generate('hello', DEFAULT_SETTINGS))).code).toBe('NO_MODEL');
  });

  it('loads a model with progress and generates from it', async () => {
    const { manifestUrl, paramCount } = await blobModel();
    const phases = new Set<string>();
    const info = await client.loadModel(manifestUrl, undefined, { onProgress: (p) => phases.add(p.phase) });
    expect(info.paramCount).toBe(paramCount);
    expect(info.card).toBe('# Blob tiny');
    expect(phases).toContain('checkpoint');

    const settings = { ...DEFAULT_SETTINGS, maxNewTokens: 5 };
    const first = await client.generate('a small', settings);
    expect(first.tokens.length).toBeGreaterThan(0);
    expect(first.tokens.length).toBeLessThanOrEqual(5);
    expect(first.logProbs.every((lp) => lp <= 0 && Number.isFinite(lp))).toBe(true);
    // The same seed on the same backend reproduces the same text.
    const again = await client.generate('a small', settings);
    expect(again.tokens).toEqual(first.tokens);
  });
});
