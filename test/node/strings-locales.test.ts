/**
 * Every string of the page, rendered with sample parameters in English and in Chinese. Parity of
 * keys and parameters is the type checker's job (each Chinese export is typed as the English
 * one); this renders what it types: no function throws or writes "undefined", the Chinese reads
 * as Chinese (no English words beyond an allow-list) and the English has no Chinese in it.
 */
import { describe, expect, it } from 'vitest';
import type { WinRate } from '../../src/engine/eval/win-rate';
import type { ImportNotice } from '../../src/storage/label-matches';
import { english, type LanguageModules, type ModuleName } from '../../src/ui/strings/modules';
import { zhCN } from '../../src/ui/strings/zh-CN';
import { englishWords, hasHan } from '../../scripts/lib/language-check.mjs';

const win: WinRate = {
  rate: 0.62,
  low: 0.51,
  high: 0.72,
  wins: 30,
  ties: 2,
  losses: 18,
  pairs: 50,
  groups: 25,
} as WinRate;
const labelersInfo = [{ id: 'happy-endings', title: 'Likes happy endings', description: '' }];
const notices: ImportNotice[] = [
  { code: 'DUPLICATE_LABEL', kind: 'comparison', file: 'a.jsonl', line: 3, labeler: 'ana' },
  { code: 'CONFLICTING_RATING', file: 'b.jsonl', line: 9, labeler: 'bo', stored: 2, imported: 5 },
];
const config = { nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 256, vocabSize: 4096 };

/** Sample arguments for every string function, by its path; several samples where a branch differs. */
const SAMPLES: Record<string, unknown[][]> = {
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
  'stages.reward.progress': [[3, 40]],
  'stages.reward.restoreFailed': [['tokenizer differs']],
  'stages.reward.trainedOn': [
    [1, 0, false],
    [24, 4, true],
  ],
  'stages.reward.heldOut': [
    [{ accuracy: 0, heldOut: 0, decided: null }],
    [{ accuracy: Number.NaN, heldOut: 2, decided: 0 }],
    [{ accuracy: 0.75, heldOut: 5, decided: 4 }],
  ],
  'stages.reward.scored': [[0.42, 0.1]],
  'stages.reward.disagreeRow': [[0.2, 'a', 'human']],
  'stages.tune.algorithmName': [['ppo'], ['grpo'], ['rloo'], ['dpo'], ['sft']],
  'stages.tune.progress': [[2, 5]],
  'stages.tune.idle': [[0], [1], [7]],
  'stages.tune.sampleRow': [
    [0.5, 0.2, 3],
    [0.5, null, 3],
  ],
  'stages.tune.warnKl': [
    [42.5, 20],
    [Number.NaN, 20],
  ],
  'stages.tune.warnHacking': [[1.2, -0.4, 5]],
  'stages.tune.saved': [['after-ppo']],
  'stages.tokens.measure': [['logProb'], ['kl'], ['advantage']],
  'stages.tokens.legend': [['logProb'], ['kl']],
  'stages.tokens.detail': [
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
  'compare.compare.choice': [
    ['base', new Map()],
    ['current', new Map()],
    ['checkpoint:3', new Map([[3, 'after-ppo']])],
  ],
  'compare.compare.progress': [
    ['base', 3, 10],
    ['tuned', 3, 10],
    ['reward', 3, 10],
  ],
  'compare.compare.rewardHeadline': [[win]],
  'compare.compare.blindHeadline': [
    [null, 0],
    [win, 8],
  ],
  'compare.compare.yardstickOption': [
    ['happy-endings', labelersInfo, true],
    ['keyword:+dog', labelersInfo, false],
  ],
  'compare.compare.yardstick': [
    ['happy-endings', labelersInfo, true, win],
    ['happy-endings', labelersInfo, false, win],
  ],
  'compare.compare.gold': [[0.1, 0.4]],
  'compare.compare.reward': [[0.1, 0.4]],
  'compare.compare.kl': [[2.5]],
  'compare.compare.distinct': [[0.6, 0.5]],
  'compare.compare.showAll': [[24]],
  'compare.compare.scores': [
    [0.1, 0.2],
    [null, 0.2],
  ],
  'compare.compare.blindProgress': [[2, 8]],
  'compare.compare.blindResult': [
    [5, 2, 1, win],
    [1, 0, 0, null],
  ],
  'explain.explain.model.values': [
    [1_000_000, -2.1],
    [null, null],
  ],
  'explain.explain.label.values': [
    [12, 0.6, 0.1],
    [0, null, null],
  ],
  'explain.explain.reward.values': [
    [0.6, 0.8, 24],
    [null, null, null],
  ],
  'explain.explain.tune.values': [
    [{ 'objective/kl': 1.2, 'objective/scores': 0.5 }, 0.05, 0.2],
    [null, 0.05, 0.2],
  ],
  'explain.explain.compare.values': [
    [win, win, win],
    [null, null, null],
  ],
  'explain.explain.data.values': [[[]], [['human and ana: 0.5']]],
  'labelers.labelers.nameRefused': [['empty'], ['tooLong']],
  'labelers.labelers.agreementRow': [
    ['ana', 'ana', 4, 0.5, 0.1],
    ['ana', 'bo', 1, 1, null],
  ],
  'labelers.labelers.imported': [
    [3, 1, notices],
    [1, 0, []],
  ],
  'labelers.labelers.pending': [[3, 1, notices]],
  'labelers.labelers.notice': [
    [notices[0]],
    [notices[1]],
    [{ code: 'CONFLICTING_COMPARISON', file: 'a.jsonl', line: 4, labeler: 'ana' }],
  ],
  'labelerNames.labelerNames.title': [['happy-endings'], ['keyword:+dog -sad'], ['ana']],
  'labelerNames.labelerNames.description': [['animals'], ['ana']],
  'format.formatCount': [[12], [12_345], [1_234_567]],
  'format.formatBytes': [[1], [512], [2048], [3_000_000]],
  'format.formatSeconds': [[12], [2345]],
  'format.formatPercent': [[0.62]],
  'format.formatDate': [[1_700_000_000_000]],
  'format.formatList': [[['a', 'b', 'c']]],
  'format.plural': [[1, { one: 'label', other: 'labels' }]],
  'format.counted': [[2, { one: 'label', other: 'labels' }]],
  'format.winRateValue': [[win], [null]],
  'format.formatMetric': [[0.123456], [Number.NaN], [undefined]],
  'charts.charts.metricTitle': [['objective/kl'], ['unknown/metric']],
  'charts.charts.groupTitle': [['objective'], ['']],
  'charts.charts.runName': [['policy tuning', 3, true]],
  'charts.charts.settings': [
    ['ppo', 0.05, 1e-4],
    [null, null, null],
  ],
  'charts.charts.date': [[1_700_000_000_000]],
  'charts.charts.overlayLabel': [['KL', 'run #2']],
  'charts.charts.csvLabel': [['run #2']],
  'charts.charts.downloadLabel': [['SVG', 'KL']],
  'inspect.inspect.chartLabel': [['KL', 'iteration']],
  'inspect.inspect.at': [['iteration', 3, 'KL: 1.2']],
  'inspect.inspect.heading': [[3]],
  'inspect.inspect.none': [[3, 50]],
  'inspect.inspect.pairsHeading': [[24]],
  'inspect.inspect.noPairs': [[24, 10]],
  'inspect.inspect.tie': [['a']],
  'inspect.inspect.probability': [[0.42]],
  'backendFailures.backendFailureText': [
    [{ kind: 'noWebGPU' }],
    [{ kind: 'noOffscreenCanvas' }],
    [{ kind: 'softwareAdapter' }],
    [{ kind: 'initFailed' }],
    [{ kind: 'lost', reason: 'destroyed', detail: 'x' }],
  ],
  'backendFailures.backendAttemptText': [[{ backend: 'webgl', failure: { kind: 'initFailed' } }]],
  'backendFailures.backendReason': [
    [{ backend: 'cpu', attempts: [{ backend: 'wasm', failure: { kind: 'initFailed' } }] }],
  ],
  'offline.offline.models': [[['TinyStories 1M', 'TinyStories 4096']]],
  'offline.offline.notYet': [[['TinyStories 1M']], [['TinyStories 1M', 'TinyStories 4096']]],
};

/**
 * Text a sample puts in the sentence as given (names, files, labeler ids, the model's English),
 * or that reads the same in both languages (format and metric names, formula symbols).
 */
const GIVEN = [
  'after-ppo',
  'stories.txt',
  'tinystories-1m',
  'gpt2-tiny',
  'preferences.jsonl',
  'a.jsonl',
  'b.jsonl',
  'happy-endings',
  'keyword',
  'dog',
  'sad',
  'ana',
  'bo',
  'run',
  'label',
  'labels',
  'policy tuning',
  'TinyStories',
  'QuotaExceededError',
  'SecurityError',
  'no adapter',
  'tokenizer differs',
  'the reward model is unsure',
  'Likes happy endings',
  'human and ana',
  'unknown/metric',
  'objective/kl',
  'unknown',
  'metric',
  'x',
  'a',
  'b',
  'c',
  'the worker script failed to load',
  'iteration',
];

/** What a missing parameter leaves in a sentence (“kappa undefined (no variation)” is a sentence). */
const BROKEN = /undefined(?! \(no variation)|\[object |\bNaN\b/;

/** Strings that are the model's English on purpose: the example prompt in the (lang="en") prompt box. */
const MODEL_TEXT = new Set(['shell.prompt.placeholder']);

type Rendered = { path: string; en: string; zh: string };

/** Every string and rendered sample of `m` in both languages; records paths without samples. */
function render(m: ModuleName, zh: LanguageModules[ModuleName], missing: string[]): Rendered[] {
  const out: Rendered[] = [];
  const text = (v: unknown): string => (Array.isArray(v) ? v.map(text).join(' | ') : String(v));
  const walk = (en: unknown, other: unknown, path: string): void => {
    if (typeof en === 'function') {
      const samples = SAMPLES[path];
      if (samples === undefined) return void missing.push(path);
      for (const args of samples) {
        out.push({
          path,
          en: text((en as (...a: unknown[]) => unknown)(...args)),
          zh: text((other as (...a: unknown[]) => unknown)(...args)),
        });
      }
    } else if (typeof en === 'string') out.push({ path, en, zh: String(other) });
    else if (en !== null && typeof en === 'object')
      for (const [k, v] of Object.entries(en)) walk(v, (other as Record<string, unknown>)[k], `${path}.${k}`);
  };
  walk(english[m], zh ?? english[m], m);
  return out;
}

const MODULES = (Object.keys(english) as ModuleName[]).filter((m) => m !== 'messages' && m !== 'engineMessages');

describe('every string in both languages', () => {
  it('has sample parameters for every string function', () => {
    // Modules still English-only (their Chinese to come) are rendered once they are translated.
    const missing: string[] = [];
    for (const m of MODULES) if (zhCN[m] !== null) render(m, zhCN[m], missing);
    expect(missing).toEqual([]);
  });

  for (const m of MODULES) {
    const present = zhCN[m] !== null;
    it(`renders ${m}${present ? '' : ' (no Chinese module yet: English shows)'}`, () => {
      const rows = render(m, zhCN[m], []);
      expect(rows.length).toBeGreaterThan(0);
      for (const { path, en, zh } of rows) {
        for (const s of [en, zh]) expect(s, path).not.toMatch(BROKEN);
        // The language switch names each language in its own words.
        if (path !== 'shell.language.names.zh-CN') expect(hasHan(en), `${path}: ${en}`).toBe(false);
        if (!present || path === 'shell.language.names.en' || MODEL_TEXT.has(path)) continue;
        expect(englishWords(zh, GIVEN), `${path}: ${zh}`).toEqual([]);
      }
    });
  }
});
