/**
 * Sample arguments for every function in the strings tables that the page renders (compare,
 * explain, labelers, labeler names, charts, chart points), by dotted path: the locale tests call
 * each with these in every language. Several argument lists per function reach its branches.
 */
import type { WinRate } from '../../src/engine/eval/win-rate';
import type { LabelerInfo } from '../../src/contract/protocol';
import { METRIC_NAMES } from '../../src/contract/metrics';
import { BUILTIN_LABELER_IDS } from '../../src/engine/labelers/builtins';
import type { ImportNotice } from '../../src/storage/label-matches';

const W: WinRate = { rate: 0.62, low: 0.51, high: 0.72, wins: 30, ties: 4, losses: 16, pairs: 50, groups: 25 };

const LABELERS: LabelerInfo[] = BUILTIN_LABELER_IDS.map((id) => ({ id, title: id, description: '' }));

const NOTICES: ImportNotice[] = [
  { code: 'DUPLICATE_LABEL', kind: 'comparison', file: 'preferences.jsonl', line: 3, labeler: 'alice' },
  { code: 'DUPLICATE_LABEL', kind: 'rating', file: 'ratings.jsonl', line: 7, labeler: 'alice' },
  { code: 'CONFLICTING_COMPARISON', file: 'preferences.jsonl', line: 9, labeler: 'bob' },
  { code: 'CONFLICTING_RATING', file: 'ratings.jsonl', line: 2, labeler: 'bob', stored: 4, imported: 2 },
];

const METRICS = {
  beta: 0.1,
  'objective/kl': 1.25,
  'objective/scores': 0.8,
  'objective/rlhf_reward': 0.67,
  'policy/clipfrac': 0.12,
  'loss/policy': -0.031,
};

const NAMES = new Map([[3, 'after-ppo']]);

export const CALLS: Record<string, unknown[][]> = {
  'compare.choice': [
    ['base', NAMES],
    ['current', NAMES],
    ['checkpoint:3', NAMES],
  ],
  'compare.progress': [
    ['reward', 3, 10],
    ['base', 5, 40],
    ['tuned', 5, 40],
  ],
  'compare.rewardHeadline': [[W]],
  'compare.blindHeadline': [
    [null, 0],
    [W, 12],
  ],
  'compare.yardstickOption': [
    ['happy-endings', LABELERS, true],
    ['keyword:+dog -sad', LABELERS, false],
  ],
  'compare.yardstick': [
    ['animals', LABELERS, true, W],
    ['happy-endings', LABELERS, false, W],
  ],
  'compare.gold': [[0.5, 1.25]],
  'compare.reward': [[-0.4, 0.75]],
  'compare.kl': [[0.42]],
  'compare.distinct': [[0.5, 0.75]],
  'compare.showAll': [[12]],
  'compare.scores': [
    [0.5, 1.2],
    [null, 0.3],
    [0.2, null],
  ],
  'compare.blindProgress': [[2, 10]],
  'compare.blindResult': [
    [3, 2, 1, W],
    [3, 2, 1, null],
  ],
  'explain.model.values': [
    [12345, -2.3],
    [null, null],
  ],
  'explain.label.values': [
    [5, 0.7, 0.1],
    [0, null, null],
  ],
  'explain.reward.values': [
    [0.5, 0.8, 20],
    [null, null, null],
  ],
  'explain.tune.values': [
    [METRICS, 0.1, 0.2],
    [{ ...METRICS, 'objective/kl': -0.2 }, 0.1, 0.2],
    [null, 0.05, 0.2],
  ],
  'explain.compare.values': [
    [W, W, W],
    [null, null, null],
  ],
  'explain.data.values': [[[]], [['κ 0.40']]],
  'labelers.nameRefused': [['empty'], ['tooLong']],
  'labelers.agreementRow': [
    ['alice', 'alice', 3, 0.67, 0.4],
    ['alice', 'bob', 1, 1, null],
  ],
  'labelers.imported': [
    [2, 1, NOTICES],
    [1, 0, []],
  ],
  'labelers.pending': [[2, 1, NOTICES]],
  'labelers.notice': NOTICES.map((n) => [n]),
  'labelerNames.title': [...BUILTIN_LABELER_IDS.map((id) => [id]), ['keyword:+dog -sad']],
  'labelerNames.description': BUILTIN_LABELER_IDS.map((id) => [id]),
  'charts.metricTitle': METRIC_NAMES.map((name) => [name]),
  'charts.groupTitle': [
    ...['objective', 'policy', 'loss', 'val', 'rewards', 'gold', 'probe', 'response', 'budget', 'numerics', 'time'].map(
      (g) => [g],
    ),
    [''],
  ],
  'charts.runName': [
    ['PPO', 3, true],
    ['DPO', 4, false],
  ],
  'charts.settings': [
    ['ppo', 0.1, 0.0001],
    [null, null, null],
  ],
  'charts.date': [[Date.UTC(2026, 11, 3, 18, 30)]],
  'charts.overlayLabel': [['KL', 'PPO #3']],
  'charts.csvLabel': [['PPO #3']],
  'charts.downloadLabel': [['PNG', 'KL']],
  'inspect.chartLabel': [['KL', 'iteration']],
  'inspect.at': [['iteration', 12, 'KL 0.42']],
  'inspect.heading': [[12]],
  'inspect.none': [[3, 50]],
  'inspect.pairsHeading': [[24]],
  'inspect.noPairs': [[24, 10]],
  'inspect.tie': [['Once upon a time']],
  'inspect.probability': [[0.73]],
};
