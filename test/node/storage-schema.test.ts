// Schema v2: the migration from v1 keeps settings, every store round-trips its records, label
// searches use their indexes, and two connections (two tabs) labelling at once lose nothing.
import { describe, expect, it } from 'vitest';
import { DATA_STORES, DB_VERSION, MIGRATIONS } from '../../src/storage/db';
import {
  addGeneration,
  deleteGenerationsBefore,
  generationsByModel,
  listGenerations,
} from '../../src/storage/generations';
import {
  addComparison,
  addDemonstration,
  addRating,
  countLabels,
  deleteLabel,
  listComparisons,
  listDemonstrations,
  listRatings,
  toComparison,
} from '../../src/storage/labels';
import { addPrompts, deletePrompt, listPrompts, seedShippedPrompts } from '../../src/storage/prompts';
import { appendRunPoints, createRun, deleteRun, getRun, listRuns } from '../../src/storage/runs';
import { SettingsStore } from '../../src/storage/settings';
import { StorageError } from '../../src/storage/errors';
import { DEFAULT_SETTINGS } from '../../src/workers/settings';
import { comparison, scratchDB } from './storage-fixtures';

describe('schema v2 and the migration from v1', () => {
  it('upgrades a version 1 database, keeping its settings and prompt', async () => {
    const name = 'storage-migration';
    const v1 = await scratchDB(MIGRATIONS.slice(0, 1), name);
    const saved = { settings: { ...DEFAULT_SETTINGS, temperature: 1.25, seed: 77 }, prompt: 'kept across the upgrade' };
    await new SettingsStore(v1).save(saved);
    v1.close();
    const v2 = await scratchDB(MIGRATIONS, name);
    expect(v2.version).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(2);
    expect(await new SettingsStore(v2).load()).toEqual(saved);
    expect([...v2.objectStoreNames].sort()).toEqual([...DATA_STORES, 'leases'].sort());
    const tx = v2.transaction(['comparisons', 'prompts', 'checkpoints'], 'readonly');
    expect([...tx.objectStore('comparisons').indexNames].sort()).toEqual(['byLabeler', 'byPrompt', 'byTime']);
    expect(tx.objectStore('prompts').index('byText').unique).toBe(true);
    expect([...tx.objectStore('checkpoints').indexNames]).toEqual(['byKind']);
  });
});

describe('round trips', () => {
  it('comparisons, ratings and demonstrations come back as written, with ids', async () => {
    const db = await scratchDB();
    const c = comparison({ choice: 'tie', modelA: null, decisionMs: null });
    const id = await addComparison(db, c);
    expect(await listComparisons(db)).toEqual([{ ...c, id }]);
    // As the reward model trains on it: with its id (the key of its held-out split); a record
    // without end-of-text flags (stored before they were recorded) carries none.
    expect(toComparison({ ...c, id })).toEqual({
      id,
      prompt: c.prompt,
      a: c.a,
      b: c.b,
      choice: 'tie',
      labeler: 'human',
    });
    expect(toComparison({ ...c, id, aEnded: true, bEnded: false })).toMatchObject({ aEnded: true, bEnded: false });
    expect(toComparison({ ...c, id, choice: 'skip' })).toBeNull();
    const rating = { prompt: 'p', response: 'r', stars: 4 as const, labeler: 'human', createdAt: 5, model: null };
    const demo = { prompt: 'p', response: 'written by hand', labeler: 'human', createdAt: 6 };
    expect(await listRatings(db)).toEqual([]);
    const ratingId = await addRating(db, rating);
    const demoId = await addDemonstration(db, demo);
    expect(await listRatings(db)).toEqual([{ ...rating, id: ratingId }]);
    expect(await listDemonstrations(db)).toEqual([{ ...demo, id: demoId }]);
    await deleteLabel(db, 'comparisons', id);
    expect(await countLabels(db, 'comparisons')).toBe(0);
    await expect(deleteLabel(db, 'comparisons', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('prompts: seeding twice adds nothing twice; split and source filters', async () => {
    const db = await scratchDB();
    const openings = { train: ['Once upon a time', 'The dog'], evaluation: ['A girl'] };
    expect(await seedShippedPrompts(db, openings)).toBe(3);
    expect(await seedShippedPrompts(db, openings)).toBe(0);
    expect(
      await addPrompts(db, [
        { text: 'Mine', source: 'user', split: 'train' },
        { text: 'Mine', source: 'user', split: 'train' },
      ]),
    ).toBe(1);
    expect((await listPrompts(db, { split: 'train' })).map((p) => p.text)).toEqual([
      'Once upon a time',
      'The dog',
      'Mine',
    ]);
    expect((await listPrompts(db, { source: 'user' })).map((p) => p.text)).toEqual(['Mine']);
    const [evaluation] = await listPrompts(db, { split: 'evaluation' });
    expect(evaluation).toMatchObject({ text: 'A girl', source: 'shipped', split: 'evaluation' });
    await deletePrompt(db, evaluation.id);
    expect(await listPrompts(db, { split: 'evaluation' })).toEqual([]);
  });

  it('generations: by model, search, delete before a time', async () => {
    const db = await scratchDB();
    const g = (createdAt: number, model: string) => ({
      prompt: 'p',
      response: `r${createdAt}`,
      model,
      createdAt,
      settings: { temperature: 0.8 },
    });
    for (const [t, m] of [
      [1, 'm1'],
      [2, 'm2'],
      [3, 'm1'],
    ] as const)
      await addGeneration(db, g(t, m));
    expect((await generationsByModel(db, 'm1')).map((x) => x.createdAt)).toEqual([1, 3]);
    expect((await listGenerations(db)).map((x) => x.createdAt)).toEqual([3, 2, 1]);
    expect(await listGenerations(db, { labeler: 'human' })).toEqual([]);
    expect(await deleteGenerationsBefore(db, 3)).toBe(2);
    expect((await listGenerations(db)).map((x) => x.response)).toEqual(['r3']);
  });

  it('runs: config and metric points, non-finite metrics kept as null', async () => {
    const db = await scratchDB();
    const id = await createRun(db, { kind: 'ppo', name: 'first', config: { lr: 1e-4, nested: { kl: 0.1 } } }, 10);
    await appendRunPoints(db, id, [{ step: 0, values: { reward: 0.5, kl: 0 } }], 11);
    await appendRunPoints(db, id, [{ step: 1, values: { reward: NaN, kl: Infinity } }], 12);
    const run = await getRun(db, id);
    expect(run).toEqual({
      id,
      kind: 'ppo',
      name: 'first',
      config: { lr: 1e-4, nested: { kl: 0.1 } },
      createdAt: 10,
      updatedAt: 12,
      points: [
        { step: 0, values: { reward: 0.5, kl: 0 } },
        { step: 1, values: { reward: null, kl: null } },
      ],
    });
    const later = await createRun(db, { kind: 'reward', name: 'second', config: {} }, 20);
    expect((await listRuns(db)).map((r) => r.id)).toEqual([later, id]);
    await deleteRun(db, id);
    expect(await getRun(db, id)).toBeNull();
    await expect(appendRunPoints(db, id, [])).rejects.toBeInstanceOf(StorageError);
  });
});

describe('label search', () => {
  it('filters by labeler, prompt, time range and text, newest first, up to a limit', async () => {
    const db = await scratchDB();
    const rows = [
      comparison({ labeler: 'human', prompt: 'P1', createdAt: 100, a: 'The Cat sat' }),
      comparison({ labeler: 'sim:animals', prompt: 'P1', createdAt: 200 }),
      comparison({ labeler: 'human', prompt: 'P2', createdAt: 300 }),
      comparison({ labeler: 'human', prompt: 'P1', createdAt: 400 }),
    ];
    for (const r of rows) await addComparison(db, r);
    const times = async (q: Parameters<typeof listComparisons>[1]) =>
      (await listComparisons(db, q)).map((c) => c.createdAt);
    expect(await times({})).toEqual([400, 300, 200, 100]);
    expect(await times({ order: 'oldest', limit: 2 })).toEqual([100, 200]);
    expect(await times({ labeler: 'human' })).toEqual([400, 300, 100]);
    expect(await times({ prompt: 'P1', labeler: 'human' })).toEqual([400, 100]);
    expect(await times({ since: 200, until: 400 })).toEqual([300, 200]);
    expect(await times({ contains: 'cat SAT' })).toEqual([100]);
    expect(await times({ since: 500, until: 100 })).toEqual([]);
  });
});

describe('several tabs', () => {
  it('two connections labelling at the same time keep every label', async () => {
    const name = 'storage-two-tabs';
    const [tab1, tab2] = [await scratchDB(undefined, name), await scratchDB(undefined, name)];
    const writes = Array.from({ length: 40 }, (_, i) =>
      addComparison(i % 2 === 0 ? tab1 : tab2, comparison({ createdAt: i, labeler: `tab${i % 2}` })),
    );
    const ids = await Promise.all(writes);
    expect(new Set(ids).size).toBe(40);
    expect((await listComparisons(tab1, { order: 'oldest' })).map((c) => c.createdAt)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });
});
