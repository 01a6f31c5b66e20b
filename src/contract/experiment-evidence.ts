/**
 * Whether an experiment's curves went the way its explanation says, one rule for the page and the
 * CLI: a metric that `rises` or `falls` compares the mean of the last third of the iterations with
 * the mean of the first third (a trend, robust to one noisy iteration); `below-zero` asks for a
 * negative mean over the second half; `exceeds` asks for a last-third mean more than twice the
 * other arm's (or than a tenth, if that one's is smaller). Plain numbers, free of TensorFlow.js.
 */
import type { Evidence } from './experiments';

/** One arm's per-iteration metrics, as the experiment runner records them. */
export interface ArmCurve {
  key: string;
  iterations: { iteration: number; metrics: Record<string, number> }[];
}

export interface EvidenceCheck {
  evidence: Evidence;
  holds: boolean;
  /** Mean over the first third (rises/falls/exceeds), or NaN (below-zero). */
  early: number;
  /** Mean over the last third, or over the second half (below-zero). */
  late: number;
  /** `exceeds`: the other arm's mean over its last third; NaN otherwise. */
  other: number;
}

/** How many times the other arm's value an `exceeds` evidence asks for, and the floor under it. */
export const EXCEEDS_FACTOR = 2;
const EXCEEDS_FLOOR = 0.1;

function meanOf(xs: number[]): number {
  const finite = xs.filter(Number.isFinite);
  return finite.length === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
}

/** The values of `metric` over an arm's iterations, in order. */
export function series(arm: ArmCurve, metric: string): number[] {
  return arm.iterations.map((it) => it.metrics[metric] ?? NaN);
}

/** The means of `xs` over its first and its last third (at least one value each). */
export function earlyAndLate(xs: number[]): { early: number; late: number } {
  const third = Math.max(1, Math.floor(xs.length / 3));
  return { early: meanOf(xs.slice(0, third)), late: meanOf(xs.slice(xs.length - third)) };
}

export function checkEvidence(arms: readonly ArmCurve[], evidence: Evidence): EvidenceCheck {
  const arm = arms.find((a) => a.key === evidence.arm);
  if (arm === undefined) return { evidence, holds: false, early: NaN, late: NaN, other: NaN };
  const xs = series(arm, evidence.metric);
  if (evidence.expect === 'below-zero') {
    const late = meanOf(xs.slice(Math.floor(xs.length / 2)));
    return { evidence, holds: late < 0, early: NaN, late, other: NaN };
  }
  const { early, late } = earlyAndLate(xs);
  if (evidence.expect === 'exceeds') {
    const than = arms.find((a) => a.key === evidence.than);
    const other = than === undefined ? NaN : earlyAndLate(series(than, evidence.metric)).late;
    const holds = late > EXCEEDS_FACTOR * Math.max(other, EXCEEDS_FLOOR);
    return { evidence, holds, early, late, other };
  }
  const holds = evidence.expect === 'rises' ? late > early : late < early;
  return { evidence, holds, early, late, other: NaN };
}
