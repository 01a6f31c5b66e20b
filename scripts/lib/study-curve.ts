/**
 * The learning curve as one table: for each labeler and each cell measured at two or more label
 * counts, its mean gold win-rate at every count, with the number of seeds and of seeds below 55%.
 */
import type { SeedResult, Spread } from './study';

export interface CurveCell {
  labels: number;
  labeler: string;
  algo: string;
  summary: { winRate: Pick<Spread, 'n' | 'mean'>; runs: readonly Pick<SeedResult, 'winRate'>[] };
}

/** "62.0 (5, 1 < 55%)": the mean over seeds, how many seeds, and how many of them fell below 55%. */
function entry(c: CurveCell | undefined): string {
  if (c === undefined) return '-';
  const below = c.summary.runs.filter((r) => r.winRate < 0.55).length;
  const n = c.summary.winRate.n;
  return `${(c.summary.winRate.mean * 100).toFixed(1)} (${n}${below > 0 ? `, ${below} < 55%` : ''})`;
}

/** The Markdown table: a row per labeler and cell, a column per label count. */
export function curveTable(all: readonly CurveCell[]): string {
  const counts = [...new Set(all.map((c) => c.labels))].sort((a, b) => a - b);
  const rows: string[] = [];
  const labelers = [...new Set(all.map((c) => c.labeler))].sort();
  for (const labeler of labelers) {
    const mine = all.filter((c) => c.labeler === labeler);
    const algos = [...new Set(mine.map((c) => c.algo))].sort();
    for (const algo of algos) {
      const cells = mine.filter((c) => c.algo === algo);
      if (cells.length < 2) continue;
      const at = (n: number) => entry(cells.find((c) => c.labels === n));
      rows.push(`| ${labeler} | ${algo} | ${counts.map(at).join(' | ')} |`);
    }
  }
  const head = `| labeler | cell | ${counts.map((n) => `${n} labels`).join(' | ')} |`;
  const rule = `|---|---|${counts.map(() => '---').join('|')}|`;
  return [head, rule, ...rows].join('\n') + '\n';
}
