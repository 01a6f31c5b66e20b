// The run's base model, kept across a reload by the page and the worker together: a non-default
// shipped base comes back with its tuned policy, and the KL of that policy is measured against the
// same base before and after; a base that is gone is said so and nothing re-anchors; the new run
// offered then starts from the current policy. The worker's reference stays the base across
// loadPolicy and a device-loss rebuild. Everything runs on the real worker host over a
// MessageChannel with tiny seeded models; storage is fake-indexeddb.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Tokenizer } from '../../src/engine';
import { deleteCheckpoint } from '../../src/storage/checkpoints';
import { openPlaygroundDB } from '../../src/storage/db';
import { idbWorkspace, type Workspace } from '../../src/ui/workspace';
import type { EngineClient } from '../../src/workers/client';
import { closePages, openPage, shippedModels, tinyCheckpoint } from '../helpers/page-host';

afterEach(closePages);

const story = 'the dog ran to the park. the cat was happy. a bird sang a song. the girl saw a big tree. ';
const tokenizer = Tokenizer.train(story.repeat(10), { vocabSize: 300 });
const MODELS = [
  { id: 't', title: 'T', seed: 3 },
  { id: 'u', title: 'U', seed: 4 },
];
let dbCount = 0;

async function freshWorkspace(): Promise<{ ws: Workspace; db: Awaited<ReturnType<typeof openPlaygroundDB>> }> {
  const db = await openPlaygroundDB(`run-base-${++dbCount}`);
  return { ws: idbWorkspace(db), db };
}

/** KL(policy ‖ the session's reference), nats per response, on fixed samples of the policy. */
async function klToReference(client: EngineClient): Promise<number> {
  const options = { prompts: ['the dog', 'a bird'], samplesPerPrompt: 2, maxNewTokens: 6, temperature: 1, seed: 5 };
  return (await client.evaluate({ kind: 'base' }, { kind: 'current' }, options)).evaluation.kl;
}

/** Stores a "tuned" policy (a tiny model of the same shape) and makes it the session's policy. */
async function tunedPolicy(ws: Workspace, open: Awaited<ReturnType<typeof openPage>>, seed: number): Promise<number> {
  const bytes = await tinyCheckpoint(tokenizer, seed, 'tuned');
  const id = await ws.saveCheckpoint('policy', { name: 'tuned', bytes, config: {} }, { makeCurrent: false });
  expect(await open.p.tune.useCheckpoint(id)).toBe(true);
  return id;
}

describe('the run keeps its base model', () => {
  it('a reload with a non-default shipped base loads that base, its tuned policy, and the same KL anchor', async () => {
    const { ws } = await freshWorkspace();
    const files = await shippedModels(tokenizer, MODELS);
    const first = await openPage(ws, files, '?tokens=6', true);
    await first.p.chooseShipped('u');
    expect(first.used).toEqual(['shipped U']);
    expect(first.addresses.at(-1)).toMatch(/base=u/);
    const tuned = await tunedPolicy(ws, first, 9);
    const klBefore = await klToReference(first.client);
    expect(klBefore).toBeGreaterThan(1e-3);
    // A reward model trained in this run, to come back too.
    first.p.reward.autoTrain = false;
    for (const [a, b] of [
      [' ran to the park.', ' was sad.'],
      [' sang a happy song.', ' fell down.'],
      [' saw a big tree.', ' cried.'],
    ])
      await ws.addComparison({
        prompt: 'the dog',
        a,
        b,
        choice: 'a',
        labeler: 'human',
        createdAt: Date.now(),
        modelA: null,
        modelB: null,
        decisionMs: null,
      });
    await first.p.labelsChanged(false);
    expect(await first.p.reward.train()).toBe(true);

    // Reload: the default model loads first, then the run's base replaces it before anything is restored.
    const again = await openPage(ws, files, '?tokens=6', true);
    expect(again.used).toEqual(['shipped U']);
    expect(again.p).toMatchObject({ ready: true, problem: null });
    expect(again.p.base.gone).toBeNull();
    expect(again.p.tune.problem).toBeNull();
    expect(again.p.tune.checkpointId).toBe(tuned);
    expect(again.p.reward).toMatchObject({ restored: true, trainedLabels: 3 });
    // The same weights against the same base: the KL is what it was, not measured against another model.
    expect(await klToReference(again.client)).toBeCloseTo(klBefore, 5);

    // A new seed restarts the session: same run, same anchor.
    await again.p.setSeed(12);
    expect(await klToReference(again.client)).toBeCloseTo(klBefore, 5);
  });

  it('a deleted base is said so, nothing re-anchors, and the offered new run starts from the current policy', async () => {
    const { ws, db } = await freshWorkspace();
    const files = await shippedModels(tokenizer, MODELS);
    const first = await openPage(ws, files, '?tokens=6', true);
    const baseBytes = await tinyCheckpoint(tokenizer, 5, 'mine');
    const baseId = await ws.saveCheckpoint(
      'policy',
      { name: 'mine', bytes: baseBytes, config: {} },
      { makeCurrent: false },
    );
    await first.p.useAsBase(baseId);
    expect(first.used).toEqual(['mine']);
    expect(first.addresses.at(-1)).toMatch(new RegExp(`base=saved%3A${baseId}`));
    const tuned = await tunedPolicy(ws, first, 9);
    await deleteCheckpoint(db, baseId);

    const again = await openPage(ws, files, '?tokens=6', true);
    expect(again.used).toEqual([]);
    expect(again.p.base.gone).toEqual({ reason: 'deleted', source: { kind: 'checkpoint', checkpointId: baseId } });
    // The tuned policy was not put onto the shipped model, and the stored run still names its base.
    expect(again.p.tune.checkpointId).toBeNull();
    expect((await ws.runBase())?.source).toEqual({ kind: 'checkpoint', checkpointId: baseId });
    expect(await again.p.tune.play(1)).toBe(false);
    expect(again.p.tune.problem?.code).toBe('BASE_GONE');
    await again.p.tune.reset();
    expect(again.p.tune.problem?.code).toBe('BASE_GONE');

    // The offer: a new run whose base is the current policy (the tuned checkpoint).
    await again.p.startNewRun();
    expect(again.used).toEqual(['tuned']);
    expect(again.p).toMatchObject({ ready: true, problem: null });
    expect(again.p.base.gone).toBeNull();
    expect((await ws.runBase())?.source).toEqual({ kind: 'checkpoint', checkpointId: tuned });
    expect(await klToReference(again.client)).toBeCloseTo(0, 6);
  });

  it('storage cleared under a link naming a saved base: the base is gone; the new run is the loaded model', async () => {
    const { ws } = await freshWorkspace();
    const files = await shippedModels(tokenizer, MODELS);
    const page = await openPage(ws, files, '?tokens=6&base=saved:4', true);
    expect(page.p.base.gone).toEqual({ reason: 'deleted', source: { kind: 'checkpoint', checkpointId: 4 } });
    expect(await ws.runBase()).toBeNull();
    await page.p.startNewRun();
    expect(page.p.base.gone).toBeNull();
    expect(page.p.ready).toBe(true);
    expect((await ws.runBase())?.source).toEqual({ kind: 'shipped', modelId: 't' });
    expect(page.addresses.at(-1)).toMatch(/base=t/);
  });

  it('a shipped base whose weights changed since the run started is gone, not silently replaced', async () => {
    const { ws } = await freshWorkspace();
    const first = await openPage(ws, await shippedModels(tokenizer, MODELS), '?tokens=6', true);
    expect((await ws.runBase())?.source).toEqual({ kind: 'shipped', modelId: 't' });
    await tunedPolicy(ws, first, 9);
    // A new release ships other weights under the same id.
    const changed = await shippedModels(tokenizer, [{ id: 't', title: 'T', seed: 30 }, MODELS[1]]);
    const again = await openPage(ws, changed, '?tokens=6', true);
    expect(again.p.base.gone).toEqual({ reason: 'changed', source: { kind: 'shipped', modelId: 't' } });
    expect(again.p.tune.checkpointId).toBeNull();
  });
});
