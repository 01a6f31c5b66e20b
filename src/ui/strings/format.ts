/** Numbers as the page writes them: counts, sizes, durations, win-rates. */
import type { WinRate } from '../../engine/eval/win-rate';

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

/** "62% (95% interval 51–72%)", or a dash when there is nothing to judge yet. */
export function winRateValue(w: WinRate | null): string {
  return w === null ? '—' : `${formatPercent(w.rate)} (95% interval ${formatPercent(w.low)}–${formatPercent(w.high)})`;
}
