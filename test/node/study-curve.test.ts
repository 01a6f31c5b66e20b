import { describe, expect, it } from 'vitest';
import { curveTable, type CurveCell } from '../../scripts/lib/study-curve';

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
