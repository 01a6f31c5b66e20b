import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DB_NAME,
  DB_VERSION,
  MIGRATIONS,
  openPlaygroundDB,
  type Migration,
  type PlaygroundDB,
} from '../../src/storage/db';
import { SettingsStore, loadRunBase, saveRunBase } from '../../src/storage/settings';
import { DEFAULT_SETTINGS, SETTING_RANGES, type GenerationSettings } from '../../src/contract/generation-settings';

const TEST_DB = `${DB_NAME}-test`;
const opened: PlaygroundDB[] = [];

async function open(): Promise<PlaygroundDB> {
  const db = await openPlaygroundDB(TEST_DB);
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  await deleteDB(TEST_DB);
});

const custom: GenerationSettings = { temperature: 1.3, topK: 7, topP: 0.5, maxNewTokens: 33, seed: 4242, greedy: true };

describe('rlhf-playground database', () => {
  it('creates the newest version, settings store included', async () => {
    const db = await open();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).toContain('settings');
  });

  it('runs only the new migration steps when a later version opens an existing database', async () => {
    const v1 = await open();
    await new SettingsStore(v1).save({ settings: custom, prompt: 'written by the current version' });
    v1.close();
    const ran: number[] = [];
    const laterVersion: Migration[] = [
      // Re-running an earlier step would throw: its stores already exist.
      ...MIGRATIONS,
      (_db, tx) => {
        ran.push(2);
        void tx.objectStore('settings').put('written by the version 2 step', 'prompt');
      },
    ];
    const v2 = await openPlaygroundDB(TEST_DB, laterVersion);
    opened.push(v2);
    expect(v2.version).toBe(MIGRATIONS.length + 1);
    expect(ran).toEqual([2]);
    const saved = await new SettingsStore(v2).load();
    expect(saved).toEqual({ settings: custom, prompt: 'written by the version 2 step' });
  });

  it('gives defaults on a first visit', async () => {
    const saved = await new SettingsStore(await open()).load();
    expect(saved).toEqual({ settings: DEFAULT_SETTINGS, prompt: null });
  });

  it('keeps settings and prompt across a close and reopen (a page reload)', async () => {
    const first = await open();
    await new SettingsStore(first).save({ settings: custom, prompt: 'Once upon a time' });
    first.close();
    const saved = await new SettingsStore(await open()).load();
    expect(saved).toEqual({ settings: custom, prompt: 'Once upon a time' });
  });

  it('clamps out-of-range values and fills missing fields when reading back', async () => {
    const db = await open();
    await db.put('settings', { temperature: 99, topK: -3, seed: 'x', greedy: 'yes' }, 'generation');
    await db.put('settings', 42, 'prompt');
    const saved = await new SettingsStore(db).load();
    expect(saved.settings).toEqual({
      ...DEFAULT_SETTINGS,
      temperature: SETTING_RANGES.temperature.max,
      topK: SETTING_RANGES.topK.min,
    });
    expect(saved.prompt).toBeNull();
  });

  it('forgets the prompt when saved as null', async () => {
    const db = await open();
    const store = new SettingsStore(db);
    await store.save({ settings: custom, prompt: 'first' });
    await store.save({ settings: custom, prompt: null });
    expect(await db.get('settings', 'prompt')).toBeUndefined();
  });

  it('keeps the run base across a reopen, forgets it on null, reads the older form and ignores a bad value', async () => {
    const first = await open();
    expect(await loadRunBase(first)).toBeNull();
    const run = { source: { kind: 'shipped', modelId: 'tinystories-1m' }, weightsHash: 'ab12', startedAt: 5 } as const;
    await saveRunBase(first, run);
    first.close();
    const db = await open();
    expect(await loadRunBase(db)).toEqual(run);
    await saveRunBase(db, { ...run, source: { kind: 'checkpoint', checkpointId: 7 } });
    expect((await loadRunBase(db))?.source).toEqual({ kind: 'checkpoint', checkpointId: 7 });
    await saveRunBase(db, null);
    expect(await db.get('settings', 'baseModel')).toBeUndefined();
    // What the previous release stored: only the id of a checkpoint chosen with "use as base".
    await db.put('settings', { checkpointId: 7 }, 'baseModel');
    expect(await loadRunBase(db)).toEqual({
      source: { kind: 'checkpoint', checkpointId: 7 },
      weightsHash: null,
      startedAt: 0,
    });
    for (const bad of [
      7,
      { checkpointId: 'x' },
      { checkpointId: -1 },
      { checkpointId: 1.5 },
      { source: { kind: 'shipped', modelId: '' } },
      { source: { kind: 'checkpoint', checkpointId: 0 } },
      { source: 'x' },
    ]) {
      await db.put('settings', bad, 'baseModel');
      expect(await loadRunBase(db)).toBeNull();
    }
  });
});
