/** The printed form of a bench report: the machine, then one table per case. */
import type { BenchReport } from './bench';
import type { Row } from './types';

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Three significant digits, without exponent notation for the sizes the bench produces. */
export function formatValue(v: number | null): string {
  if (v === null) return 'n/a';
  const abs = Math.abs(v);
  if (Number.isInteger(v) || abs >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

/** Rows aligned in columns: metric, value, unit, note. */
export function rowsTable(rows: Row[]): string[] {
  const cells = rows.map((r) => [r.metric, formatValue(r.value), r.unit, r.note ?? '']);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) =>
    `  ${pad(c[0], widths[0])}  ${pad(c[1], widths[1], true)} ${pad(c[2], widths[2])}  ${c[3]}`.trimEnd(),
  );
}

export const SOFTWARE_ADAPTER_WARNING =
  'WARNING: the GPU adapter is a software one (SwiftShader: the GPU emulated on the CPU). These figures show that the GPU path works; they say nothing about its speed on a GPU.';

/** The whole report as lines of text. */
export function formatReport(report: BenchReport): string {
  const m = Object.entries(report.machine)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' | ');
  const lines = [
    `machine: ${m}`,
    `sizes: ${report.sizesName}, clock: ${report.clock} (medians of repeats after warm-up)`,
  ];
  if (report.machine.softwareAdapter === true) lines.push(SOFTWARE_ADAPTER_WARNING);
  for (const c of report.cases)
    lines.push('', `${c.title} [${c.name}, ${c.seconds.toFixed(1)} s]`, ...rowsTable(c.rows));
  return lines.join('\n');
}
