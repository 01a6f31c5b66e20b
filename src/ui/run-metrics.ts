/**
 * A run's metrics as data: the rows a CSV download holds, the short summary the run list shows,
 * and series of different runs put on one x axis so an earlier run can be drawn over the live one.
 */
import type { MetricPoint } from './tune-warnings';
import { metricNames } from './metric-catalog';

/** One field of a CSV row (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The metrics as CSV: a header of `iteration` then every metric name (TRL's, in the order first
 * logged), one row per iteration; a missing or non-finite value is an empty field. Numbers are
 * written in full (the shortest text that reads back as the same double).
 */
export function metricsCsv(points: readonly MetricPoint[]): string {
  const names = metricNames(points);
  const header = ['iteration', ...names].map(csvField).join(',');
  const rows = points.map((p) =>
    [String(p.iteration), ...names.map((n) => (Number.isFinite(p.metrics[n]) ? String(p.metrics[n]) : ''))].join(','),
  );
  return [header, ...rows].map((line) => `${line}\r\n`).join('');
}

/** Stored points (null for a value that was not finite) as the chart's points. */
export function toMetricPoints(
  points: readonly { step: number; values: Record<string, number | null> }[],
): MetricPoint[] {
  return points.map((p) => ({
    iteration: p.step,
    metrics: Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, v ?? NaN])),
  }));
}

/** One line of a chart: values at given x; non-finite values are gaps. */
export interface XYSeries {
  x: readonly number[];
  y: readonly number[];
}

/**
 * Series on one sorted x axis (the union of their x). Where a series has no value at an x its
 * entry is undefined (the line passes over it); a value it logged as non-finite stays NaN (a gap).
 */
export function alignSeries(series: readonly XYSeries[]): { x: number[]; values: (number | undefined)[][] } {
  const x = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const values = series.map((s) => {
    const row: (number | undefined)[] = new Array<number | undefined>(x.length).fill(undefined);
    s.x.forEach((xi, i) => (row[index.get(xi) ?? 0] = s.y[i]));
    return row;
  });
  return { x, values };
}

/** One metric of a run as an x/y series over iterations. */
export function metricSeries(points: readonly MetricPoint[], name: string): XYSeries {
  const logged = points.filter((p) => name in p.metrics);
  return { x: logged.map((p) => p.iteration), y: logged.map((p) => p.metrics[name] ?? NaN) };
}

/** What the run list shows of a stored run's settings, read defensively (older runs stored less). */
export interface RunSettingsSummary {
  algorithm: string | null;
  beta: number | null;
  learningRate: number | null;
}

export function runSettings(config: unknown): RunSettingsSummary {
  const fields: Record<string, unknown> = typeof config === 'object' && config !== null ? { ...config } : {};
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    algorithm: typeof fields.algorithm === 'string' ? fields.algorithm : null,
    beta: num(fields.beta),
    learningRate: num(fields.learningRate),
  };
}

/** A file name made of plain letters, digits and dashes, from a chart title or a run name. */
export function fileStem(text: string): string {
  const stem = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return stem === '' ? 'chart' : stem.slice(0, 60);
}

/** One line of a chart: `key` indexes the chart's metrics, `run` is 0 for the live run and 1, 2 for overlays. */
export interface ChartLine {
  label: string;
  values: (number | undefined)[];
  key: number;
  run: number;
}

/**
 * The lines of one chart of `keys`: the live run's, then each overlaid run's (only the metrics it
 * logged), all on one x axis.
 */
export function chartLines(
  keys: readonly string[],
  live: readonly MetricPoint[],
  overlays: readonly { label: string; points: readonly MetricPoint[] }[],
  seriesLabel: (key: string) => string,
  overlayLabel: (series: string, run: string) => string,
): { x: number[]; lines: ChartLine[] } {
  const wanted = [
    ...keys.map((key, k) => ({ series: metricSeries(live, key), label: seriesLabel(key), key: k, run: 0 })),
    ...overlays.flatMap((o, r) =>
      keys.flatMap((key, k) =>
        o.points.some((p) => key in p.metrics)
          ? [
              {
                series: metricSeries(o.points, key),
                label: overlayLabel(seriesLabel(key), o.label),
                key: k,
                run: r + 1,
              },
            ]
          : [],
      ),
    ),
  ];
  // The live run's own iterations are always on the axis, even before it logged a metric.
  const axis: XYSeries = { x: live.map((p) => p.iteration), y: live.map(() => NaN) };
  const { x, values } = alignSeries([axis, ...wanted.map((w) => w.series)]);
  return { x, lines: wanted.map((w, i) => ({ label: w.label, values: values[i + 1], key: w.key, run: w.run })) };
}
