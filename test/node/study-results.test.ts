// The page's copy of the learning study: what the Tune stage's one line reads from it.
import { describe, expect, it } from 'vitest';
import { LEARNING_STUDY_LABELS, STUDY_DEFAULT_CELLS } from '../../src/contract/learning-defaults';
import { MARKED_PLAY_CELLS } from '../../src/contract/marked-play';
import { STUDY, defaultCells, winRange, type StudyResults } from '../../src/ui/study-results';
import { isBuiltinLabelerId } from '../../src/engine/labelers/builtins';

const cell = (labeler: string, c: string, mean: number, labels = 40) => ({
  labels,
  labeler,
  cell: c,
  seeds: 3,
  win: { mean, low: mean - 0.1, high: mean + 0.1 },
  below55: 0,
  kl: 2,
  seconds: 90,
});

describe('the learning study in the page', () => {
  it('reads the cells of the default algorithm at the study’s label count, without levers', () => {
    const study: StudyResults = {
      cells: [
        cell('animals', 'ppo', 0.5),
        cell('dialogue', 'ppo', 0.7),
        cell('dialogue', 'ppo-lr1e-4', 0.9),
        cell('dialogue', 'ppo', 0.95, 100),
        cell('dialogue', 'dpo', 0.2),
      ],
    };
    const mine = defaultCells(study, 'ppo', 40);
    expect(mine.map((c) => c.labeler)).toEqual(['animals', 'dialogue']);
    expect(winRange(mine)).toEqual({ low: 0.5, high: 0.7 });
    expect(winRange([])).toBeNull();
  });

  it('ships results for every algorithm the study measured at the page’s defaults', () => {
    for (const cell of [...Object.values(STUDY_DEFAULT_CELLS), ...Object.values(MARKED_PLAY_CELLS)])
      expect(defaultCells(STUDY, cell!, LEARNING_STUDY_LABELS).length, cell).toBeGreaterThan(0);
    for (const c of STUDY.cells) {
      expect(c.win.mean).toBeGreaterThanOrEqual(0);
      expect(c.win.mean).toBeLessThanOrEqual(1);
      expect(c.seeds).toBeGreaterThan(0);
      expect(c.below55).toBeLessThanOrEqual(c.seeds);
    }
  });
});

describe('the page’s copy of the study', () => {
  it('holds the built-in labelers only, whose names the page shows in every language', () => {
    const labelers = new Set(STUDY.cells.map((c) => c.labeler));
    expect(labelers.size).toBeGreaterThan(0);
    for (const labeler of labelers) expect(isBuiltinLabelerId(labeler)).toBe(true);
  });
});
