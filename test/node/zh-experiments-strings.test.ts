// The Chinese for the experiments page, rendered next to the English: every experiment's texts and
// every sentence that reads a run's numbers, with the same numbers and symbols as the English, and
// "what happened" written line for line as the English writes it.
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS } from '../../src/contract/experiments';
import type { Reading } from '../../src/ui/experiment-evidence';
import * as en from '../../src/ui/strings/experiments';
import * as zh from '../../src/ui/strings/zh-CN/experiments';
import { at, checkPair, expectChinese, leaves, shownValues } from '../helpers/zh-check';

const METRICS = ['objective/scores', 'gold/score', 'objective/kl', 'eval/distinct_2', 'loss/value'];
const ARMS = ['beta0', 'lr10', 'broken', 'fixed', 'noisy', 'ppo', 'dpo', 'other'];

/** Sample arguments for every function of the experiments strings, by path; several where a branch differs. */
const SAMPLES: Record<string, unknown[][]> = {
  open: [['奖励投机']],
  progress: [[3, 10]],
  labelled: [
    [12, 0],
    [12, 6],
  ],
  rewardAccuracy: [
    [0.75, 8],
    [NaN, 0],
  ],
  sampleMeta: [
    ['beta0', 4, 1.234],
    ['dpo', 2, null],
    ['ppo', 3, 123.4],
  ],
  chartTitle: METRICS.map((m) => [m]),
  armName: ARMS.map((arm) => [arm]),
  moved: [
    ['objective/scores', 'beta0', 0.1, 1.52, 1],
    ['gold/score', 'beta0', 0.5, -0.2, 2],
    ['objective/kl', 'lr10', 3, 3, 1],
    ['eval/distinct_2', 'noisy', 0.4, 0.3, 2],
    ['loss/value', 'ppo', 150, 160, 2],
  ],
  belowZero: [
    ['objective/kl', 'broken', -0.4],
    ['objective/kl', 'fixed', 0.2],
  ],
  joined: [[['代理奖励上升']], [['代理奖励上升', '金标准分数下降']]],
  notHeld: [[['代理奖励']], [['代理奖励', '金标准分数']]],
  comparison: [
    ['ppo', 0.8, 'dpo', 0.5],
    ['ppo', 0.4, 'dpo', 0.9],
    ['ppo', 0.5, 'dpo', 0.5],
  ],
};

describe('zh-CN experiment texts', () => {
  it('has every experiment, each with every English field', () => {
    expect(Object.keys(zh.EXPERIMENT_TEXT).sort()).toEqual([...EXPERIMENT_IDS].sort());
    for (const id of EXPERIMENT_IDS)
      expect(Object.keys(zh.EXPERIMENT_TEXT[id]).sort()).toEqual(Object.keys(en.EXPERIMENT_TEXT[id]).sort());
  });

  it.each(leaves(zh.EXPERIMENT_TEXT))('%s reads as Chinese with the English numbers and symbols', (path, text) => {
    const english = at(en.EXPERIMENT_TEXT, path) as string;
    expectChinese(text as string);
    expect(text).not.toBe(english);
    for (const kept of english.match(/\d+%?|β|π_ref|top-k|distinct-2/g) ?? []) expect(text, kept).toContain(kept);
  });
});

describe('zh-CN experiments page', () => {
  const zhLeaves = leaves(zh.experiments);

  it('has every English key, and only those', () => {
    expect(zhLeaves.map(([p]) => p)).toEqual(leaves(en.experiments).map(([p]) => p));
  });

  it.each(zhLeaves.filter(([, v]) => typeof v === 'string'))('%s reads as Chinese', (path, text) => {
    expectChinese(text as string);
    expect(text).not.toBe(at(en.experiments, path));
  });

  it.each(zhLeaves.filter(([, v]) => typeof v === 'function'))('%s renders its samples', (path, fn) => {
    const samples = SAMPLES[path];
    expect(samples, `samples for ${path}`).toBeDefined();
    const english = at(en.experiments, path) as (...args: unknown[]) => string;
    for (const args of samples) {
      const text = (fn as (...a: unknown[]) => string)(...args);
      // Arm keys are codes the sentence names (armName), not values it shows.
      const values = shownValues(args).filter((v) => v === 'other' || !ARMS.includes(v));
      checkPair(english(...args), text, values);
    }
  });

  it('names each arm and metric differently', () => {
    expect(new Set(ARMS.map(zh.experiments.armName)).size).toBe(ARMS.length);
    expect(new Set(METRICS.map(zh.experiments.chartTitle)).size).toBe(METRICS.length);
    const moves = SAMPLES.moved.map((a) => (zh.experiments.moved as (...x: unknown[]) => string)(...a));
    expect(moves[0]).toContain('上升');
    expect(moves[1]).toContain('下降');
    expect(moves[2]).toContain('保持在');
  });
});

const reading = (metric: string, arm: string, from: number, to: number, extra: Partial<Reading> = {}): Reading => ({
  metric,
  arm,
  expect: null,
  from,
  to,
  held: null,
  ...extra,
});

describe('zh-CN what happened', () => {
  const cases: [string, Reading[], Reading[], number][] = [
    [
      'the failure shown',
      [
        reading('objective/scores', 'beta0', 0.12, 1.52, { expect: 'rises', held: true }),
        reading('gold/score', 'beta0', 0.4, -0.31, { expect: 'falls', held: true }),
      ],
      [],
      1,
    ],
    [
      'the failure not shown',
      [
        reading('objective/kl', 'lr10', 0.5, 4.25, { expect: 'rises', held: true }),
        reading('eval/distinct_2', 'lr10', 0.61, 0.66, { expect: 'falls', held: false }),
      ],
      [],
      1,
    ],
    [
      'two arms side by side',
      [reading('objective/kl', 'broken', 0.1, -0.42, { expect: 'below-zero', held: true })],
      [
        reading('gold/score', 'broken', 0.2, 0.15),
        reading('objective/kl', 'broken', 0.1, -0.42),
        reading('gold/score', 'fixed', 0.2, 0.35),
        reading('objective/kl', 'fixed', 0.1, 0.8),
      ],
      2,
    ],
    ['nothing measured', [], [], 1],
  ];

  it.each(cases)('%s: line for line as the English', (_name, readings, armReadings, arms) => {
    const english = en.whatHappened(readings, armReadings, arms);
    const chinese = zh.whatHappened(readings, armReadings, arms);
    expect(chinese).toHaveLength(english.length);
    const values = [...readings, ...armReadings].flatMap((r) => [r.from.toFixed(2), r.to.toFixed(2)]);
    chinese.forEach((line, i) => checkPair(english[i], line, values));
  });
});
