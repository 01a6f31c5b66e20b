/**
 * Runs the chosen cases in one process and assembles the report: the headline figures the
 * performance targets are checked against at the top level, then everything each case measured.
 * Nothing here depends on Node, so a browser page can run the same cases.
 */
import { decodeCase } from './cases/decode';
import { dispatchCase } from './cases/dispatch';
import { grpoCase, ppoCase } from './cases/iteration';
import { memoryCase } from './cases/memory';
import { rewardCase } from './cases/reward';
import { trainCase } from './cases/train';
import type { Clock } from './stats';
import type { BenchCase, BenchSizes, CaseName, Headline, Row } from './types';

export const CASES: readonly BenchCase[] = [
  decodeCase,
  trainCase,
  dispatchCase,
  memoryCase,
  ppoCase,
  grpoCase,
  rewardCase,
];

export interface BenchOptions {
  sizes: BenchSizes;
  /** Name of the sizes, for the report ("full", "quick", ...). */
  sizesName: string;
  /** Run only these cases; default all. */
  only?: readonly CaseName[];
  /** What the machine is: backend, CPU, cores, runtime; printed with the figures. */
  machine: Record<string, string | number | boolean>;
  /** Clock the timings use (see stats.ts); default 'wall'. */
  clock?: Clock;
  /** Progress lines while cases run. */
  log?: (line: string) => void;
}

export interface CaseReport {
  name: CaseName;
  title: string;
  /** Wall time of the whole case, warm-up included. */
  seconds: number;
  rows: Row[];
  figures: Record<string, unknown>;
}

export type BenchReport = Headline & {
  machine: BenchOptions['machine'];
  clock: Clock;
  sizesName: string;
  date: string;
  cases: CaseReport[];
};

const EMPTY_HEADLINE: Headline = {
  kvCacheSpeedup: null,
  trainStepMatmulFraction: null,
  ppoIterationMs: null,
  grpoIterationMs: null,
  rewardModelEpochMs: null,
  dispatchesPerToken: null,
  tensorGrowth: null,
  bytesGrowth: null,
  coldStartMs: null,
};

/** Runs the cases one after another; a case that is not run leaves its headline figures null. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? 'wall';
  const headline: Headline = { ...EMPTY_HEADLINE };
  const cases: CaseReport[] = [];
  for (const c of CASES) {
    if (options.only !== undefined && !options.only.includes(c.name)) continue;
    const start = performance.now();
    const result = await c.run({ sizes: options.sizes, clock, log });
    Object.assign(headline, result.headline);
    cases.push({
      name: c.name,
      title: c.title,
      seconds: (performance.now() - start) / 1000,
      rows: result.rows,
      figures: result.figures,
    });
  }
  return {
    ...headline,
    machine: options.machine,
    clock,
    sizesName: options.sizesName,
    date: new Date().toISOString(),
    cases,
  };
}
