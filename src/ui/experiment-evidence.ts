/**
 * What an experiment's own run shows: for each piece of evidence the experiment names (a metric of
 * an arm that should rise, fall, end below zero or end above another arm's), the value at the start
 * of the run and at its end, and whether it went that way this time, by the same rule the CLI's
 * runner checks (contract/experiment-evidence.ts). The explanation is written from these readings,
 * so the numbers a student reads are the ones their run measured.
 */
import { checkEvidence, earlyAndLate, series, type ArmCurve } from '../contract/experiment-evidence';
import type { Evidence, Experiment } from '../contract/experiments';
import type { MetricPoint } from './tune-warnings';

/** Each arm's metric points, keyed by the arm's key. */
export type ArmPoints = Readonly<Record<string, readonly MetricPoint[]>>;

export interface Reading {
  metric: string;
  arm: string;
  expect: Evidence['expect'] | null;
  /** Mean over the first third of the run's iterations (at least one); NaN for `below-zero`. */
  from: number;
  /** Mean over the last third (the second half for `below-zero`). */
  to: number;
  /** `exceeds`: the arm compared with and its mean over its last third. */
  than: { arm: string; value: number } | null;
  /** Whether the run went the way the experiment says (null when it names no way). */
  held: boolean | null;
}

/** Metrics every experiment charts for each arm (DPO's from fresh samples, the others' from their rollouts). */
export const ARM_METRICS = ['gold/score', 'objective/kl', 'eval/distinct_2'] as const;

/** The metrics charted for `experiment`: its evidence first, then every arm's gold score, KL and distinct-2. */
export function chartedMetrics(experiment: Experiment): string[] {
  return [...new Set([...experiment.evidence.map((e) => e.metric), ...ARM_METRICS])];
}

function curve(points: ArmPoints, key: string): ArmCurve {
  return { key, iterations: [...(points[key] ?? [])] };
}

/** Whether `metric` has at least two finite values in `points`: a trend needs two. */
function measured(points: ArmPoints, key: string, metric: string): boolean {
  return series(curve(points, key), metric).filter(Number.isFinite).length >= 2;
}

/** The experiment's evidence as its run measured it; evidence with too few points is left out. */
export function readEvidence(experiment: Experiment, points: ArmPoints): Reading[] {
  const curves = experiment.arms.map((a) => curve(points, a.key));
  return experiment.evidence.flatMap((e) => {
    if (!measured(points, e.arm, e.metric)) return [];
    if (e.than !== undefined && !measured(points, e.than, e.metric)) return [];
    const c = checkEvidence(curves, e);
    const than = e.than === undefined ? null : { arm: e.than, value: c.other };
    return [{ metric: e.metric, arm: e.arm, expect: e.expect, from: c.early, to: c.late, than, held: c.holds }];
  });
}

/** Every arm's gold score and KL, start and end: what a side-by-side comparison reads. */
export function readArms(experiment: Experiment, points: ArmPoints): Reading[] {
  return experiment.arms.flatMap((arm) =>
    (['gold/score', 'objective/kl'] as const).flatMap((metric) => {
      if (!measured(points, arm.key, metric)) return [];
      const { early, late } = earlyAndLate(series(curve(points, arm.key), metric).filter(Number.isFinite));
      return [{ metric, arm: arm.key, expect: null, from: early, to: late, than: null, held: null }];
    }),
  );
}
