// Exports and tokenizers follow the run's base: a Hugging Face export works when a saved (imported)
// model is the base and writes that model's tokenizer; a checkpoint recorded with another
// tokenizer's fingerprint is refused with BAD_TOKENIZER and a sentence, and nothing changes. And the
// worker's reference stays the base when a tuned policy is loaded and after a device-loss rebuild.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { GPT, GPT_PRESETS, Tokenizer, loadCheckpoint, saveCheckpoint } from '../../src/engine';
import { exportHfGpt2 } from '../../src/engine/interchange/hf-gpt2';
import { openPlaygroundDB } from '../../src/storage/db';
import { idbWorkspace } from '../../src/ui/workspace';
import type { ModelInfo, Request, RequestResult } from '../../src/contract/protocol';
import { SessionHost, type SessionRequest } from '../../src/workers/session-host';
import { closePages, openPage, shippedModels, tinyCheckpoint } from '../helpers/page-host';

afterEach(closePages);

const story = 'the dog ran to the park. the cat was happy. a bird sang a song. the girl saw a big tree. ';
const shipped = Tokenizer.train(story.repeat(10), { vocabSize: 300 });
const other = Tokenizer.train('a fox jumped over the lazy hound. zebras graze quietly. '.repeat(10), {
  vocabSize: 280,
});
let dbCount = 0;

async function workspace() {
  return idbWorkspace(await openPlaygroundDB(`run-export-${++dbCount}`));
}

/** A Hugging Face GPT-2 directory of a tiny model on the `other` tokenizer. */
async function hfDirectory(): Promise<Map<string, Uint8Array>> {
  const model = new GPT({ ...GPT_PRESETS.tiny, vocabSize: other.vocabSize, blockSize: 48 }, 8);
  const bytes = await saveCheckpoint(model, { name: 'fox', tokenizerFingerprint: other.fingerprint(), info: {} });
  model.dispose();
  return exportHfGpt2(bytes, other);
}

describe('exports and tokenizers follow the base', () => {
  it('exports a policy tuned on an imported base with that base’s tokenizer', async () => {
    const ws = await workspace();
    const page = await openPage(
      ws,
      await shippedModels(shipped, [{ id: 't', title: 'T', seed: 3 }]),
      '?tokens=6',
      true,
    );
    // Converted by the worker (an importHf request), stored by the page.
    const imported = await page.p.data.importHfModel(await hfDirectory(), 'fox');
    expect(page.p.data.problem).toBeNull();
    await page.p.useAsBase(imported!);
    expect(page.used).toEqual(['fox']);
    // A tuned policy is saved without a tokenizer of its own: it uses the loaded model's.
    const tuned = await page.p.tune.savePolicy('tuned on fox');
    expect((await ws.getCheckpoint(tuned!))?.tokenizer).toBeNull();
    const files = await page.p.exportHf();
    expect(page.p.problem).toBeNull();
    expect(page.p.data.problem).toBeNull();
    const tokenizerFile = files.find((f) => f.name === 'tokenizer.json');
    expect(tokenizerFile).toBeDefined();
    const text =
      typeof tokenizerFile!.bytes === 'string' ? tokenizerFile!.bytes : new TextDecoder().decode(tokenizerFile!.bytes);
    expect(Tokenizer.fromJSON(JSON.parse(text)).fingerprint()).toBe(other.fingerprint());
    expect(files.map((f) => f.name)).toContain('model.safetensors');
  });

  it('refuses a checkpoint recorded with another tokenizer, to restore or to export, and says why', async () => {
    const ws = await workspace();
    const page = await openPage(ws, await shippedModels(shipped, [{ id: 't', title: 'T', seed: 3 }]), '?tokens=6');
    const foreign = new GPT({ ...GPT_PRESETS.tiny, vocabSize: shipped.vocabSize, blockSize: 48 }, 4);
    const bytes = await saveCheckpoint(foreign, {
      name: 'foreign',
      tokenizerFingerprint: other.fingerprint(),
      info: {},
    });
    foreign.dispose();
    const id = await ws.saveCheckpoint('policy', { name: 'foreign', bytes, config: {} }, { makeCurrent: false });
    const before = page.p.tune.checkpointId;
    expect(await page.p.tune.useCheckpoint(id)).toBe(false);
    expect(page.p.tune.problem?.code).toBe('BAD_TOKENIZER');
    expect(page.p.tune.problem?.message).toMatch(/trained with tokenizer/);
    expect(page.p.tune.checkpointId).toBe(before);
    expect(await page.p.data.exportHfModel(id, await page.client.tokenizer())).toEqual([]);
    expect(page.p.data.problem?.code).toBe('BAD_TOKENIZER');
  });
});

describe('the worker’s reference is the base', () => {
  const info = (hash: string): ModelInfo => ({
    id: 'base',
    title: 'base',
    available: [],
    config: { ...GPT_PRESETS.tiny, vocabSize: shipped.vocabSize, blockSize: 48 },
    paramCount: 0,
    checkpointBytes: 0,
    card: null,
    loadMs: 0,
    warmupMs: 0,
    weightsHash: hash,
  });

  it('across loadPolicy and a device-loss rebuild: the KL of the tuned policy to it stays the same', async () => {
    const baseBytes = await tinyCheckpoint(shipped, 3, 'base');
    const tunedBytes = (await tinyCheckpoint(shipped, 9, 'tuned')).slice().buffer;
    let loaded = { model: loadCheckpoint(baseBytes).model, tokenizer: shipped, info: info('h') };
    const host = new SessionHost({
      loaded: () => loaded,
      exclusive: (work) => work(),
      step: () => undefined,
      modelChanged: () => Promise.resolve('h'),
    });
    const signal = new AbortController().signal;
    const run = (r: SessionRequest): Promise<RequestResult> => host.execute(r, signal);
    const evaluate: Extract<Request, { type: 'evaluate' }> = {
      id: 9,
      type: 'evaluate',
      base: { kind: 'base' },
      tuned: { kind: 'current' },
      options: {
        prompts: ['the dog', 'a bird'],
        samplesPerPrompt: 2,
        maxNewTokens: 6,
        temperature: 1,
        seed: 5,
        yardstick: null,
      },
    };
    const kl = async (): Promise<number> => {
      const result = await run(evaluate);
      if (result.kind !== 'comparison') throw new Error(`expected a comparison, got ${result.kind}`);
      return result.comparison.evaluation.kl;
    };
    await run({ id: 1, type: 'startSession', seed: 1 });
    await run({ id: 2, type: 'setLabeler', labeler: { kind: 'builtin', id: 'happy-endings' } });
    expect(await kl()).toBeCloseTo(0, 6);
    await run({ id: 3, type: 'loadPolicy', bytes: tunedBytes });
    const klTuned = await kl();
    expect(klTuned).toBeGreaterThan(1e-3);
    // The GPU is lost: the host drops the session and the model, rebuilds the model from the base's
    // kept bytes on the next backend, and revives the session with the last policy checkpoint.
    host.dispose();
    loaded.model.dispose();
    loaded = { ...loaded, model: loadCheckpoint(baseBytes).model };
    host.revive(tunedBytes);
    expect(await kl()).toBeCloseTo(klTuned, 5);
    host.dispose();
    loaded.model.dispose();
  });
});
