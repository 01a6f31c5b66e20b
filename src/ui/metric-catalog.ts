/**
 * Which metrics the Tune stage can chart: the default charts, every metric name a run logged
 * (TRL's names, such as `objective/kl`, `policy/clipfrac`, DPO's `rewards/margins`, SFT's
 * `loss/sft`), grouped by the prefix before the slash, and the person's choice of extra charts as
 * it travels in the page address.
 */
import type { MetricName } from '../contract/metrics';

export interface MetricGroup {
  /** The part before the first slash; '' for names without one (such as `beta`). */
  prefix: string;
  names: string[];
}

/** The charts always shown, each a list of the metrics it draws together. */
export const DEFAULT_CHARTS: readonly (readonly MetricName[])[] = [
  ['objective/scores', 'gold/score'],
  ['objective/kl'],
  ['objective/entropy'],
  ['policy/clipfrac'],
  ['loss/value'],
  ['beta'],
];

/** The metrics the default charts draw. */
export const DEFAULT_METRICS: readonly string[] = DEFAULT_CHARTS.flat();

/** Groups in the order a reader meets them in TRL's logs; other prefixes follow alphabetically. */
const GROUP_ORDER = [
  'objective',
  'policy',
  'loss',
  'val',
  'rewards',
  'gold',
  'probe',
  'response',
  'budget',
  'numerics',
  'time',
];

/** At most this many extra charts: beyond it a page of charts is unreadable and a link too long. */
export const MAX_EXTRA_CHARTS = 24;

/** Every metric name in the points, each once, in the order first met. */
export function metricNames(points: readonly { metrics: Readonly<Record<string, unknown>> }[]): string[] {
  const seen = new Set<string>();
  for (const p of points) for (const name of Object.keys(p.metrics)) seen.add(name);
  return [...seen];
}

export function metricPrefix(name: string): string {
  const slash = name.indexOf('/');
  return slash <= 0 ? '' : name.slice(0, slash);
}

function groupRank(prefix: string): number {
  const known = GROUP_ORDER.indexOf(prefix);
  if (known >= 0) return known;
  return prefix === '' ? GROUP_ORDER.length + 1 : GROUP_ORDER.length;
}

/** The names grouped by prefix: known groups in TRL's order, then others, then names without a prefix. */
export function groupMetrics(names: Iterable<string>): MetricGroup[] {
  const groups = new Map<string, string[]>();
  for (const name of new Set(names)) {
    const prefix = metricPrefix(name);
    groups.set(prefix, [...(groups.get(prefix) ?? []), name]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => groupRank(a) - groupRank(b) || a.localeCompare(b))
    .map(([prefix, list]) => ({ prefix, names: list.sort((a, b) => a.localeCompare(b)) }));
}

/** A metric name as a link may carry it: TRL-style words, digits, slashes, dots and dashes. */
export function isMetricName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,79}$/.test(name);
}

/** The extra charts in a link's `charts=` value; unreadable names, repeats and defaults are dropped. */
export function parseChartChoice(raw: string | null): string[] {
  if (raw === null) return [];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => isMetricName(s) && !DEFAULT_METRICS.includes(s));
  return [...new Set(names)].slice(0, MAX_EXTRA_CHARTS);
}

/** The `charts=` value for a choice; '' when there is nothing beyond the defaults. */
export function formatChartChoice(names: readonly string[]): string {
  return parseChartChoice(names.join(',')).join(',');
}
