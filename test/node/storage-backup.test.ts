// The whole-workspace backup: export then restore gives back every store exactly (checkpoint bytes
// bit for bit, marked words on labels), restore replaces what was there, and the file is a
// safetensors container; a label whose marks do not fit its texts is refused by field.
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/engine/interchange/import-error';
import { decodeSafetensors } from '../../src/engine/checkpoint/safetensors';
import { decodeWorkspace, encodeWorkspace, WORKSPACE_FORMAT } from '../../src/engine/interchange/workspace';
import { exportWorkspace, restoreWorkspace } from '../../src/storage/backup';
import { currentCheckpoint } from '../../src/storage/checkpoints';
import { DB_VERSION } from '../../src/storage/db';
import { addComparison, listComparisons } from '../../src/storage/labels';
import { addVote, listVotes } from '../../src/storage/votes';
import { comparison, scratchDB, seedWorkspace, snapshot, vote } from './storage-fixtures';

/** A good mark on each side of comparison(): " there" in A (helped), "dog" in B (hurt). */
const MARKS = [
  { side: 'a', start: 0, end: 6, polarity: 1 },
  { side: 'b', start: 3, end: 6, polarity: -1 },
] as const;

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
      votes: 1,
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
    expect(manifest).toMatchObject({
      app: 'rlhf-playground',
      schemaVersion: DB_VERSION,
      createdAt: '2025-05-05T00:00:00.000Z',
    });
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
      'votes',
    ]);
    expect(stores.checkpoints.map((c) => c.blob)).toEqual(['checkpoint-1', 'checkpoint-2', 'checkpoint-3']);
    expect([...blobs.keys()].sort()).toEqual(['checkpoint-1', 'checkpoint-2', 'checkpoint-3']);
  });

  it('keeps blind A/B votes: each comes back as given, and a version 2 backup (no votes) restores', async () => {
    const source = await scratchDB();
    await seedWorkspace(source);
    const given = vote({ round: 5, choice: 'tie', firstFrom: 'left', createdAt: 2000 });
    const id = await addVote(source, given);
    const target = await scratchDB();
    await restoreWorkspace(target, await exportWorkspace(source));
    expect(await listVotes(target, 5)).toEqual([{ ...given, id }]);
    expect(await listVotes(target)).toEqual(await listVotes(source));
    // A backup written by version 2 has no votes store: it restores, with no votes.
    const { manifest, blobs } = decodeWorkspace(await exportWorkspace(source));
    const stores = { ...(manifest.stores as Record<string, unknown>) };
    delete stores.votes;
    const older = encodeWorkspace({ ...manifest, schemaVersion: 2, stores }, blobs);
    expect((await restoreWorkspace(target, older)).votes).toBe(0);
    expect(await listVotes(target)).toEqual([]);
    expect((await listComparisons(target)).length).toBe(2);
  });

  it('an empty workspace backs up and restores', async () => {
    const empty = await scratchDB();
    const target = await scratchDB();
    await seedWorkspace(target);
    await restoreWorkspace(target, await exportWorkspace(empty));
    expect(await snapshot(target)).toEqual(await snapshot(empty));
  });

  it('keeps the words marked on each label, as marked', async () => {
    const source = await scratchDB();
    await seedWorkspace(source);
    const marked = comparison({ createdAt: 1000, choice: 'b', marks: MARKS.map((m) => ({ ...m })) });
    const id = await addComparison(source, marked);
    await addComparison(source, comparison({ createdAt: 1001, marks: [] }));
    const target = await scratchDB();
    expect((await restoreWorkspace(target, await exportWorkspace(source))).comparisons).toBe(4);
    expect(await snapshot(target)).toEqual(await snapshot(source));
    const restored = await listComparisons(target, { order: 'oldest' });
    expect(restored.find((c) => c.id === id)).toEqual({ ...marked, id });
    expect(restored.map((c) => c.marks)).toEqual([undefined, undefined, MARKS, []]);
  });

  it('refuses marks outside their text, overlapping, or with a bad side or polarity, naming each field; nothing is written', async () => {
    const source = await scratchDB();
    const c = comparison();
    await addComparison(source, c);
    const { manifest, blobs } = decodeWorkspace(await exportWorkspace(source));
    const stores = manifest.stores as { comparisons: Record<string, unknown>[] };
    stores.comparisons[0].marks = [
      { side: 'a', start: 10, end: c.a.length + 1, polarity: 1 },
      { side: 'b', start: 1, end: 6, polarity: -1 },
      { side: 'b', start: 3, end: 4, polarity: 1 },
      { side: 'a', start: 0, end: 2, polarity: 0 },
      { side: 'c', start: 0, end: 2, polarity: 1 },
      { side: 'b', start: 5, end: 5, polarity: -1 },
      'dog',
    ];
    const target = await scratchDB();
    await seedWorkspace(target);
    const before = await snapshot(target);
    const error = await restoreWorkspace(target, encodeWorkspace(manifest, blobs)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    const record = 'stores.comparisons[0]';
    expect((error as ImportError).problems).toEqual(
      [
        { code: 'FIELD_INTEGER', params: { field: 'marks[0].end', min: 11, max: c.a.length, got: '18' } },
        { code: 'FIELD_VALUE', params: { field: 'marks[3].polarity', got: '0', expected: '1 or -1' } },
        {
          code: 'FIELD_TYPE',
          params: { field: 'marks[4].side', expected: 'choice', choices: ['a', 'b'], got: '"c"' },
        },
        { code: 'FIELD_INTEGER', params: { field: 'marks[5].end', min: 6, max: c.b.length, got: '5' } },
        { code: 'FIELD_TYPE', params: { field: 'marks[6]', expected: 'object', choices: [], got: '"dog"' } },
        {
          code: 'FIELDS_DISAGREE',
          params: {
            first: 'marks[1]',
            firstValue: '{"start":1,"end":6}',
            second: 'marks[2]',
            secondValue: '{"start":3,"end":4}',
          },
        },
      ].map((message) => ({ message, record })),
    );
    expect(await snapshot(target)).toEqual(before);
  });
});
