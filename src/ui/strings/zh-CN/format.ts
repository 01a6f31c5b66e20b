/** 页面用中文书写的数字：计数、大小、时长、日期、胜率，经由 `Intl`（../intl.ts）。 */
import type * as en from '../format';
import { intls } from '../intl';

const f = intls('zh-CN');

/** 12345 → "1.2万"：中文按万、亿计数。 */
export const formatCount: typeof en.formatCount = (n) => (n >= 1e4 ? f.compact(n) : f.number(n, 0));

export const formatBytes: typeof en.formatBytes = (n) => {
  if (n >= 1024 * 1024) return `${f.number(n / (1024 * 1024), 1, 1)} MB`;
  if (n >= 1024) return `${f.number(n / 1024, 1, 1)} KB`;
  return `${f.number(n, 0)} 字节`;
};

export const formatSeconds: typeof en.formatSeconds = (ms) =>
  ms < 1000 ? `${f.number(ms, 0)} 毫秒` : `${f.number(ms / 1000, 2, 2)} 秒`;

export const formatPercent: typeof en.formatPercent = (x) => f.percent(x);

export const formatDate: typeof en.formatDate = (ms) => f.date(ms);

export const formatList: typeof en.formatList = (items) => f.list(items);

/** 中文名词没有复数形式：只有 `other` 一类。 */
export const plural: typeof en.plural = (n, forms) => f.plural(n, forms);

export const counted: typeof en.counted = (n, forms) => `${f.number(n, 0)} ${f.plural(n, forms)}`;

export const winRateValue: typeof en.winRateValue = (w) =>
  w === null ? '—' : `${formatPercent(w.rate)}（95% 置信区间 ${formatPercent(w.low)}–${formatPercent(w.high)}）`;

export const formatMetric: typeof en.formatMetric = (x) => {
  if (x === undefined) return '—';
  return Number.isFinite(x) ? x.toPrecision(3) : '非数值';
};
