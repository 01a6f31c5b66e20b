/**
 * The learning curve as one table: for each labeler and each cell measured at two or more label
 * counts, its mean gold win-rate at every count, with the number of seeds and of seeds below 55%;
 * and as a chart per labeler: win-rate against labels, a line per algorithm at the page's defaults
 * and one for PPO with marked words.
 */
import type { StudyCell } from '../../src/ui/study-results';
import { lineChartSvg, type SvgSeries } from '../../src/ui/svg-chart';
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

/**
 * The curve chart's lines: each algorithm's cell at the page's defaults, and PPO with up to three
 * marks per response, whose cells are named by how their Play was set (`-auto`: left to the
 * labels; `-iters15`: the 15 iterations those labels earn). Where both exist at one count, the
 * one with more seeds is drawn.
 */
export const CURVE_LINES: readonly { label: string; cells: readonly string[]; color: string }[] = [
  { label: 'PPO (the page)', cells: ['ppo-vwarm2'], color: '#fb8f44' },
  { label: 'GRPO', cells: ['grpo'], color: '#1f6feb' },
  { label: 'RLOO', cells: ['rloo'], color: '#8250df' },
  { label: 'DPO', cells: ['dpo'], color: '#2da44e' },
  {
    label: 'PPO, up to 3 marked words per response',
    cells: ['ppo-marks3-auto', 'ppo-marks3-iters15'],
    color: '#9a6700',
  },
];

/** The dashed line at 50% (the tuned policy no better than the base) from x = `from` to `to`. */
export function noChange(from: number, to: number): SvgSeries {
  return {
    label: 'no change (50%)',
    color: '#888888',
    dash: '4 4',
    points: [
      [from, 50],
      [to, 50],
    ],
  };
}

/**
 * Gold win-rate against labels for one labeler: a line per CURVE_LINES entry measured there, the
 * label counts evenly spaced (20, 40, 100 and 300 would crowd a linear axis) and named under it.
 */
export function curveChart(cells: readonly StudyCell[], labeler: string): string {
  const mine = cells.filter((c) => c.labeler === labeler);
  const pick = (names: readonly string[], labels: number): StudyCell | undefined =>
    mine
      .filter((c) => c.labels === labels && names.includes(c.cell))
      .sort((a, b) => b.seeds - a.seeds)
      .at(0);
  const drawn = CURVE_LINES.filter((l) => mine.some((c) => l.cells.includes(c.cell)));
  const counts = [
    ...new Set(mine.filter((c) => drawn.some((l) => l.cells.includes(c.cell))).map((c) => c.labels)),
  ].sort((a, b) => a - b);
  const x = (labels: number) => counts.indexOf(labels) + 1;
  const series: SvgSeries[] = drawn.map((l) => ({
    label: `${l.label}, mean over seeds`,
    color: l.color,
    points: counts.flatMap((n): [number, number][] => {
      const c = pick(l.cells, n);
      return c === undefined ? [] : [[x(n), c.win.mean * 100]];
    }),
  }));
  series.push(noChange(0.5, counts.length + 0.5));
  return lineChartSvg(
    `gold win-rate % against base: ${labeler}`,
    'labels',
    series,
    counts.map((n) => ({ x: x(n), label: String(n) })),
  );
}
