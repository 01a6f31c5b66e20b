/**
 * What an experiment's own run shows: for each piece of evidence the experiment names (a metric of
 * an arm that should rise, fall or end below zero), the value at the start of the run and at its
 * end, and whether it went that way this time. The explanation is written from these readings, so
 * the numbers a student reads are the ones their run measured.
 */
import type { Evidence, Experiment } from '../contract/experiments';
import type { MetricPoint } from './tune-warnings';

/** Each arm's metric points, keyed by the arm's key. */
export type ArmPoints = Readonly<Record<string, readonly MetricPoint[]>>;

export interface Reading {
  metric: string;
  arm: string;
  expect: Evidence['expect'] | null;
  /** Mean over the first quarter of the run's iterations (at least one). */
  from: number;
  /** Mean over the last quarter. */
  to: number;
  /** Whether the run went the way the experiment says (null when it names no way). */
  held: boolean | null;
}

/** Metrics every experiment charts for each arm (DPO's from fresh samples, the others' from their rollouts). */
export const ARM_METRICS = ['gold/score', 'objective/kl', 'eval/distinct_2'] as const;

/** The metrics charted for `experiment`: its evidence first, then every arm's gold score, KL and distinct-2. */
export function chartedMetrics(experiment: Experiment): string[] {
  return [...new Set([...experiment.evidence.map((e) => e.metric), ...ARM_METRICS])];
}

function meanOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The start and end means of `metric` over `points` (finite values only); null with fewer than two. */
export function startAndEnd(points: readonly MetricPoint[], metric: string): { from: number; to: number } | null {
  const values = points.map((p) => p.metrics[metric]).filter((v): v is number => Number.isFinite(v));
  if (values.length < 2) return null;
  const k = Math.max(1, Math.floor(values.length / 4));
  return { from: meanOf(values.slice(0, k)), to: meanOf(values.slice(-k)) };
}

function held(expect: Evidence['expect'], from: number, to: number): boolean {
  if (expect === 'rises') return to > from;
  if (expect === 'falls') return to < from;
  return to < 0;
}

/** The experiment's evidence as its run measured it; evidence with too few points is left out. */
export function readEvidence(experiment: Experiment, points: ArmPoints): Reading[] {
  return experiment.evidence.flatMap((e) => {
    const span = startAndEnd(points[e.arm] ?? [], e.metric);
    if (span === null) return [];
    return [{ metric: e.metric, arm: e.arm, expect: e.expect, ...span, held: held(e.expect, span.from, span.to) }];
  });
}

/** Every arm's gold score and KL, start and end: what a side-by-side comparison reads. */
export function readArms(experiment: Experiment, points: ArmPoints): Reading[] {
  return experiment.arms.flatMap((arm) =>
    (['gold/score', 'objective/kl'] as const).flatMap((metric) => {
      const span = startAndEnd(points[arm.key] ?? [], metric);
      return span === null ? [] : [{ metric, arm: arm.key, expect: null, ...span, held: null }];
    }),
  );
}
