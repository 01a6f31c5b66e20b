/**
 * Sample arguments for every string function of the page's own modules (shell, stages, format,
 * backend failures, offline), by path (module.export.key): the locale tests call each with these
 * in every language. Several argument lists per function reach its branches. The panels' modules
 * are in string-samples-panels.ts; message codes in message-samples.ts.
 */
import { PANEL_SAMPLES, WIN } from './string-samples-panels';

const config = { nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 256, vocabSize: 4096 };

const METRICS = ['objective/scores', 'gold/score', 'objective/kl', 'eval/distinct_2', 'loss/value'];
const ARMS = ['beta0', 'lr10', 'broken', 'fixed', 'noisy', 'ppo', 'dpo', 'other'];
const reading = (metric: string, arm: string, from: number, to: number, more: object = {}) => ({
  metric,
  arm,
  expect: null,
  from,
  to,
  than: null,
  held: null,
  ...more,
});

export const STRING_SAMPLES: Record<string, unknown[][]> = {
  ...PANEL_SAMPLES,
  'experiments.experiments.open': [['Reward hacking']],
  'experiments.experiments.progress': [[3, 10]],
  'experiments.experiments.labelled': [
    [12, 0],
    [12, 6],
  ],
  'experiments.experiments.rewardAccuracy': [
    [0.75, 8],
    [Number.NaN, 0],
  ],
  'experiments.experiments.sampleMeta': [
    ['beta0', 4, 1.234],
    ['dpo', 2, null],
    ['ppo', 3, 123.4],
  ],
  'experiments.experiments.chartTitle': METRICS.map((m) => [m]),
  'experiments.experiments.armName': ARMS.map((arm) => [arm]),
  'experiments.experiments.moved': [
    ['objective/scores', 'beta0', 0.1, 1.52, 1],
    ['gold/score', 'beta0', 0.5, -0.2, 2],
    ['objective/kl', 'lr10', 3, 3, 1],
    ['eval/distinct_2', 'noisy', 0.4, 0.3, 2],
    ['loss/value', 'ppo', 150, 160, 2],
  ],
  'experiments.experiments.belowZero': [
    ['objective/kl', 'broken', -0.4],
    ['objective/kl', 'fixed', 0.2],
  ],
  'experiments.experiments.exceeds': [
    ['objective/kl', 'broken', 4.1, 'fixed', 0.52],
    ['objective/kl', 'broken', 0.3, 'fixed', -0.2],
  ],
  'experiments.experiments.joined': [[['the proxy reward rose']], [['the proxy reward rose', 'the gold score fell']]],
  'experiments.experiments.notHeld': [[['the proxy reward']], [['the proxy reward', 'the gold score']]],
  'experiments.experiments.comparison': [
    ['ppo', 0.8, 'dpo', 0.5],
    ['ppo', 0.4, 'dpo', 0.9],
    ['ppo', 0.5, 'dpo', 0.5],
  ],
  // What happened: the failure shown, not shown, two arms side by side, nothing measured.
  'experiments.whatHappened': [
    [
      [
        reading('objective/scores', 'beta0', 0.12, 1.52, { expect: 'rises', held: true }),
        reading('gold/score', 'beta0', 0.4, -0.31, { expect: 'falls', held: true }),
      ],
      [],
      1,
    ],
    [
      [
        reading('objective/kl', 'lr10', 0.5, 4.25, { expect: 'rises', held: true }),
        reading('eval/distinct_2', 'lr10', 0.61, 0.66, { expect: 'falls', held: false }),
      ],
      [],
      1,
    ],
    [
      [
        reading('objective/kl', 'broken', 0.1, -0.42, { expect: 'below-zero', held: true }),
        reading('objective/kl', 'broken', 0.2, 4.1, {
          expect: 'exceeds',
          than: { arm: 'fixed', value: 0.5 },
          held: true,
        }),
      ],
      [
        reading('gold/score', 'broken', 0.2, 0.15),
        reading('objective/kl', 'broken', 0.1, -0.42),
        reading('gold/score', 'fixed', 0.2, 0.35),
        reading('objective/kl', 'fixed', 0.1, 0.8),
      ],
      2,
    ],
    [[], [], 1],
  ],
  'lesson.lesson.labelProgress': [
    [1, 10],
    [4, 10],
  ],
  'lesson.lesson.agreement': [
    [null, 0, 0, 0],
    [0.75, 0.5, 0.9, 12],
  ],
  'lesson.lesson.iterationProgress': [
    [1, 5],
    [3, 5],
  ],
  'lesson.lesson.budget': [[2.5], [0]],
  'lesson.lesson.votes': [
    [1, 8],
    [5, 8],
  ],
  'lesson.lesson.summary.labels': [[1], [12]],
  'lesson.lesson.summary.iterations': [[1], [6]],
  'lesson.lesson.summary.reward': [[-0.25, 0.8]],
  'lesson.lesson.summary.kl': [[1.25], [-0.02]],
  'lesson.lesson.summary.blind': [['5 of 8']],
  'lesson.lesson.stepOf': [[2, 6]],
  'lesson.lesson.announce': [[2, 6, 'Label a few pairs']],
  'lesson.lesson.ignored': [[['seed']], [['seed', 'tokens']]],
  'lesson.lesson.clamped': [[['ppi']], [['ppi', 'iters']]],
  'shell.app.startFailed': [['the worker script failed to load']],
  'shell.backend.name': [['webgpu']],
  'shell.backend.attemptsSummary': [[1], [2]],
  'shell.backend.attempt': [[{ backend: 'webgpu', failure: { kind: 'noAdapter' } }]],
  'shell.backend.reason': [
    [{ backend: 'webgpu', attempts: [] }],
    [{ backend: 'wasm', attempts: [{ backend: 'webgpu', failure: { kind: 'noWebGPU' } }] }],
  ],
  'shell.backend.narrowed': [[['wasm', 'cpu']]],
  'shell.backend.warmup': [[1234]],
  'shell.backend.lost': [[{ backend: 'webgpu', reason: 'destroyed' }], [{ backend: 'webgl', reason: 'unknown' }]],
  'shell.backend.recovered': [
    ['wasm', 'checkpoint'],
    ['wasm', 'model'],
    ['cpu', 'nothing'],
  ],
  'shell.model.phase': [['manifest'], ['tokenizer'], ['checkpoint'], ['card'], ['build'], ['generate']],
  'shell.model.params': [[1_234_567]],
  'shell.model.shape': [[config]],
  'shell.model.loadedIn': [[3_500_000, 820]],
  'shell.progress.bytes': [
    [2048, null],
    [2048, 1_000_000],
  ],
  'shell.progress.tokens': [
    [5, null],
    [5, 64],
  ],
  'shell.settings.notSaved': [['QuotaExceededError']],
  'shell.output.finish': [
    ['eos', 12],
    ['length', 64],
  ],
  'shell.output.timing': [[64, 1500]],
  'shell.output.meanLogProb': [[[-1.5, -2.5]]],
  'shell.problem.title': [['NO_REWARD_MODEL'], ['STORAGE_QUOTA'], ['BASE_GONE']],
  'shell.problem.hint': [['MODEL_NOT_FOUND'], ['WORKER_CRASHED'], ['NO_LABELER']],
  'shell.storage.unavailable': [['SecurityError']],
  'shell.saved.useLabel': [['after-ppo']],
  'shell.saved.baseLabel': [['after-ppo']],
  'shell.saved.row': [
    ['after-ppo', 4_000_000, 1_700_000_000_000, 3],
    ['after-ppo', 512, 1_700_000_000_000, null],
  ],
  'shell.pretrain.dropped': [['stories.txt', 123_456]],
  'shell.pretrain.progress': [[10, 200, 65_000]],
  'shell.pretrain.done': [[200, 3.21, 2.87]],
  'shell.rail.count': [
    ['label', 1],
    ['label', 12],
    ['tune', 3],
    ['compare', 2],
    ['data', null],
  ],
  'shell.language.notSaved': [['QuotaExceededError']],
  'stages.label.star': [[1], [4]],
  'stages.label.why': [
    [{ kind: 'random' }],
    [{ kind: 'secondOpinion' }],
    [{ kind: 'contrast', pA: 0.9, candidates: 4 }],
    [{ kind: 'uncertain', heads: 3, spread: 0.4, candidates: 4 }],
  ],
  'stages.label.autopilotMark': [['Likes happy endings']],
  'stages.label.loopStatus': [
    [null, 3],
    ['label', 0],
    ['reward', 1],
    ['tune', 2],
  ],
  'stages.label.loopStopped': [['label'], ['reward'], ['tune']],
  'stages.label.news': [
    [{ kind: 'chose', choice: 'a' }],
    [{ kind: 'chose', choice: 'tie', labeler: 'happy-endings' }],
    [{ kind: 'chose', choice: 'skip' }],
    [{ kind: 'rated', stars: 4 }],
    [{ kind: 'demonstrated' }],
    [{ kind: 'dropped' }],
    [{ kind: 'undone' }],
  ],
  'stages.label.promptCount': [[42]],
  'stages.label.uncertainty': [[0.31]],
  'stages.label.autopilotMarks': [[3]],
  'stages.label.markedWords': [
    ['a', 1, ['happy', 'loved']],
    ['b', -1, ['sad']],
  ],
  'stages.reward.autoTrain': [[4]],
  'stages.reward.progress': [[3, 40]],
  'stages.reward.restoreFailed': [['tokenizer differs']],
  'stages.reward.trainedOn': [
    [1, 0, false],
    [24, 4, true],
  ],
  'tune.tune.studyNote': [
    [40, 0.427, 0.76, 4, 3],
    [40, 0.6, 0.6, 1, 1],
  ],
  'tune.tune.studyWin': [
    [0.62, null, null],
    [0.62, 0.48, 1.05],
  ],
  'stages.reward.worth': [
    [{ agreed: 3, pairs: 4, low: 0.3, high: 0.95, coinToss: true, moreLabels: 120 }],
    [{ agreed: 19, pairs: 20, low: 0.76, high: 0.99, coinToss: false, moreLabels: 600 }],
  ],
  'stages.reward.heldOut': [
    [{ accuracy: 0, heldOut: 0, decided: null }],
    [{ accuracy: Number.NaN, heldOut: 2, decided: 0 }],
    [{ accuracy: 0.75, heldOut: 5, decided: 4 }],
  ],
  'stages.reward.scored': [[0.42, 0.1]],
  'stages.reward.disagreeRow': [[0.2, 'a', 'human']],
  'tune.tune.algorithmName': [['ppo'], ['grpo'], ['rloo'], ['dpo'], ['sft']],
  'tune.tune.progress': [[2, 5]],
  'tune.tune.idle': [[0], [1], [7]],
  'tune.tune.markedPlay': [
    [15, 10, 26, 40],
    [15, 10, 1, 1],
  ],
  'tune.tune.sampleRow': [
    [0.5, 0.2, 3],
    [0.5, null, 3],
  ],
  'tune.tune.warnKl': [
    [42.5, 20],
    [Number.NaN, 20],
  ],
  'tune.tune.warnHacking': [[1.2, -0.4, 5]],
  'tune.tune.coinToss': [[0.3, 0.95]],
  'tune.tune.saved': [['after-ppo']],
  'tune.tokens.measure': [['logProb'], ['kl'], ['advantage']],
  'tune.tokens.legend': [['logProb'], ['kl']],
  'tune.tokens.detail': [
    [' dog', -1.2, 0.03, 0.5],
    [' dog', -1.2, 0.03, null],
  ],
  'stages.data.kind': [['comparisons'], ['ratings'], ['demonstrations']],
  'stages.data.deleteLabel': [[7]],
  'stages.data.row.choice': [['a'], ['b'], ['tie'], ['skip']],
  'stages.data.row.stars': [[3]],
  'stages.data.row.by': [['human', 1_700_000_000_000]],
  'stages.data.limit': [[200]],
  'stages.data.usage': [
    [1_000_000, 5_000_000_000, true],
    [1_000, 5_000, false],
    [1_000, 5_000, null],
  ],
  'stages.data.agreementRow': [
    ['human', 'happy-endings', 12, 0.75, 0.5],
    ['human', 'ana', 3, 1, null],
  ],
  'stages.data.news': [
    [{ kind: 'deleted' }],
    [{ kind: 'restored', records: 12 }],
    [{ kind: 'importedModel', name: 'gpt2-tiny' }],
    [{ kind: 'exportedModel' }],
    [{ kind: 'exported', name: 'preferences.jsonl' }],
  ],
  'stages.run.gone': [
    ['deleted', 'x'],
    ['changed', 'x'],
    ['unavailable', 'x'],
  ],
  'stages.run.shipped': [['tinystories-1m']],
  'stages.run.checkpoint': [[3]],
  'format.formatCount': [[12], [12_345], [1_234_567]],
  'format.formatBytes': [[1], [512], [2048], [3_000_000]],
  'format.formatSeconds': [[12], [2345]],
  'format.formatPercent': [[0.62]],
  'format.formatDate': [[1_700_000_000_000]],
  'format.formatList': [[['a', 'b', 'c']]],
  'format.plural': [[1, { one: 'label', other: 'labels' }]],
  'format.counted': [[2, { one: 'label', other: 'labels' }]],
  'format.winRateValue': [[WIN], [null]],
  'format.formatMetric': [[0.123456], [Number.NaN], [undefined]],
  'backendFailures.backendFailureText': [
    [{ kind: 'noWebGPU' }],
    [{ kind: 'noOffscreenCanvas' }],
    [{ kind: 'noAdapter' }],
    [{ kind: 'softwareAdapter' }],
    [{ kind: 'initFailed' }],
    [{ kind: 'threw', detail: 'Failed to compile wasm module' }],
    [{ kind: 'lost', reason: 'destroyed', detail: 'Device was destroyed.' }],
    [{ kind: 'lost', reason: 'unknown', detail: 'GPU process crashed' }],
  ],
  'backendFailures.backendAttemptText': [[{ backend: 'webgl', failure: { kind: 'initFailed' } }]],
  'backendFailures.backendReason': [
    [{ backend: 'webgpu', attempts: [] }],
    [{ backend: 'wasm', attempts: [{ backend: 'webgpu', failure: { kind: 'noAdapter' } }] }],
    [
      {
        backend: 'cpu',
        attempts: [
          { backend: 'webgpu', failure: { kind: 'noWebGPU' } },
          { backend: 'wasm', failure: { kind: 'initFailed' } },
        ],
      },
    ],
  ],
  'offline.offline.models': [[['TinyStories 1M', 'TinyStories 4096']]],
  'offline.offline.notYet': [[['TinyStories 1M']], [['TinyStories 1M', 'TinyStories 4096']]],
};
