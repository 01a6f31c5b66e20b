/**
 * Sample arguments for every string function of the panels' modules (compare, explain, labelers,
 * labeler names, charts, chart points), by path (module.export.key); see string-samples.ts.
 */
import type { WinRate } from '../../src/engine/eval/win-rate';
import type { LabelerInfo } from '../../src/contract/protocol';
import { METRIC_NAMES } from '../../src/contract/metrics';
import { BUILTIN_LABELER_IDS } from '../../src/engine/labelers/builtins';
import type { ImportNotice } from '../../src/storage/label-matches';

export const WIN: WinRate = { rate: 0.62, low: 0.51, high: 0.72, wins: 30, ties: 4, losses: 16, pairs: 50, groups: 25 };

const LABELERS: LabelerInfo[] = BUILTIN_LABELER_IDS.map((id) => ({ id, title: id, description: '' }));

const NOTICES: ImportNotice[] = [
  { code: 'DUPLICATE_LABEL', kind: 'comparison', file: 'preferences.jsonl', line: 3, labeler: 'alice' },
  { code: 'DUPLICATE_LABEL', kind: 'rating', file: 'ratings.jsonl', line: 7, labeler: 'alice' },
  { code: 'DUPLICATE_LABEL', kind: 'comparison', file: 'preferences.jsonl', line: 4, labeler: 'alice', marksAdded: 2 },
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

export const PANEL_SAMPLES: Record<string, unknown[][]> = {
  'compare.isSimulatedLabeler': [
    ['happy-endings', LABELERS],
    ['keyword:+dog', LABELERS],
    ['alice', LABELERS],
  ],
  'compare.compare.choice': [
    ['base', NAMES],
    ['current', NAMES],
    ['checkpoint:3', NAMES],
  ],
  'compare.compare.progress': [
    ['reward', 3, 10],
    ['base', 5, 40],
    ['tuned', 5, 40],
  ],
  'compare.compare.rewardHeadline': [[WIN]],
  'compare.compare.blindHeadline': [
    [null, 0],
    [WIN, 12],
  ],
  'compare.compare.yardstickOption': [
    ['happy-endings', LABELERS, true],
    ['keyword:+dog -sad', LABELERS, false],
  ],
  'compare.compare.yardstick': [
    ['animals', LABELERS, true, WIN],
    ['happy-endings', LABELERS, false, WIN],
  ],
  'compare.compare.gold': [[0.5, 1.25]],
  'compare.compare.agreement': [[0.625, 40]],
  'compare.compare.reward': [[-0.4, 0.75]],
  'compare.compare.kl': [[0.42]],
  'compare.compare.distinct': [[0.5, 0.75]],
  'compare.compare.showAll': [[12]],
  'compare.compare.scores': [
    [0.5, 1.2],
    [null, 0.3],
    [0.2, null],
  ],
  'compare.compare.blindProgress': [[2, 10]],
  'compare.compare.blindResult': [
    [3, 2, 1, WIN],
    [3, 2, 1, null],
  ],
  'explain.explain.model.values': [
    [12345, -2.3],
    [null, null],
  ],
  'explain.explain.label.values': [
    [5, 0.7, 0.1],
    [0, null, null],
  ],
  'explain.explain.reward.values': [
    [0.5, 0.8, 20],
    [null, null, null],
  ],
  'explain.explain.tune.values': [
    [METRICS, 0.1, 0.2],
    [{ ...METRICS, 'objective/kl': -0.2 }, 0.1, 0.2],
    [null, 0.05, 0.2],
  ],
  'explain.explain.compare.values': [
    [WIN, WIN, WIN],
    [null, null, null],
  ],
  'explain.explain.data.values': [[[]], [['κ 0.40']]],
  'labelers.labelers.nameRefused': [['empty'], ['tooLong']],
  'labelers.labelers.agreementRow': [
    ['alice', 'alice', 3, 0.67, 0.4],
    ['alice', 'bob', 1, 1, null],
  ],
  'labelers.labelers.imported': [
    [2, 1, NOTICES],
    [1, 0, []],
  ],
  'labelers.labelers.pending': [[2, 1, NOTICES]],
  'labelers.labelers.notice': NOTICES.map((n) => [n]),
  'labelerNames.labelerNames.title': [...BUILTIN_LABELER_IDS.map((id) => [id]), ['keyword:+dog -sad']],
  'labelerNames.labelerNames.description': BUILTIN_LABELER_IDS.map((id) => [id]),
  'charts.charts.metricTitle': METRIC_NAMES.map((name) => [name]),
  'charts.charts.groupTitle': [
    ...['objective', 'policy', 'loss', 'val', 'rewards', 'gold', 'probe', 'response', 'budget', 'numerics', 'time'].map(
      (g) => [g],
    ),
    [''],
  ],
  'charts.charts.runName': [
    ['PPO', 3, true],
    ['DPO', 4, false],
  ],
  'charts.charts.settings': [
    ['ppo', 0.1, 0.0001],
    [null, null, null],
  ],
  'charts.charts.date': [[Date.UTC(2026, 11, 3, 18, 30)]],
  'charts.charts.overlayLabel': [['KL', 'PPO #3']],
  'charts.charts.csvLabel': [['PPO #3']],
  'charts.charts.downloadLabel': [['PNG', 'KL']],
  'inspect.inspect.chartLabel': [['KL', 'iteration']],
  'inspect.inspect.at': [['iteration', 12, 'KL 0.42']],
  'inspect.inspect.heading': [[12]],
  'inspect.inspect.none': [[3, 50]],
  'inspect.inspect.pairsHeading': [[24]],
  'inspect.inspect.noPairs': [[24, 10]],
  'inspect.inspect.tie': [['Once upon a time']],
  'inspect.inspect.probability': [[0.73]],
};
