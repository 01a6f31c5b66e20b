/**
 * Whether an experiment's curves went the way its explanation says: a metric that `rises` or
 * `falls` compares the mean of the last third of the iterations with the mean of the first third
 * (a trend, robust to one noisy iteration); `below-zero` asks for a negative mean over the second
 * half. Plain numbers, free of TensorFlow.js.
 */
import type { Evidence } from '../../contract/experiments';

/** One arm's per-iteration metrics, as the experiment runner records them. */
export interface ArmCurve {
  key: string;
  iterations: { iteration: number; metrics: Record<string, number> }[];
}

export interface EvidenceCheck {
  evidence: Evidence;
  holds: boolean;
  /** Mean over the first third (rises/falls) or NaN (below-zero). */
  early: number;
  /** Mean over the last third (rises/falls), or over the second half (below-zero). */
  late: number;
}

function meanOf(xs: number[]): number {
  const finite = xs.filter(Number.isFinite);
  return finite.length === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
}

/** The values of `metric` over an arm's iterations, in order. */
export function series(arm: ArmCurve, metric: string): number[] {
  return arm.iterations.map((it) => it.metrics[metric] ?? NaN);
}

export function checkEvidence(arms: readonly ArmCurve[], evidence: Evidence): EvidenceCheck {
  const arm = arms.find((a) => a.key === evidence.arm);
  if (arm === undefined) return { evidence, holds: false, early: NaN, late: NaN };
  const xs = series(arm, evidence.metric);
  if (evidence.expect === 'below-zero') {
    const late = meanOf(xs.slice(Math.floor(xs.length / 2)));
    return { evidence, holds: late < 0, early: NaN, late };
  }
  const third = Math.max(1, Math.floor(xs.length / 3));
  const early = meanOf(xs.slice(0, third));
  const late = meanOf(xs.slice(xs.length - third));
  const holds = evidence.expect === 'rises' ? late > early : late < early;
  return { evidence, holds, early, late };
}
