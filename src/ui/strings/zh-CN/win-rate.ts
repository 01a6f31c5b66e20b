/** A win-rate with its interval, in Chinese: "62%（95% 置信区间 51%–72%）", or a dash when there is nothing to judge yet. */
import type * as en from '../format';
import { formatPercent as pct } from '../format';

export const winRateValue: typeof en.winRateValue = (w) =>
  w === null ? '—' : `${pct(w.rate)}（95% 置信区间 ${pct(w.low)}–${pct(w.high)}）`;
