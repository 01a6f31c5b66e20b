/** The printed form of a bench report: the machine, then one table per case. */
import type { BenchReport } from './bench';
import type { Row } from './types';

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Three significant digits, without exponent notation for the sizes the bench produces. */
export function formatValue(v: number | null): string {
  if (v === null) return 'n/a';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toFixed(digits);
}

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

function rowsTable(rows: Row[]): string[] {
  const cells = rows.map((r) => [r.metric, formatValue(r.value), r.unit, r.note ?? '']);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) => `  ${pad(c[0], widths[0])}  ${pad(c[1], widths[1], true)} ${pad(c[2], widths[2])}  ${c[3]}`.trimEnd());
}

/** The whole report as lines of text. */
export function formatReport(report: BenchReport): string {
  const m = Object.entries(report.machine).map(([k, v]) => `${k}: ${String(v)}`).join(' | ');
  const lines = [`machine: ${m}`, `sizes: ${report.sizesName}, clock: ${report.clock} (medians of repeats after warm-up)`];
  for (const c of report.cases) lines.push('', `${c.title} [${c.name}, ${c.seconds.toFixed(1)} s]`, ...rowsTable(c.rows));
  return lines.join('\n');
}
