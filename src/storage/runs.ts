/**
 * Training runs: the config a run started with and its metric series, appended as it goes, so
 * the charts of an earlier run can be drawn again after a reload.
 */
import type { PlaygroundDB } from './db';
import { StorageError } from './errors';
import { metricValue, type RunPoint, type RunRecord } from './records';
import { addRecord, writeTransaction } from './write';

/** Starts a run record with no points; returns its id. */
export function createRun(
  db: PlaygroundDB,
  run: { kind: string; name: string; config: unknown },
  now = Date.now(),
): Promise<number> {
  return writeTransaction(db, ['runs'], 'run', (tx) =>
    addRecord(tx, 'runs', {
      kind: run.kind,
      name: run.name,
      config: run.config,
      createdAt: now,
      updatedAt: now,
      points: [],
    }),
  );
}

/**
 * Appends metric points (one per logged step) to a run. Non-finite values (a diverged run) are
 * kept as null, so that what is stored is also valid JSON for a backup.
 */
export function appendRunPoints(
  db: PlaygroundDB,
  runId: number,
  points: readonly { step: number; values: Record<string, number> }[],
  now = Date.now(),
): Promise<void> {
  return writeTransaction(db, ['runs'], 'runMetrics', async (tx) => {
    const run = await tx.objectStore('runs').get(runId);
    if (run === undefined)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'run', id: runId } });
    const added: RunPoint[] = points.map(({ step, values }) => ({
      step,
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, metricValue(v)])),
    }));
    await tx.objectStore('runs').put({ ...run, points: [...run.points, ...added], updatedAt: now });
  });
}

export async function getRun(db: PlaygroundDB, id: number): Promise<RunRecord | null> {
  return (await db.get('runs', id)) ?? null;
}

/** All runs, newest first. */
export async function listRuns(db: PlaygroundDB): Promise<RunRecord[]> {
  return (await db.getAllFromIndex('runs', 'byTime')).reverse();
}

/** Deletes a run and the samples stored with it. */
export function deleteRun(db: PlaygroundDB, id: number): Promise<void> {
  return writeTransaction(db, ['runs', 'runSamples'], 'change', async (tx) => {
    if ((await tx.objectStore('runs').getKey(id)) === undefined)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'run', id } });
    await tx.objectStore('runs').delete(id);
    await tx.objectStore('runSamples').delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity]));
  });
}
