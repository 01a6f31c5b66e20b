// Real IndexedDB in Chromium: what is written survives closing the database and opening it again
// (a page reload cannot happen inside a vitest browser test, so the connection is reopened, and
// the data is also read through a fresh, plain indexedDB.open). Also the real Web Locks, storage
// estimate and persistence request.
import { deleteDB } from 'idb';
import { afterAll, describe, expect, it } from 'vitest';
import { currentCheckpoint, saveCheckpoint } from '../../src/storage/checkpoints';
import { DB_VERSION, openPlaygroundDB } from '../../src/storage/db';
import { addComparison, listComparisons } from '../../src/storage/labels';
import { requestPersistence, usage } from '../../src/storage/quota';
import { appendRunPoints, createRun, getRun } from '../../src/storage/runs';
import { SettingsStore } from '../../src/storage/settings';
import { withTrainingLock } from '../../src/storage/lock';
import { DEFAULT_SETTINGS } from '../../src/contract/generation-settings';

const NAME = `rlhf-playground-persist-${Date.now()}`;
afterAll(() => deleteDB(NAME));

const label = {
  prompt: 'Once upon a time',
  a: ' there was a cat.',
  b: ' a dog ran away. ✓',
  choice: 'b' as const,
  labeler: 'human',
  createdAt: 1_700_000_000_000,
  modelA: 'policy-1',
  modelB: null,
  decisionMs: 987,
};
const weights = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff);

/** Every value of a store through the plain IndexedDB API, on a new connection. */
function readRaw(storeName: string): Promise<{ version: number; stores: string[]; values: unknown[] }> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const get = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
      get.onerror = () => reject(get.error);
      get.onsuccess = () => {
        resolve({ version: db.version, stores: [...db.objectStoreNames], values: get.result });
        db.close();
      };
    };
  });
}

describe('IndexedDB persistence in Chromium', () => {
  it('labels, settings, checkpoints and runs survive closing and reopening the database', async () => {
    const first = await openPlaygroundDB(NAME);
    const saved = { settings: { ...DEFAULT_SETTINGS, temperature: 0.55 }, prompt: 'kept' };
    await new SettingsStore(first).save(saved);
    const labelId = await addComparison(first, label);
    const checkpointId = await saveCheckpoint(first, 'policy', {
      name: 'ppo-1',
      bytes: weights,
      config: { nLayer: 2 },
      metrics: { reward: 0.25 },
    });
    const runId = await createRun(first, { kind: 'ppo', name: 'run', config: { lr: 1e-4 } });
    await appendRunPoints(first, runId, [{ step: 0, values: { reward: 0.25 } }]);
    first.close();

    const second = await openPlaygroundDB(NAME);
    expect(await new SettingsStore(second).load()).toEqual(saved);
    expect(await listComparisons(second)).toEqual([{ ...label, id: labelId }]);
    const checkpoint = await currentCheckpoint(second, 'policy');
    expect(checkpoint?.id).toBe(checkpointId);
    expect(checkpoint?.bytes).toBeInstanceOf(ArrayBuffer);
    expect(new Uint8Array(checkpoint!.bytes)).toEqual(weights);
    expect((await getRun(second, runId))?.points).toEqual([{ step: 0, values: { reward: 0.25 } }]);
    second.close();

    const raw = await readRaw('comparisons');
    expect(raw.version).toBe(DB_VERSION);
    expect(raw.stores).toContain('checkpointPointers');
    expect(raw.values).toEqual([{ ...label, id: labelId }]);
    const pointers = await readRaw('checkpointPointers');
    expect(pointers.values).toMatchObject([{ kind: 'policy', checkpointId }]);
  });
});

describe('browser storage APIs', () => {
  it('Web Locks let only one caller train at a time', async () => {
    const db = await openPlaygroundDB(NAME);
    expect(navigator.locks).toBeDefined();
    let release!: () => void;
    const training = new Promise<void>((resolve) => (release = resolve));
    const first = withTrainingLock(db, () => training.then(() => 'first'));
    await new Promise((r) => setTimeout(r, 20));
    expect(await withTrainingLock(db, async () => 'second')).toEqual({ acquired: false });
    release();
    expect(await first).toEqual({ acquired: true, value: 'first' });
    expect(await withTrainingLock(db, async () => 'third')).toEqual({ acquired: true, value: 'third' });
    expect(await db.count('leases')).toBe(0);
    db.close();
  });

  it('reports usage and quota, and asks for persistence without failing', async () => {
    const estimate = await usage();
    expect(estimate).not.toBeNull();
    expect(estimate!.quota).toBeGreaterThan(0);
    expect(estimate!.usage).toBeGreaterThanOrEqual(0);
    expect(typeof (await requestPersistence())).toBe('boolean');
  });
});
