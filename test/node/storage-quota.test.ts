// A full disk: every write that fails with QuotaExceededError becomes StorageError('QUOTA') with
// a plain message, and whatever was stored before is still there, byte for byte. Also the
// optional browser APIs for usage and persistence, present or missing.
import { describe, expect, it } from 'vitest';
import { exportWorkspace, restoreWorkspace } from '../../src/storage/backup';
import { saveCheckpoint } from '../../src/storage/checkpoints';
import { messageText } from '../../src/ui/strings/messages';
import { StorageError } from '../../src/storage/errors';
import { addComparison, addRating, listComparisons } from '../../src/storage/labels';
import { importLabelFiles } from '../../src/storage/preference-log';
import { requestPersistence, usage } from '../../src/storage/quota';
import { comparison, failWritesWithQuota, scratchDB, snapshot, tinyCheckpoint, tinyConfig } from './storage-fixtures';
import type { PlaygroundDB } from '../../src/storage/db';

async function seeded(): Promise<PlaygroundDB> {
  const db = await scratchDB();
  await addComparison(db, comparison());
  await addComparison(db, comparison({ choice: 'b', labeler: 'sim:animals' }));
  await addRating(db, { prompt: 'p', response: 'r', stars: 2, labeler: 'human', createdAt: 1, model: null });
  await saveCheckpoint(db, 'policy', { name: 'p1', bytes: tinyCheckpoint(1), config: tinyConfig() });
  await db.put('settings', 'a prompt', 'prompt');
  return db;
}

/** Runs `write` with `store` full; expects a QUOTA error and an unchanged database. */
async function expectQuotaAndNoLoss(
  db: PlaygroundDB,
  store: string,
  write: () => Promise<unknown>,
  after = 0,
): Promise<StorageError> {
  const before = await snapshot(db);
  const { restore } = failWritesWithQuota(store, { after });
  const error = await write().then(
    () => null,
    (e: unknown) => e,
  );
  restore();
  expect(error).toBeInstanceOf(StorageError);
  expect((error as StorageError).code).toBe('QUOTA');
  expect(await snapshot(db)).toEqual(before);
  return error as StorageError;
}

describe('QuotaExceededError', () => {
  it('a label that does not fit is a plain QUOTA error, and earlier labels are intact', async () => {
    const db = await seeded();
    const error = await expectQuotaAndNoLoss(db, 'comparisons', () => addComparison(db, comparison({ a: 'new' })));
    expect(messageText(error.detail)).toMatch(/no room left to save this comparison/);
    expect(messageText(error.detail)).toMatch(/Nothing saved before was lost/);
    expect(messageText(error.detail)).not.toMatch(/DOMException|QuotaExceededError/);
    // Space freed: the same write now succeeds.
    await addComparison(db, comparison({ a: 'new' }));
    expect(await listComparisons(db)).toHaveLength(3);
  });

  it('an import that runs out of room half-way imports nothing', async () => {
    const db = await seeded();
    const lines = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ prompt: `p${i}`, chosen: 'x', rejected: 'y' }),
    ).join('\n');
    // The first four adds succeed inside the transaction; the fifth fails and rolls them back.
    const full = failWritesWithQuota('comparisons', { after: 4 });
    const before = await snapshot(db);
    await expect(importLabelFiles(db, [{ name: 'prefs.jsonl', text: lines }])).rejects.toMatchObject({ code: 'QUOTA' });
    full.restore();
    expect(full.calls()).toBe(5);
    expect(await snapshot(db)).toEqual(before);
  });

  it('a restore that runs out of room after clearing the stores leaves the old workspace', async () => {
    const db = await seeded();
    const backup = await exportWorkspace(db);
    await addComparison(db, comparison({ a: 'only in the live database' }));
    // The comparisons are cleared and rewritten before the checkpoint write fails.
    await expectQuotaAndNoLoss(db, 'checkpoints', () => restoreWorkspace(db, backup));
  });
});

describe('usage and persistence', () => {
  const manager = (over: Partial<StorageManager>): StorageManager => over as StorageManager;

  it('reports usage and quota where navigator.storage.estimate exists, null where not', async () => {
    const m = manager({ estimate: async () => ({ usage: 1234, quota: 10_000 }), persisted: async () => true });
    expect(await usage(m)).toEqual({ usage: 1234, quota: 10_000, persisted: true });
    expect(await usage(manager({ estimate: async () => ({}) }))).toEqual({ usage: 0, quota: 0, persisted: null });
    expect(await usage(undefined)).toBeNull();
    expect(await usage()).toBeNull(); // Node has no navigator.storage
    expect(await usage(manager({ estimate: () => Promise.reject(new Error('denied')) }))).toBeNull();
  });

  it('requestPersistence returns what the browser says, and false gracefully', async () => {
    let asked = 0;
    const grant = manager({ persisted: async () => false, persist: async () => ++asked > 0 });
    expect(await requestPersistence(grant)).toBe(true);
    expect(asked).toBe(1);
    expect(await requestPersistence(manager({ persisted: async () => true, persist: async () => false }))).toBe(true);
    expect(await requestPersistence(manager({ persist: async () => false }))).toBe(false);
    expect(await requestPersistence(manager({ persist: () => Promise.reject(new Error('no')) }))).toBe(false);
    expect(await requestPersistence(undefined)).toBe(false);
    expect(await requestPersistence()).toBe(false);
  });
});
