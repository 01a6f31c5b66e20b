/**
 * The learning study's results as the page shows them (docs/learning.md has the full table):
 * `npm run study-report` writes study-results.json beside this file, so the Tune stage can say
 * what its defaults did at a student's scale, offline, with the numbers the study measured.
 */
import results from './study-results.json';

/** One cell of the study: a labeler, a label count and an algorithm (or a lever on it), over seeds. */
export interface StudyCell {
  labels: number;
  labeler: string;
  /** The algorithm, or the algorithm and a lever ("ppo-rm8"), as the study names the cell. */
  cell: string;
  seeds: number;
  /** Gold win-rate of tuned against base: mean over seeds and its 95% t-interval (NaN from one seed). */
  win: { mean: number; low: number | null; high: number | null };
  /** Seeds whose own win-rate was under 55%. */
  below55: number;
  kl: number;
  /** Seconds after the last label: reward model and tuning. */
  seconds: number;
}

export interface StudyResults {
  cells: StudyCell[];
}

export const STUDY: Readonly<StudyResults> = results as StudyResults;

/** The cells named `cell` (the one measured at an algorithm's defaults) at `labels` labels. */
export function defaultCells(study: StudyResults, cell: string, labels: number): StudyCell[] {
  return study.cells.filter((c) => c.cell === cell && c.labels === labels);
}

/** The lowest and highest mean win-rate of `cells`, or null when there are none. */
export function winRange(cells: readonly StudyCell[]): { low: number; high: number } | null {
  if (cells.length === 0) return null;
  const means = cells.map((c) => c.win.mean);
  return { low: Math.min(...means), high: Math.max(...means) };
}
