// The whole-workspace backup: export then restore gives back every store exactly (checkpoint bytes
// bit for bit), restore replaces what was there, and the file is a safetensors container.
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/engine/checkpoint/safetensors';
import { decodeWorkspace, WORKSPACE_FORMAT } from '../../src/engine/interchange/workspace';
import { exportWorkspace, restoreWorkspace } from '../../src/storage/backup';
import { currentCheckpoint } from '../../src/storage/checkpoints';
import { addComparison } from '../../src/storage/labels';
import { comparison, scratchDB, seedWorkspace, snapshot } from './storage-fixtures';

describe('workspace backup', () => {
  it('export then restore into an empty database gives identical stores', async () => {
    const source = await scratchDB();
    await seedWorkspace(source);
    const backup = await exportWorkspace(source, Date.parse('2025-05-05T00:00:00Z'));
    const target = await scratchDB();
    const summary = await restoreWorkspace(target, backup);
    expect(summary).toEqual({
      settings: 2,
      prompts: 2,
      generations: 1,
      comparisons: 2,
      ratings: 1,
      demonstrations: 1,
      checkpoints: 3,
      checkpointPointers: 2,
      runs: 1,
    });
    expect(await snapshot(target)).toEqual(await snapshot(source));
    const [a, b] = await Promise.all([currentCheckpoint(source, 'policy'), currentCheckpoint(target, 'policy')]);
    expect(new Uint8Array(b!.bytes)).toEqual(new Uint8Array(a!.bytes));
  });

  it('restore replaces the workspace, and new labels get fresh ids afterwards', async () => {
    const source = await scratchDB();
    await seedWorkspace(source, 1);
    const target = await scratchDB();
    await seedWorkspace(target, 2);
    for (let i = 0; i < 5; i++) await addComparison(target, comparison({ createdAt: i }));
    await restoreWorkspace(target, await exportWorkspace(source));
    expect(await snapshot(target)).toEqual(await snapshot(source));
    const id = await addComparison(target, comparison());
    expect(id).toBeGreaterThan(2);
  });

  it('is a safetensors file whose manifest lists every store, checkpoints as attachments', async () => {
    const db = await scratchDB();
    await seedWorkspace(db);
    const backup = await exportWorkspace(db, Date.parse('2025-05-05T00:00:00Z'));
    expect(decodeSafetensors(backup).metadata.format).toBe(WORKSPACE_FORMAT);
    const { manifest, blobs } = decodeWorkspace(backup);
    expect(manifest).toMatchObject({ app: 'rlhf-playground', schemaVersion: 2, createdAt: '2025-05-05T00:00:00.000Z' });
    const stores = manifest.stores as Record<string, { blob?: string }[]>;
    expect(Object.keys(stores).sort()).toEqual([
      'checkpointPointers',
      'checkpoints',
      'comparisons',
      'demonstrations',
      'generations',
      'prompts',
      'ratings',
      'runs',
      'settings',
    ]);
    expect(stores.checkpoints.map((c) => c.blob)).toEqual(['checkpoint-1', 'checkpoint-2', 'checkpoint-3']);
    expect([...blobs.keys()].sort()).toEqual(['checkpoint-1', 'checkpoint-2', 'checkpoint-3']);
  });

  it('an empty workspace backs up and restores', async () => {
    const empty = await scratchDB();
    const target = await scratchDB();
    await seedWorkspace(target);
    await restoreWorkspace(target, await exportWorkspace(empty));
    expect(await snapshot(target)).toEqual(await snapshot(empty));
  });
});
