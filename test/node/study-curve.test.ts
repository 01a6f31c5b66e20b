import { describe, expect, it } from 'vitest';
import { curveChart, curveTable, type CurveCell } from '../../scripts/lib/study-curve';
import type { StudyCell } from '../../src/ui/study-results';

/** A cell whose seeds won these rates. */
function cell(labels: number, labeler: string, algo: string, rates: number[]): CurveCell {
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  return {
    labels,
    labeler,
    algo,
    summary: {
      winRate: { n: rates.length, mean },
      runs: rates.map((winRate) => ({ winRate })),
    },
  };
}

describe('the learning-curve table', () => {
  it('has a column per label count and a row per cell measured at two or more counts, with seeds and seeds below 55%', () => {
    const table = curveTable([
      cell(40, 'animals', 'ppo', [0.5, 0.7, 0.6]),
      cell(20, 'animals', 'ppo', [0.45, 0.6]),
      cell(40, 'animals', 'ppo-beta0.02', [0.6]),
      cell(100, 'food', 'dpo', [0.5]),
      cell(20, 'food', 'dpo', [0.6, 0.7]),
    ]);
    expect(table.split('\n')).toEqual([
      '| labeler | cell | 20 labels | 40 labels | 100 labels |',
      '|---|---|---|---|---|',
      '| animals | ppo | 52.5 (2, 1 < 55%) | 60.0 (3, 1 < 55%) | - |',
      '| food | dpo | 65.0 (2) | - | 50.0 (1, 1 < 55%) |',
      '',
    ]);
  });
});

/** A cell as the page's copy of the study holds it. */
function pageCell(labels: number, labeler: string, cell: string, mean: number, seeds = 3): StudyCell {
  return { labels, labeler, cell, seeds, win: { mean, low: null, high: null }, below55: 0, kl: 2, seconds: 100 };
}

/** The polyline of the series drawn in `color`, as its points' pixel coordinates. */
function path(svg: string, color: string): [number, number][] {
  const d = new RegExp(`<path d="([^"]*)" fill="none" stroke="${color}"`).exec(svg)?.[1] ?? '';
  return [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('the learning-curve chart', () => {
  const cells = [
    pageCell(20, 'animals', 'ppo-vwarm2', 0.48),
    pageCell(40, 'animals', 'ppo-vwarm2', 0.6, 5),
    pageCell(100, 'animals', 'ppo-vwarm2', 0.6),
    pageCell(40, 'animals', 'dpo', 0.58, 5),
    pageCell(20, 'animals', 'ppo-marks3-auto', 0.67),
    pageCell(40, 'animals', 'ppo-marks3-auto', 0.9, 1),
    pageCell(40, 'animals', 'ppo-marks3-iters15', 0.71, 5),
    pageCell(40, 'animals', 'ppo-beta0.02', 0.99), // a lever: not a line
    pageCell(40, 'food', 'dpo', 0.1), // another labeler
  ];
  const svg = curveChart(cells, 'animals');

  it('draws a line per algorithm measured, the marks line from whichever cell has more seeds, and names the counts', () => {
    for (const label of ['PPO (the page)', 'DPO', 'PPO, up to 3 marked words per response'])
      expect(svg).toContain(`${label}, mean over seeds`);
    expect(svg).not.toContain('GRPO');
    expect(svg).not.toContain('RLOO');
    for (const n of ['20', '40', '100']) expect(svg).toMatch(new RegExp(`text-anchor="middle">${n}</text>`));
    const ppo = path(svg, '#fb8f44');
    const marks = path(svg, '#9a6700');
    const dpo = path(svg, '#2da44e');
    expect(ppo).toHaveLength(3);
    expect(dpo).toHaveLength(1);
    expect(marks).toHaveLength(2);
    // Evenly spaced counts: the three PPO points are equally far apart.
    expect(ppo[1][0] - ppo[0][0]).toBeCloseTo(ppo[2][0] - ppo[1][0], 1);
    // Higher win-rate is higher on the page (smaller y): the 5-seed 71% marks cell at 40 labels is
    // drawn, below DPO's 58% there would be wrong, and the 1-seed 90% cell is not the top of the chart.
    expect(marks[1][0]).toBeCloseTo(ppo[1][0], 1);
    expect(marks[1][1]).toBeLessThan(dpo[0][1]);
    const ys = [...ppo, ...marks, ...dpo].map((p) => p[1]);
    expect(Math.min(...ys)).toBeCloseTo(marks[1][1], 1);
    expect(svg).toContain('>71.0</text>');
  });
});
