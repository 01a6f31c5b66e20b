/**
 * One default PPO iteration, split into rollout, scoring and update. The trainer is plugged in
 * through `PPO_ITERATION`: until one is registered the case reports null and says why, so the JSON
 * keeps its shape and nothing is invented.
 */
import { measure, type Repeats } from '../stats';
import type { BenchCase, CaseContext, CaseResult } from '../types';

/** Phase times of one iteration, in milliseconds (rollout, scoring, update, ...). */
export type PhaseTimes = Record<string, number>;

/** Sets up a default PPO run and returns one iteration to time, and a cleanup. */
export type PpoIterationFactory = () => Promise<{ iterate: () => Promise<PhaseTimes>; dispose: () => void }>;

let factory: PpoIterationFactory | undefined;

/** Registers the PPO iteration the case times; undefined unregisters it. */
export function registerPpoIteration(f: PpoIterationFactory | undefined): void {
  factory = f;
}

const REPEATS: Repeats = { warmup: 1, repeats: 3 };

async function run({ clock }: CaseContext): Promise<CaseResult> {
  if (factory === undefined) {
    const note = 'no PPO trainer registered yet (src/engine/rl/ppo.ts)';
    return { rows: [{ metric: 'PPO iteration', value: null, unit: 'ms', note }], figures: { note }, headline: { ppoIterationMs: null } };
  }
  const { iterate, dispose } = await factory();
  const phases: PhaseTimes[] = [];
  const timing = await measure(async () => phases.push(await iterate()), REPEATS, clock);
  dispose();
  const last = phases[phases.length - 1];
  return {
    rows: [
      { metric: 'PPO iteration', value: timing.medianMs, unit: 'ms', note: 'target < 15000 on wasm' },
      ...Object.entries(last).map(([phase, ms]) => ({ metric: `  ${phase}`, value: ms, unit: 'ms', note: 'last run' })),
    ],
    figures: { timing, phases },
    headline: { ppoIterationMs: timing.medianMs },
  };
}

export const ppoCase: BenchCase = {
  name: 'ppo',
  title: 'PPO iteration (rollout, scoring, update)',
  run,
};
