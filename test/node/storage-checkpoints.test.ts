// Checkpoints: written first, pointer moved second, so a failure at either step leaves the old
// checkpoint current; keep-last-N prunes only unnamed ones and never the current one.
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import {
  currentCheckpoint,
  deleteCheckpoint,
  getCheckpoint,
  listCheckpoints,
  saveCheckpoint,
  setCheckpointName,
  setCurrentCheckpoint,
  type CheckpointInput,
} from '../../src/storage/checkpoints';
import { StorageError } from '../../src/storage/errors';
import {
  failWritesWithQuota,
  scratchDB,
  snapshot,
  tinyCheckpoint,
  tinyConfig,
  tinyTokenizer,
} from './storage-fixtures';

function input(seed: number, extra: Partial<CheckpointInput> = {}): CheckpointInput {
  return {
    name: `ppo-${seed}`,
    bytes: tinyCheckpoint(seed),
    config: tinyConfig(),
    metrics: { reward: seed / 10 },
    createdAt: seed,
    ...extra,
  };
}

describe('checkpoints', () => {
  it('stores the bytes exactly and makes the new one current; the engine loads it back', async () => {
    const db = await scratchDB();
    const bytes = tinyCheckpoint(3);
    const id = await saveCheckpoint(db, 'policy', { ...input(3), bytes, metrics: { reward: 0.3, kl: NaN } });
    const current = await currentCheckpoint(db, 'policy');
    expect(current?.id).toBe(id);
    expect(new Uint8Array(current!.bytes)).toEqual(bytes);
    expect(current).toMatchObject({
      kind: 'policy',
      name: 'ppo-3',
      named: false,
      parentId: null,
      metrics: { reward: 0.3, kl: null },
      tokenizer: null,
      config: tinyConfig(),
    });
    const { model } = loadCheckpoint(new Uint8Array(current!.bytes), { tokenizer: tinyTokenizer() });
    expect(model.config).toEqual(tinyConfig());
    model.dispose();
    expect(await currentCheckpoint(db, 'reward')).toBeNull();
  });

  it('keeps the last N unnamed checkpoints per kind and every named one', async () => {
    const db = await scratchDB();
    const named = await saveCheckpoint(db, 'policy', input(1, { named: true, name: 'my favourite' }), { keepLast: 2 });
    const reward = await saveCheckpoint(db, 'reward', input(2), { keepLast: 2 });
    const ids: number[] = [];
    for (let seed = 10; seed < 15; seed++) ids.push(await saveCheckpoint(db, 'policy', input(seed), { keepLast: 2 }));
    const policies = (await listCheckpoints(db, 'policy')).map((c) => c.id);
    expect(policies).toEqual([named, ids[3], ids[4]]);
    expect((await listCheckpoints(db, 'reward')).map((c) => c.id)).toEqual([reward]);
    expect((await currentCheckpoint(db, 'policy'))?.id).toBe(ids[4]);
  });

  it('never prunes the current checkpoint, even when it is old', async () => {
    const db = await scratchDB();
    const first = await saveCheckpoint(db, 'value', input(1), { keepLast: 1 });
    const second = await saveCheckpoint(db, 'value', input(2), { keepLast: 1, makeCurrent: false });
    const third = await saveCheckpoint(db, 'value', input(3), { keepLast: 1, makeCurrent: false });
    expect((await listCheckpoints(db, 'value')).map((c) => [c.id, c.current])).toEqual([
      [first, true],
      [third, false],
    ]);
    expect(await getCheckpoint(db, second)).toBeNull();
  });

  it('a failed checkpoint write leaves the old pointer and the old checkpoint', async () => {
    const db = await scratchDB();
    const old = await saveCheckpoint(db, 'policy', input(1));
    const before = await snapshot(db);
    const full = failWritesWithQuota('checkpoints');
    const error = await saveCheckpoint(db, 'policy', input(2)).catch((e: unknown) => e);
    full.restore();
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('QUOTA');
    expect((await currentCheckpoint(db, 'policy'))?.id).toBe(old);
    expect(await snapshot(db)).toEqual(before);
  });

  it('a failed pointer move leaves the old pointer, and the orphan is cleaned up', async () => {
    const db = await scratchDB();
    const old = await saveCheckpoint(db, 'policy', input(1));
    const before = await snapshot(db);
    const full = failWritesWithQuota('checkpointPointers');
    await expect(saveCheckpoint(db, 'policy', input(2))).rejects.toMatchObject({ code: 'QUOTA' });
    full.restore();
    expect((await currentCheckpoint(db, 'policy'))?.id).toBe(old);
    expect(await snapshot(db)).toEqual(before);
  });

  it('naming, switching back, and deleting (not the current one)', async () => {
    const db = await scratchDB();
    const a = await saveCheckpoint(db, 'policy', input(1), { keepLast: 1 });
    await setCheckpointName(db, a, 'before PPO');
    const b = await saveCheckpoint(db, 'policy', input(2), { keepLast: 1 });
    expect((await getCheckpoint(db, a))?.named).toBe(true);
    await setCurrentCheckpoint(db, a);
    expect((await currentCheckpoint(db, 'policy'))?.name).toBe('before PPO');
    await expect(deleteCheckpoint(db, a)).rejects.toMatchObject({ code: 'IN_USE' });
    await deleteCheckpoint(db, b);
    await expect(setCurrentCheckpoint(db, b)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await setCheckpointName(db, a, null);
    expect(await getCheckpoint(db, a)).toMatchObject({ named: false, name: 'before PPO' });
    await expect(saveCheckpoint(db, 'policy', input(3), { keepLast: 0 })).rejects.toThrow(/keepLast/);
  });
});
