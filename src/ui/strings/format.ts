/**
 * Numbers as the page writes them in English: counts, sizes, durations, dates, win-rates and
 * plurals, through `Intl` (./intl.ts). zh-CN/format.ts exports the same functions in Chinese.
 */
import type { WinRate } from '../../engine/eval/win-rate';
import { intls, type PluralForms } from './intl';

const f = intls('en');

export function formatCount(n: number): string {
  if (n >= 1e6) return `${f.number(n / 1e6, 2, 2)} M`;
  if (n >= 1e4) return `${f.number(n / 1e3, 1, 1)} k`;
  return f.number(n, 0);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${f.number(n / (1024 * 1024), 1, 1)} MB`;
  if (n >= 1024) return `${f.number(n / 1024, 1, 1)} kB`;
  return `${f.number(n, 0)} ${f.plural(n, { one: 'byte', other: 'bytes' })}`;
}

export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${f.number(ms, 0)} ms` : `${f.number(ms / 1000, 2, 2)} s`;
}

export function formatPercent(x: number): string {
  return f.percent(x);
}

/** A moment (ms since 1970) as a date and time. */
export function formatDate(ms: number): string {
  return f.date(ms);
}

/** "a, b, and c". */
export function formatList(items: readonly string[]): string {
  return f.list(items);
}

/** The word of `forms` for `n`: plural({ one: 'label is', other: 'labels are' }). */
export function plural(n: number, forms: PluralForms): string {
  return f.plural(n, forms);
}

/** `n` and its word: counted(3, { one: 'label', other: 'labels' }) is "3 labels". */
export function counted(n: number, forms: PluralForms): string {
  return `${f.number(n, 0)} ${f.plural(n, forms)}`;
}

/** "62% (95% interval 51–72%)", or a dash when there is nothing to judge yet. */
export function winRateValue(w: WinRate | null): string {
  return w === null ? '—' : `${formatPercent(w.rate)} (95% interval ${formatPercent(w.low)}–${formatPercent(w.high)})`;
}

/** A metric's latest value to three significant digits; a dash before the first, words for NaN. */
export function formatMetric(x: number | undefined): string {
  if (x === undefined) return '—';
  return Number.isFinite(x) ? x.toPrecision(3) : 'not a number';
}
