// The schema: the upgrade of a release-2 database keeps every record; votes are stored at once;
// the migration from v1 keeps settings, every store round-trips its records, label
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
import { DEFAULT_SETTINGS } from '../../src/contract/generation-settings';
import { currentCheckpoint } from '../../src/storage/checkpoints';
import type { PlaygroundDB } from '../../src/storage/db';
import { addVote, listVotes } from '../../src/storage/votes';
import { fnv1a64 } from '../../src/engine/tokenizer/fingerprint';
import { comparison, failWritesWithQuota, scratchDB, seedReleaseTwo, vote } from './storage-fixtures';

describe('schema v2 and the migration from v1', () => {
  it('upgrades a version 1 database, keeping its settings and prompt', async () => {
    const name = 'storage-migration';
    const v1 = await scratchDB(MIGRATIONS.slice(0, 1), name);
    const saved = { settings: { ...DEFAULT_SETTINGS, temperature: 1.25, seed: 77 }, prompt: 'kept across the upgrade' };
    await new SettingsStore(v1).save(saved);
    v1.close();
    const v2 = await scratchDB(MIGRATIONS, name);
    expect(v2.version).toBe(DB_VERSION);
    expect(await new SettingsStore(v2).load()).toEqual(saved);
    expect([...v2.objectStoreNames].sort()).toEqual([...DATA_STORES, 'leases'].sort());
    const tx = v2.transaction(['comparisons', 'prompts', 'checkpoints'], 'readonly');
    expect([...tx.objectStore('comparisons').indexNames].sort()).toEqual(['byLabeler', 'byPrompt', 'byTime']);
    expect(tx.objectStore('prompts').index('byText').unique).toBe(true);
    expect([...tx.objectStore('checkpoints').indexNames]).toEqual(['byKind']);
  });
});

/** The version 2 stores' records, keys included, with each ArrayBuffer as its length and hash. */
async function releaseTwoContents(db: PlaygroundDB): Promise<Record<string, unknown>> {
  const contents: Record<string, unknown> = {};
  for (const name of RELEASE_TWO_STORES) {
    const [keys, values] = await Promise.all([db.getAllKeys(name), db.getAll(name)]);
    contents[name] = keys.map((key, i) => [key, hashed(values[i])]);
  }
  return contents;
}

const RELEASE_TWO_STORES = [
  'settings',
  'prompts',
  'generations',
  'comparisons',
  'ratings',
  'demonstrations',
  'checkpoints',
  'checkpointPointers',
  'runs',
] as const;

function hashed(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { bytes: value.byteLength, fnv1a64: fnv1a64(new Uint8Array(value)) };
  if (Array.isArray(value)) return value.map(hashed);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hashed(v)]));
  return value;
}

describe('the upgrade of a database made by the release (schema version 2)', () => {
  it('keeps every setting, label, checkpoint and run, and adds an empty votes store that works', async () => {
    const name = 'storage-release-two';
    const v2 = await scratchDB(MIGRATIONS.slice(0, 2), name);
    await seedReleaseTwo(v2, 3);
    await new SettingsStore(v2).save({ settings: { ...DEFAULT_SETTINGS, seed: 5 }, prompt: 'my prompt' });
    const before = await releaseTwoContents(v2);
    expect(Object.values(before).every((records) => Array.isArray(records) && records.length > 0)).toBe(true);
    expect(v2.objectStoreNames.contains('votes')).toBe(false);
    v2.close();

    const upgraded = await scratchDB(MIGRATIONS, name);
    expect(upgraded.version).toBe(DB_VERSION);
    expect(await releaseTwoContents(upgraded)).toEqual(before);
    expect(await listVotes(upgraded)).toEqual([]);
    expect([...upgraded.transaction('votes').objectStore('votes').indexNames].sort()).toEqual(['byRound', 'byTime']);
    // What the page reads after the upgrade: labels, the current checkpoints, runs, settings.
    expect(await listComparisons(upgraded)).toHaveLength(2);
    expect((await currentCheckpoint(upgraded, 'policy'))?.name).toBe('latest');
    expect((await listRuns(upgraded))[0].points).toHaveLength(2);
    expect((await new SettingsStore(upgraded).load()).prompt).toBe('my prompt');
    // New records get fresh ids after the old ones.
    expect(await addComparison(upgraded, comparison())).toBe(3);
    expect(await addVote(upgraded, vote())).toBe(1);
  });
});

describe('votes', () => {
  it('each vote is on disk once addVote resolves; listed by round in the order given', async () => {
    const db = await scratchDB();
    const first = await addVote(db, vote({ round: 1, choice: 'first' }));
    await addVote(db, vote({ round: 2 }));
    const third = await addVote(db, vote({ round: 1, choice: 'tie', createdAt: 1001 }));
    expect((await listVotes(db, 1)).map((v) => [v.id, v.choice])).toEqual([
      [first, 'first'],
      [third, 'tie'],
    ]);
    expect(await listVotes(db)).toHaveLength(3);
  });

  it('a vote the disk refuses is a QUOTA error, and nothing is stored', async () => {
    const db = await scratchDB();
    const full = failWritesWithQuota('votes');
    try {
      await expect(addVote(db, vote())).rejects.toMatchObject({ code: 'QUOTA' });
    } finally {
      full.restore();
    }
    expect(await listVotes(db)).toEqual([]);
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
    // The words marked as reasons go with it; a record with none (or an empty list) carries no key.
    const marks = [
      { side: 'b', start: 3, end: 6, polarity: -1 },
      { side: 'a', start: 1, end: 6, polarity: 1 },
    ] as const;
    const marked = { ...c, marks: marks.map((m) => ({ ...m })) };
    const markedId = await addComparison(db, marked);
    const stored = (await listComparisons(db)).find((x) => x.id === markedId)!;
    expect(stored).toEqual({ ...marked, id: markedId });
    expect(toComparison(stored)).toEqual({ ...toComparison({ ...c, id: markedId }), marks });
    expect(toComparison({ ...c, id, marks: [] })).not.toHaveProperty('marks');
    expect(toComparison({ ...c, id })).not.toHaveProperty('marks');
    await deleteLabel(db, 'comparisons', markedId);
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
