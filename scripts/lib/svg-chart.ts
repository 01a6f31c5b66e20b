/**
 * A dependency-free SVG of small multiples: one panel per series, sharing the x axis, so proxy
 * reward, gold score and KL can be read side by side (over-optimisation shows as proxy up while
 * gold goes down).
 */
export interface Series {
  title: string;
  points: [number, number][];
  color: string;
}

const W = 640;
const PANEL_H = 150;
const PAD = { left: 60, right: 20, top: 28, bottom: 30 };

function fmt(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(3);
}

function panel(s: Series, index: number, xMax: number): string {
  const y0 = index * PANEL_H;
  const ys = s.points.map((p) => p[1]).filter(Number.isFinite);
  const [lo, hi] = ys.length === 0 ? [0, 1] : [Math.min(...ys), Math.max(...ys)];
  const span = hi - lo || 1;
  const px = (x: number) => PAD.left + (x / Math.max(1, xMax)) * (W - PAD.left - PAD.right);
  const py = (y: number) => y0 + PAD.top + (1 - (y - lo) / span) * (PANEL_H - PAD.top - PAD.bottom);
  const path = s.points
    .filter((p) => Number.isFinite(p[1]))
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`)
    .join(' ');
  const dots = s.points
    .filter((p) => Number.isFinite(p[1]))
    .map((p) => `<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${s.color}"/>`)
    .join('');
  const axisY = y0 + PANEL_H - PAD.bottom;
  return [
    `<text x="${PAD.left}" y="${y0 + 18}" font-size="14" font-weight="600">${s.title}</text>`,
    `<line x1="${PAD.left}" y1="${axisY}" x2="${W - PAD.right}" y2="${axisY}" stroke="#888"/>`,
    `<text x="${PAD.left - 6}" y="${py(hi) + 4}" font-size="11" text-anchor="end">${fmt(hi)}</text>`,
    `<text x="${PAD.left - 6}" y="${py(lo) + 4}" font-size="11" text-anchor="end">${fmt(lo)}</text>`,
    `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
    dots,
  ].join('\n');
}

/** Stacked panels over a shared x axis labelled `xLabel`. */
export function smallMultiplesSvg(series: Series[], xLabel: string): string {
  const xMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[0])));
  const H = series.length * PANEL_H + 20;
  const body = series.map((s, i) => panel(s, i, xMax)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n<text x="${W / 2}" y="${H - 4}" font-size="12" text-anchor="middle">${xLabel}</text>\n</svg>\n`;
}
