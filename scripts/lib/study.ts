/**
 * A study: one setting run at several seeds one after another (`npm run rlhf -- --seeds 1-5`),
 * each seed's report in DIR/seed-S/report.json, then one summary over them. A seed whose report
 * exists is not run again, so a study interrupted part-way resumes where it stopped.
 */
import type { SeedsProblem } from '../../src/contract/input-messages';
import { join } from 'node:path';

/** Largest number of seeds one study runs: more is a typo, not a study. */
export const MAX_SEEDS = 100;

/**
 * Seeds from "3", "1-5" or "1,3,7-9": ascending, no repeats. Returns the problem as a sentence
 * when the text is malformed.
 */
export function parseSeeds(text: string): number[] | SeedsProblem {
  const seeds = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return { kind: 'notSeed', part };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return { kind: 'backwards', from, to };
    if (to - from + 1 + seeds.size > MAX_SEEDS) return { kind: 'tooMany', limit: MAX_SEEDS };
    for (let s = from; s <= to; s++) seeds.add(s);
  }
  return [...seeds].sort((a, b) => a - b);
}

export function seedDir(out: string, seed: number): string {
  return join(out, `seed-${seed}`);
}

/** The seeds still to run: those without a report (a finished seed writes its report last). */
export function pendingSeeds(out: string, seeds: readonly number[], done: (file: string) => boolean): number[] {
  return seeds.filter((s) => !done(join(seedDir(out, s), 'report.json')));
}

/** What the summary reads from one seed's report. */
export interface SeedResult {
  seed: number;
  /** Gold win-rate of tuned against base, ties half, and its bootstrap interval. */
  winRate: number;
  winLow: number;
  winHigh: number;
  kl: number;
  /** Relative rise of held-out loss; NaN when no held-out text was scored. */
  alignmentTax: number;
  /** Wall seconds of the whole run, and of it those after the last label (reward model and tuning). */
  seconds: number;
  trainSeconds: number;
  /**
   * How often the reward model ordered fresh pairs of the base policy as the labeler's gold score
   * did (the pairs it tells apart); NaN in a report written before it was measured, or where no
   * pair was told apart.
   */
  rewardVsGold: number;
  /** The same on the evaluation pairs (base, tuned); NaN as above. */
  rewardVsGoldEvaluation: number;
}

/** Mean, sample standard deviation and the 95% t-interval of the mean; NaN parts when undefined. */
export interface Spread {
  n: number;
  mean: number;
  sd: number;
  low: number;
  high: number;
  min: number;
  max: number;
}

// Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; beyond, 1.96 is close enough.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function t95(degreesOfFreedom: number): number {
  return degreesOfFreedom < 1 ? NaN : (T95[degreesOfFreedom - 1] ?? 1.96);
}

/** The spread of `values` (non-finite ones are left out: a run that measured no tax). */
export function spread(values: readonly number[]): Spread {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  const mean = n === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? NaN : Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = t95(n - 1) * (sd / Math.sqrt(n));
  return {
    n,
    mean,
    sd,
    low: mean - half,
    high: mean + half,
    min: n === 0 ? NaN : Math.min(...xs),
    max: n === 0 ? NaN : Math.max(...xs),
  };
}

export interface StudySummary {
  seeds: number[];
  winRate: Spread;
  kl: Spread;
  alignmentTax: Spread;
  seconds: Spread;
  trainSeconds: Spread;
  rewardVsGold: Spread;
  rewardVsGoldEvaluation: Spread;
  runs: SeedResult[];
}

export function summarise(runs: readonly SeedResult[]): StudySummary {
  const of = (key: keyof SeedResult) => spread(runs.map((r) => r[key]));
  return {
    seeds: runs.map((r) => r.seed),
    winRate: of('winRate'),
    kl: of('kl'),
    alignmentTax: of('alignmentTax'),
    seconds: of('seconds'),
    trainSeconds: of('trainSeconds'),
    rewardVsGold: of('rewardVsGold'),
    rewardVsGoldEvaluation: of('rewardVsGoldEvaluation'),
    runs: [...runs],
  };
}

interface ReportShape {
  seconds: number;
  rounds: { seconds: number; labelingSeconds?: number }[];
  evaluation: {
    kl: number;
    alignmentTax: number | null;
    gold: { winRate: { rate: number; low: number; high: number } };
    rewardGoldAgreement?: { rate: number | null } | null;
    rewardOnFreshPairs?: { rate: number | null };
  };
}

/** One seed's result from its report.json text. */
export function seedResult(seed: number, reportText: string): SeedResult {
  const r = JSON.parse(reportText) as ReportShape;
  const labeling = r.rounds.reduce((sum, x) => sum + (x.labelingSeconds ?? 0), 0);
  const w = r.evaluation.gold.winRate;
  return {
    seed,
    winRate: w.rate,
    winLow: w.low,
    winHigh: w.high,
    kl: r.evaluation.kl,
    alignmentTax: r.evaluation.alignmentTax ?? NaN,
    seconds: r.seconds,
    trainSeconds: r.rounds.reduce((sum, x) => sum + x.seconds, 0) - labeling,
    rewardVsGold: r.evaluation.rewardOnFreshPairs?.rate ?? NaN,
    rewardVsGoldEvaluation: r.evaluation.rewardGoldAgreement?.rate ?? NaN,
  };
}
