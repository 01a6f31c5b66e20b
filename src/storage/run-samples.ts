/**
 * The samples of a run's recent iterations: what the policy wrote at each logged step, with the
 * reward, gold score, per-token KL and advantages it was trained on; for a reward-model run, the
 * held-out pairs and their losses after each training. A chart point opens to them, also after a
 * reload. Only the last RUN_SAMPLES_KEPT steps of each run are kept: older ones are
 * deleted as new ones arrive, so a long run does not fill the disk with text nobody reads.
 */
import type { HeldOutPairView, SampleView } from '../contract/views';
import type { PlaygroundDB } from './db';
import type { RunSamplesRecord } from './records';
import { writeTransaction } from './write';

/** Steps of samples kept per run. */
export const RUN_SAMPLES_KEPT = 50;

/** Every step of one run: [run, -∞] to [run, +∞]. */
function runRange(run: number): IDBKeyRange {
  return IDBKeyRange.bound([run, -Infinity], [run, Infinity]);
}

/** Stores one step's record, replacing any stored for that step, and deletes the run's steps before the newest `keep`. */
function putStep(db: PlaygroundDB, record: RunSamplesRecord, keep: number): Promise<void> {
  const { run } = record;
  return writeTransaction(db, ['runSamples'], 'runMetrics', async (tx) => {
    const store = tx.objectStore('runSamples');
    await store.put(record);
    const steps = (await store.getAllKeys(runRange(run))).map((key) => key[1]);
    const stale = steps.sort((a, b) => b - a).slice(keep);
    for (const old of stale) await store.delete([run, old]);
  });
}

/** Stores the responses sampled at `step` (a tuning iteration) of `run`. */
export function putRunSamples(
  db: PlaygroundDB,
  run: number,
  step: number,
  samples: readonly SampleView[],
  keep = RUN_SAMPLES_KEPT,
): Promise<void> {
  return putStep(db, { run, step, samples: samples.map((s) => ({ ...s })) }, keep);
}

/** Stores the held-out pairs as the reward model trained at `step` (its label count) of `run` judged them. */
export function putRunPairs(
  db: PlaygroundDB,
  run: number,
  step: number,
  pairs: readonly HeldOutPairView[],
  keep = RUN_SAMPLES_KEPT,
): Promise<void> {
  return putStep(db, { run, step, pairs: pairs.map((p) => ({ ...p })) }, keep);
}

/** The samples of one step of a run, or null when none are stored (never drawn, or pruned). */
export async function getRunSamples(db: PlaygroundDB, run: number, step: number): Promise<SampleView[] | null> {
  return (await db.get('runSamples', [run, step]))?.samples ?? null;
}

/** The held-out pairs of one reward-model training of a run, or null. */
export async function getRunPairs(db: PlaygroundDB, run: number, step: number): Promise<HeldOutPairView[] | null> {
  return (await db.get('runSamples', [run, step]))?.pairs ?? null;
}

/** The steps of a run whose samples are stored, in order. */
export async function runSampleSteps(db: PlaygroundDB, run: number): Promise<number[]> {
  return (await db.getAllKeys('runSamples', runRange(run))).map((key) => key[1]);
}
