/**
 * Charts as small, dependency-free SVG files: one chart of several series (the page's chart
 * downloads, live run and overlaid earlier runs together) and stacked small multiples (the CLI's
 * proxy reward, gold score and KL over a shared x axis, where over-optimisation shows as proxy up
 * while gold goes down). Plain strings in and out, so the page and the scripts share it.
 */
export interface SvgSeries {
  label: string;
  /** [x, y] pairs; a non-finite y is left out of the line. */
  points: [number, number][];
  color: string;
  /** An SVG stroke-dasharray such as "8 5"; solid when absent. */
  dash?: string;
}

/** The small multiples' older name for a series: one panel each, titled. */
export interface Series {
  title: string;
  points: [number, number][];
  color: string;
}

const W = 640;
const PANEL_H = 150;
const PAD = { left: 60, right: 20, top: 28, bottom: 30 };

/** Text and attribute values are escaped: titles and metric names are free text. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(3);
}

interface Frame {
  /** Top of the plotting panel's band (title included). */
  y0: number;
  height: number;
  xMin: number;
  xMax: number;
  /** Labels written under the x axis at these x values; none when absent. */
  xTicks?: readonly XTick[];
}

/** A label under the x axis, such as "40" at x = 40 (or at an ordinal position). */
export interface XTick {
  x: number;
  label: string;
}

/** One panel: title, x axis line, y range labels, and each series as a path with dots. */
function panel(title: string, series: SvgSeries[], frame: Frame): string {
  const { y0, height, xMin, xMax, xTicks = [] } = frame;
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const [lo, hi] = ys.length === 0 ? [0, 1] : [Math.min(...ys), Math.max(...ys)];
  const span = hi - lo || 1;
  const px = (x: number) => PAD.left + ((x - xMin) / Math.max(1, xMax - xMin)) * (W - PAD.left - PAD.right);
  const py = (y: number) => y0 + PAD.top + (1 - (y - lo) / span) * (height - PAD.top - PAD.bottom);
  const lines = series.map((s) => {
    const finite = s.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    const path = finite.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
    const dash = s.dash === undefined ? '' : ` stroke-dasharray="${escapeXml(s.dash)}"`;
    const dots = finite
      .map(
        (p) => `<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${escapeXml(s.color)}"/>`,
      )
      .join('');
    return `<path d="${path}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="2"${dash}/>\n${dots}`;
  });
  const axisY = y0 + height - PAD.bottom;
  return [
    `<text x="${PAD.left}" y="${y0 + 18}" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
    `<line x1="${PAD.left}" y1="${axisY}" x2="${W - PAD.right}" y2="${axisY}" stroke="#888"/>`,
    `<text x="${PAD.left - 6}" y="${py(hi) + 4}" font-size="11" text-anchor="end">${fmt(hi)}</text>`,
    `<text x="${PAD.left - 6}" y="${py(lo) + 4}" font-size="11" text-anchor="end">${fmt(lo)}</text>`,
    ...xTicks.map(
      (t) =>
        `<text x="${px(t.x).toFixed(1)}" y="${axisY + 14}" font-size="11" text-anchor="middle">${escapeXml(t.label)}</text>`,
    ),
    ...lines,
  ].join('\n');
}

function xRange(series: { points: [number, number][] }[]): { xMin: number; xMax: number } {
  const xs = series.flatMap((s) => s.points.map((p) => p[0])).filter(Number.isFinite);
  return { xMin: Math.min(0, ...xs), xMax: Math.max(1, ...xs) };
}

function document(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}

/**
 * One chart of several series over x labelled `xLabel`, with a legend naming each series, and
 * `xTicks` written under the axis where given.
 */
export function lineChartSvg(title: string, xLabel: string, series: SvgSeries[], xTicks?: readonly XTick[]): string {
  // Tick labels sit under the axis, so the axis's name and the legend move down a line.
  const below = xTicks === undefined || xTicks.length === 0 ? 0 : 12;
  const top = PANEL_H + 40 + below;
  const height = top + series.length * 18;
  const chart = panel(title, series, { y0: 0, height: PANEL_H + 40, ...xRange(series), xTicks });
  const legend = series.map((s, i) => {
    const y = top + 14 + i * 18;
    const dash = s.dash === undefined ? '' : ` stroke-dasharray="${escapeXml(s.dash)}"`;
    return `<line x1="${PAD.left}" y1="${y - 4}" x2="${PAD.left + 28}" y2="${y - 4}" stroke="${escapeXml(s.color)}" stroke-width="2"${dash}/><text x="${PAD.left + 36}" y="${y}" font-size="12">${escapeXml(s.label)}</text>`;
  });
  const axis = `<text x="${W / 2}" y="${PANEL_H + 34 + below}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`;
  return document(W, height, [chart, axis, ...legend].join('\n'));
}

/** Stacked panels, one per series, over a shared x axis labelled `xLabel`. */
export function smallMultiplesSvg(series: Series[], xLabel: string): string {
  const range = xRange(series);
  const H = series.length * PANEL_H + 20;
  const body = series
    .map((s, i) =>
      panel(s.title, [{ label: s.title, points: s.points, color: s.color }], {
        y0: i * PANEL_H,
        height: PANEL_H,
        ...range,
      }),
    )
    .join('\n');
  return document(
    W,
    H,
    `${body}\n<text x="${W / 2}" y="${H - 4}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  );
}
