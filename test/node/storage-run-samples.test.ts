// The samples stored with a run: the last RUN_SAMPLES_KEPT steps of each run stay, older ones go;
// they go with their run, a restored backup clears them, and a version-3 database upgrades to
// hold them without losing a run.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/storage/db';
import { appendRunPoints, createRun, deleteRun, listRuns } from '../../src/storage/runs';
import {
  getRunPairs,
  getRunSamples,
  putRunPairs,
  putRunSamples,
  runSampleSteps,
  RUN_SAMPLES_KEPT,
} from '../../src/storage/run-samples';
import { exportWorkspace, restoreWorkspace } from '../../src/storage/backup';
import type { SampleView } from '../../src/contract/views';
import { scratchDB } from './storage-fixtures';

const sample = (text: string): SampleView => ({
  prompt: 'Once upon a time',
  text,
  tokens: [text],
  logProbs: [-1.5],
  kl: [0.25],
  advantages: [0.5],
  score: 0.75,
  gold: null,
});

describe('run samples', () => {
  it('keeps the newest steps of each run, replaces a step written twice, and leaves other runs alone', async () => {
    const db = await scratchDB(MIGRATIONS, 'run-samples-keep');
    const run = await createRun(db, { kind: 'policy', name: 'a', config: {} });
    const other = await createRun(db, { kind: 'policy', name: 'b', config: {} });
    await putRunSamples(db, other, 1, [sample('other run')]);
    for (let step = 1; step <= RUN_SAMPLES_KEPT + 5; step++) await putRunSamples(db, run, step, [sample(`s${step}`)]);
    await putRunSamples(db, run, RUN_SAMPLES_KEPT + 5, [sample('again'), sample('twice')]);

    const steps = await runSampleSteps(db, run);
    expect(steps).toEqual(Array.from({ length: RUN_SAMPLES_KEPT }, (_, i) => i + 6));
    expect(await getRunSamples(db, run, 5)).toBeNull();
    expect(await getRunSamples(db, run, 6)).toEqual([sample('s6')]);
    expect(await getRunSamples(db, run, RUN_SAMPLES_KEPT + 5)).toEqual([sample('again'), sample('twice')]);
    expect(await getRunSamples(db, other, 1)).toEqual([sample('other run')]);
    db.close();
  });

  it('keeps a reward training’s held-out pairs the same way', async () => {
    const db = await scratchDB(MIGRATIONS, 'run-samples-pairs');
    const run = await createRun(db, { kind: 'reward', name: 'reward model', config: {} });
    const pair = { prompt: 'p', chosen: ' a', rejected: ' b', target: 1, pChosen: 0.25, loss: 1.386 };
    await putRunPairs(db, run, 8, [pair]);
    expect(await getRunPairs(db, run, 8)).toEqual([pair]);
    expect(await getRunSamples(db, run, 8)).toBeNull();
    expect(await getRunPairs(db, run, 12)).toBeNull();
    db.close();
  });

  it('deletes a run’s samples with the run', async () => {
    const db = await scratchDB(MIGRATIONS, 'run-samples-delete');
    const run = await createRun(db, { kind: 'policy', name: 'a', config: {} });
    const kept = await createRun(db, { kind: 'policy', name: 'b', config: {} });
    await putRunSamples(db, run, 1, [sample('gone')]);
    await putRunSamples(db, kept, 1, [sample('kept')]);
    await deleteRun(db, run);
    expect(await runSampleSteps(db, run)).toEqual([]);
    expect(await getRunSamples(db, kept, 1)).toEqual([sample('kept')]);
    db.close();
  });

  it('a restored backup clears samples, so a restored run never shows another run’s text', async () => {
    const db = await scratchDB(MIGRATIONS, 'run-samples-restore');
    const run = await createRun(db, { kind: 'policy', name: 'a', config: {} });
    await appendRunPoints(db, run, [{ step: 1, values: { 'objective/kl': 0.5 } }]);
    const backup = await exportWorkspace(db);
    await putRunSamples(db, run, 1, [sample('after the backup')]);
    await restoreWorkspace(db, backup);
    expect((await listRuns(db)).map((r) => r.id)).toEqual([run]);
    expect(await getRunSamples(db, run, 1)).toBeNull();
    db.close();
  });

  it('a version-3 database upgrades with its runs kept and an empty samples store', async () => {
    const name = 'run-samples-upgrade';
    const v3 = await scratchDB(MIGRATIONS.slice(0, 3), name);
    const run = await createRun(v3, { kind: 'policy', name: 'before', config: { beta: 0.1 } });
    await appendRunPoints(v3, run, [{ step: 1, values: { 'objective/kl': 0.5 } }]);
    expect(v3.objectStoreNames.contains('runSamples')).toBe(false);
    v3.close();
    const v4 = await scratchDB(MIGRATIONS, name);
    expect((await listRuns(v4)).map((r) => [r.name, r.points.length])).toEqual([['before', 1]]);
    expect(await runSampleSteps(v4, run)).toEqual([]);
    await putRunSamples(v4, run, 2, [sample('new')]);
    expect(await getRunSamples(v4, run, 2)).toEqual([sample('new')]);
    v4.close();
  });
});
