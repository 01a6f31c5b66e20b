/**
 * npm run study-report -- [--study DIR] [--chart DIR] [--page FILE] [--curve | --from-page]
 *
 * Reads the summaries a learning study wrote (DIR/LABELS/LABELER/ALGO/summary.json, as
 * scripts/learning-study.sh lays them out), prints the study's table in Markdown (mean ± 95%
 * interval over seeds, and how many single runs meet each target), writes two charts per labeler
 * into the chart folder (learning-LABELER.svg: gold win-rate against labels, a line per cell;
 * curve-LABELER.svg, for the built-in labelers: the learning curve, a line per algorithm and one
 * for PPO with marked words) and the page's copy of the results (src/ui/study-results.json, shown
 * by the Tune stage). The table alone goes to stdout; the files written are named on stderr. With
 * --curve, stdout gets the learning curve instead: a row per labeler and cell measured at two or
 * more label counts, a column per count. With --from-page, it reads the page's copy (--page)
 * instead of a study folder and writes only the charts of the labelers it holds (the built-in
 * ones): they can be drawn again without the runs.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChartSvg, type SvgSeries } from '../src/ui/svg-chart';
import { fail, parseFlags, runMain } from './lib/cli';
import { isBuiltinLabelerId } from '../src/engine/labelers/builtins';
import { exists, writeAtomic } from './lib/files';
import type { SeedResult, Spread, StudySummary } from './lib/study';
import { curveChart, curveTable, noChange } from './lib/study-curve';
import type { StudyCell, StudyResults } from '../src/ui/study-results';

const USAGE = 'npm run study-report -- [--study DIR] [--chart DIR] [--page FILE] [--curve | --from-page]';
const ALGO_COLOURS: Record<string, string> = {
  ppo: '#cf222e',
  'ppo-vwarm2': '#fb8f44',
  grpo: '#1f6feb',
  rloo: '#8250df',
  dpo: '#2da44e',
  // The kept lever: PPO with up to three marks, the Play its labels earn.
  'ppo-marks3-auto': '#bf8700',
  'ppo-marks3-iters15': '#9a6700',
};
/** A preference most random pairs tie on asks less of a single run (docs/learning.md). */
const SPARSE = new Set(['food']);

/** The targets one 40-label run is measured against (docs/learning.md). */
export function meetsTargets(labeler: string, r: SeedResult): boolean {
  const win = SPARSE.has(labeler) ? 0.65 : 0.7;
  return r.winRate >= win && r.kl <= 10 && !(r.alignmentTax > 0.05) && r.trainSeconds < 180;
}

interface Cell {
  labels: number;
  labeler: string;
  algo: string;
  summary: StudySummary;
}

function dirs(path: string): string[] {
  return exists(path)
    ? readdirSync(path, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];
}

function cells(study: string): Cell[] {
  const out: Cell[] = [];
  for (const labels of dirs(study).filter((d) => /^\d+$/.test(d)))
    for (const labeler of dirs(join(study, labels)))
      for (const algo of dirs(join(study, labels, labeler))) {
        const file = join(study, labels, labeler, algo, 'summary.json');
        if (exists(file))
          out.push({ labels: Number(labels), labeler, algo, summary: JSON.parse(readFileSync(file, 'utf8')) });
      }
  return out.sort((a, b) => a.labeler.localeCompare(b.labeler) || a.labels - b.labels || a.algo.localeCompare(b.algo));
}

/** "71.2 ± 5.3" (a mean and its interval's half-width, scaled), or the mean alone from one seed. */
function pm(s: Spread, scale: number, digits: number): string {
  // JSON turns NaN into null.
  const ok = (x: number | null) => typeof x === 'number' && Number.isFinite(x);
  if (!ok(s.mean)) return '-';
  const mean = (s.mean * scale).toFixed(digits);
  return ok(s.high) && ok(s.low) ? `${mean} ± ${(((s.high - s.low) / 2) * scale).toFixed(digits)}` : mean;
}

function tableRow(c: Cell): string {
  const s = c.summary;
  const runs = s.runs;
  // Each seed with its own bootstrap interval over the 12 held-out prompts.
  const win = runs
    .map((r) => `${(r.winRate * 100).toFixed(1)} [${(r.winLow * 100).toFixed(0)}-${(r.winHigh * 100).toFixed(0)}]`)
    .join(', ');
  const meets = runs.filter((r) => meetsTargets(c.labeler, r)).length;
  const below55 = runs.filter((r) => r.winRate < 0.55).length;
  return `| ${c.labeler} | ${c.labels} | ${c.algo} | ${s.winRate.n} | ${s.winRate.n > 1 ? `${pm(s.winRate, 100, 1)} (${win})` : win} | ${pm(s.kl, 1, 2)} | ${pm(s.alignmentTax, 100, 1)} | ${pm(s.trainSeconds, 1, 0)} | ${meets}/${runs.length} | ${below55} |`;
}

/** One cell's point on a labeler's chart: its label count and mean gold win-rate. */
interface ChartCell {
  labels: number;
  labeler: string;
  cell: string;
  mean: number;
}

function chart(all: readonly ChartCell[], labeler: string): string {
  const mine = all.filter((c) => c.labeler === labeler);
  const algos = [...new Set(mine.map((c) => c.cell))].sort();
  const series: SvgSeries[] = algos.map((algo) => ({
    label: `${algo} (mean over seeds)`,
    color: ALGO_COLOURS[algo] ?? '#57606a',
    points: mine
      .filter((c) => c.cell === algo)
      .map((c): [number, number] => [c.labels, c.mean * 100])
      .sort((a, b) => a[0] - b[0]),
  }));
  const xs = mine.map((c) => c.labels);
  series.push(noChange(Math.min(0, ...xs), Math.max(...xs)));
  return lineChartSvg(`gold win-rate % against base: ${labeler}`, 'labels', series);
}

/** JSON has no NaN: an interval from one seed is null. */
const finiteOrNull = (x: number | null): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/**
 * The page's copy of the study (src/ui/study-results.ts): the built-in labelers' cells, the ones a
 * student can pick in the page (a labeler module's cells stay in docs/learning.md).
 */
export function pageResults(all: readonly Cell[]): StudyResults {
  return {
    cells: all
      .filter((c) => isBuiltinLabelerId(c.labeler))
      .map((c): StudyCell => ({
        labels: c.labels,
        labeler: c.labeler,
        cell: c.algo,
        seeds: c.summary.winRate.n,
        win: {
          mean: c.summary.winRate.mean,
          low: finiteOrNull(c.summary.winRate.low),
          high: finiteOrNull(c.summary.winRate.high),
        },
        below55: c.summary.runs.filter((r) => r.winRate < 0.55).length,
        kl: c.summary.kl.mean,
        seconds: c.summary.trainSeconds.mean,
      })),
  };
}

/** Each labeler's cells, a line per cell, as DIR/learning-LABELER.svg. */
function writeCellCharts(cells: readonly ChartCell[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const labeler of [...new Set(cells.map((c) => c.labeler))]) {
    const file = join(dir, `learning-${labeler}.svg`);
    writeAtomic(file, chart(cells, labeler));
    process.stderr.write(`wrote ${file}\n`);
  }
}

/** The learning curve of each labeler in `cells`, as DIR/curve-LABELER.svg. */
function writeCurveCharts(cells: readonly StudyCell[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const labeler of [...new Set(cells.map((c) => c.labeler))].sort()) {
    const file = join(dir, `curve-${labeler}.svg`);
    writeAtomic(file, curveChart(cells, labeler));
    process.stderr.write(`wrote ${file}\n`);
  }
}

async function main(): Promise<void> {
  const f = parseFlags(
    {
      study: { type: 'string', default: 'runs/study' },
      chart: { type: 'string', default: 'docs/charts' },
      page: { type: 'string', default: 'src/ui/study-results.json' },
      curve: { type: 'boolean', default: false },
      'from-page': { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (f['from-page']) {
    const { cells: page } = JSON.parse(readFileSync(f.page, 'utf8')) as StudyResults;
    writeCellCharts(
      page.map((c) => ({ ...c, mean: c.win.mean })),
      f.chart,
    );
    writeCurveCharts(page, f.chart);
    return;
  }
  const all = cells(f.study);
  if (all.length === 0)
    fail({ code: 'CLI_MISSING', params: { path: `${f.study}/LABELS/LABELER/ALGO/summary.json`, what: 'runFile' } });
  if (f.curve) process.stdout.write(curveTable(all));
  else {
    process.stdout.write(
      '| labeler | labels | algorithm | seeds | gold win-rate %: mean ± 95% t-interval over seeds (each seed [its bootstrap 95% interval]) | KL nats | alignment tax % | s after last label | runs meeting targets | seeds < 55% |\n|---|---|---|---|---|---|---|---|---|---|\n',
    );
    for (const c of all) process.stdout.write(`${tableRow(c)}\n`);
  }
  writeCellCharts(
    all.map((c) => ({ labels: c.labels, labeler: c.labeler, cell: c.algo, mean: c.summary.winRate.mean })),
    f.chart,
  );
  const page = pageResults(all);
  writeCurveCharts(page.cells, f.chart);
  writeAtomic(f.page, `${JSON.stringify(page, null, 2)}\n`);
  process.stderr.write(`wrote ${f.page}\n`);
}

runMain(main);
