/**
 * The setup a page address carries: stage, seed, tuning settings, the simulated labeler, the
 * labelling mode, which controls to hide, the run's base model, the extra metric charts and the
 * presentation layout. A teacher shares a link and every student opens the same setup; a reload
 * lands where the person was. Only values that differ from the defaults are written, so a link
 * stays short; anything unreadable in a link falls back to its default.
 */
import { LEARNING_DEFAULTS } from '../contract/learning-defaults';
import { isAlgorithm } from '../contract/algorithms';
import {
  DEFAULT_TUNE,
  TUNE_KEYS,
  defaultTune,
  isTuneValue,
  sanitizeTune,
  type TuneKey,
  type TuneSettings,
} from '../contract/tune-settings';
import { isExperimentId, type ExperimentId } from '../contract/experiments';
import type { BaseSource } from '../storage/settings';
import { formatChartChoice, parseChartChoice } from './metric-catalog';

export const STAGES = ['model', 'label', 'reward', 'tune', 'compare', 'data'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * What the experiments view shows over the person's own run: the list (`all`), one experiment, or
 * nothing. The stage stays in the address beside it, so going back lands where the person was.
 */
export type ExperimentView = ExperimentId | 'all' | null;
export const EXPERIMENT_LIST = 'all';

/** `experiment=` in a link: an experiment's id, `all` for the list; anything else is ignored. */
export function parseExperimentView(raw: string | null): ExperimentView {
  if (raw === EXPERIMENT_LIST) return EXPERIMENT_LIST;
  return isExperimentId(raw) ? raw : null;
}

/** Controls a lesson can hide with `hide=`: the names are what a teacher writes in the link. */
export const HIDEABLE = [
  'algorithm',
  'hyperparameters',
  'seed',
  'autopilot',
  'loop',
  'active',
  'stars',
  'import',
] as const;
export type Hideable = (typeof HIDEABLE)[number];

export interface PageSetup {
  stage: Stage;
  /** Seeds the session: sampling, the reward model's init, the simulated labeler's noise. */
  seed: number;
  tune: TuneSettings;
  /** A built-in labeler id, or `keyword:` followed by a rule such as "+dog -sad". */
  labeler: string;
  /** Ask the pair the reward model is least sure about, rather than a random one. */
  active: boolean;
  /** Rate single responses with 1-5 stars instead of comparing pairs. */
  stars: boolean;
  hide: Hideable[];
  /**
   * The run's base model (`base=tinystories-1m`, or `base=saved:7` for a saved checkpoint); the
   * page uses it when this browser's storage records no run (a shared link, cleared storage).
   */
  base: BaseSource | null;
  /** Metrics charted in the Tune stage beyond the default charts (TRL names). */
  charts: string[];
  /** The presentation layout: large type, the stage's controls and chart on one projector screen. */
  present: boolean;
  /** The experiments view (`experiment=reward-hacking`, or `all` for the list), or null. */
  experiment: ExperimentView;
}

export const DEFAULT_LABELER = 'happy-endings';
export const KEYWORD_PREFIX = 'keyword:';

export const DEFAULT_SETUP: Readonly<PageSetup> = Object.freeze({
  stage: 'model',
  seed: 1,
  tune: { ...LEARNING_DEFAULTS.tune },
  labeler: DEFAULT_LABELER,
  active: false,
  stars: false,
  hide: [],
  base: null,
  charts: [],
  present: false,
  experiment: null,
});

const SAVED_PREFIX = 'saved:';

/** `base=` in a link: a shipped model's id, or `saved:` and a checkpoint id. */
function parseBase(raw: string | null): BaseSource | null {
  if (raw === null || raw.trim() === '') return null;
  if (!raw.startsWith(SAVED_PREFIX)) return { kind: 'shipped', modelId: raw };
  const id = Number(raw.slice(SAVED_PREFIX.length));
  return Number.isSafeInteger(id) && id > 0 ? { kind: 'checkpoint', checkpointId: id } : null;
}

function formatBase(base: BaseSource): string {
  return base.kind === 'shipped' ? base.modelId : `${SAVED_PREFIX}${base.checkpointId}`;
}

/** The short name of each tuning setting in a link. */
const TUNE_PARAMS: Record<TuneKey, string> = {
  beta: 'beta',
  klTarget: 'kl',
  clipRange: 'clip',
  learningRate: 'lr',
  samplesPerPrompt: 'spp',
  promptsPerIteration: 'ppi',
  maxNewTokens: 'tokens',
  iterations: 'iters',
  klBudget: 'budget',
};

function isStage(value: unknown): value is Stage {
  return STAGES.some((s) => s === value);
}

function isHideable(value: unknown): value is Hideable {
  return HIDEABLE.some((h) => h === value);
}

function flag(raw: string | null, fallback: boolean): boolean {
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  return fallback;
}

function parseTune(params: URLSearchParams): TuneSettings {
  const raw: Record<string, unknown> = { algorithm: params.get('algo') ?? DEFAULT_TUNE.algorithm };
  for (const key of TUNE_KEYS) {
    const text = params.get(TUNE_PARAMS[key]);
    if (text !== null && text.trim() !== '') raw[key] = Number(text);
  }
  return sanitizeTune(raw);
}

/** The setup in a query string such as `?stage=tune&beta=0.1`; unknown or bad values are ignored. */
export function parsePageSetup(search: string): PageSetup {
  const params = new URLSearchParams(search);
  const stage = params.get('stage');
  const seed = Number(params.get('seed'));
  const labeler = params.get('labeler');
  return {
    stage: isStage(stage) ? stage : DEFAULT_SETUP.stage,
    seed: params.has('seed') && Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32 ? seed : DEFAULT_SETUP.seed,
    tune: parseTune(params),
    labeler: labeler !== null && labeler.trim() !== '' ? labeler : DEFAULT_LABELER,
    active: flag(params.get('active'), DEFAULT_SETUP.active),
    stars: flag(params.get('stars'), DEFAULT_SETUP.stars),
    hide: (params.get('hide') ?? '').split(',').filter(isHideable),
    base: parseBase(params.get('base')),
    charts: parseChartChoice(params.get('charts')),
    present: flag(params.get('present'), DEFAULT_SETUP.present),
    experiment: parseExperimentView(params.get('experiment')),
  };
}

/**
 * The query string for `setup`, keeping parameters of `search` that are not part of the setup
 * (such as `backend=`). Defaults (the chosen algorithm's own) are left out.
 */
export function formatPageSetup(setup: PageSetup, search = ''): string {
  const params = new URLSearchParams(search);
  const put = (name: string, value: string, isDefault: boolean): void => {
    if (isDefault) params.delete(name);
    else params.set(name, value);
  };
  put('stage', setup.stage, setup.stage === DEFAULT_SETUP.stage);
  put('seed', String(setup.seed), setup.seed === DEFAULT_SETUP.seed);
  put('algo', setup.tune.algorithm, setup.tune.algorithm === DEFAULT_TUNE.algorithm);
  const defaults = defaultTune(setup.tune.algorithm);
  for (const key of TUNE_KEYS) put(TUNE_PARAMS[key], String(setup.tune[key]), setup.tune[key] === defaults[key]);
  put('labeler', setup.labeler, setup.labeler === DEFAULT_LABELER);
  put('active', setup.active ? '1' : '0', setup.active === DEFAULT_SETUP.active);
  put('stars', setup.stars ? '1' : '0', setup.stars === DEFAULT_SETUP.stars);
  put('hide', setup.hide.join(','), setup.hide.length === 0);
  put('base', setup.base === null ? '' : formatBase(setup.base), setup.base === null);
  const charts = formatChartChoice(setup.charts);
  put('charts', charts, charts === '');
  put('present', '1', !setup.present);
  put('experiment', setup.experiment ?? '', setup.experiment === null);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The labeler spec for the worker from a setup's `labeler` field. */
export function labelerSpec(labeler: string): { kind: 'builtin'; id: string } | { kind: 'keyword'; rule: string } {
  return labeler.startsWith(KEYWORD_PREFIX)
    ? { kind: 'keyword', rule: labeler.slice(KEYWORD_PREFIX.length) }
    : { kind: 'builtin', id: labeler };
}

/** `lesson=` in a link: `intro` starts the guided first run, `off` keeps it away from this page. */
export const LESSON_VALUES = ['intro', 'off'] as const;
export type LessonParam = (typeof LESSON_VALUES)[number];

/** The lesson a link asks for; null when it names none (or one this page does not know). */
export function parseLessonParam(search: string): LessonParam | null {
  const raw = new URLSearchParams(search).get('lesson');
  return LESSON_VALUES.find((v) => v === raw) ?? null;
}

/** A part of a link the page could not use as written: left at its default, or moved into range. */
export interface SetupIssue {
  /** `name=value` as the link wrote it. */
  part: string;
  kind: 'ignored' | 'clamped';
}

const FLAGS = ['active', 'stars', 'present'] as const;

/** The parts of `search` that `parsePageSetup` (and `parseLessonParam`) could not use as written. */
export function setupIssues(search: string): SetupIssue[] {
  const params = new URLSearchParams(search);
  const issues: SetupIssue[] = [];
  const note = (name: string, kind: SetupIssue['kind'] = 'ignored', value = params.get(name) ?? ''): void => {
    issues.push({ part: `${name}=${value}`, kind });
  };
  const stage = params.get('stage');
  if (stage !== null && !isStage(stage)) note('stage');
  const seed = Number(params.get('seed'));
  if (params.has('seed') && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) note('seed');
  const algo = params.get('algo');
  if (algo !== null && !isAlgorithm(algo)) note('algo');
  for (const key of TUNE_KEYS) {
    const text = params.get(TUNE_PARAMS[key]);
    if (text === null || text.trim() === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value)) note(TUNE_PARAMS[key]);
    else if (!isTuneValue(key, value)) note(TUNE_PARAMS[key], 'clamped');
  }
  for (const name of FLAGS) {
    const raw = params.get(name);
    if (raw !== null && !['0', '1', 'true', 'false'].includes(raw)) note(name);
  }
  for (const name of (params.get('hide') ?? '').split(','))
    if (name !== '' && !isHideable(name)) note('hide', 'ignored', name);
  const lesson = params.get('lesson');
  if (lesson !== null && parseLessonParam(search) === null) note('lesson');
  return issues;
}

/** Whether the link in `search` sets the tuning setting `key` itself (a lesson's preset then yields to it). */
export function linkSetsTune(search: string, key: TuneKey): boolean {
  return new URLSearchParams(search).has(TUNE_PARAMS[key]);
}

/** Whether the link in `search` says which controls to hide. */
export function linkSetsHide(search: string): boolean {
  return new URLSearchParams(search).has('hide');
}
