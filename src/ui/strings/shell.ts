/** Strings of the page shell: header, backend badge, model loading, the prompt box, problems, storage, the stage rail. */
import type { BackendAttempt, BackendChoice, BackendName } from '../../contract/backends';
import type { DeviceLoss } from '../../engine/backend';
import type { GPTConfig } from '../../engine';
import type { ProgressPhase } from '../../contract/protocol';
import type { ProblemCode } from '../problem';
import type { Stage } from '../page-setup';
import type { NumericSetting } from '../../contract/generation-settings';
import type { Locale } from './intl';
import { counted, formatCount, formatBytes, formatDate, formatSeconds, plural } from './format';
import { BACKEND_NAMES, backendAttemptText, backendReason } from './backend-failures';

export const app = {
  title: 'RLHF Playground',
  tagline: 'A GPT-2-style language model running in this browser tab with TensorFlow.js.',
  startFailed: (why: string): string => `RLHF Playground could not start: ${why}`,
};

export const backend = {
  label: 'Backend',
  details: 'why?',
  starting: 'Starting the engine…',
  failed: 'No backend could start',
  name: (name: BackendName): string => BACKEND_NAMES[name],
  attemptsSummary: (n: number): string =>
    `Why not the ${plural(n, { one: 'backend', other: `${n} backends` })} above it`,
  attempt: (attempt: BackendAttempt): string => backendAttemptText(attempt),
  reason: (choice: BackendChoice): string => backendReason(choice),
  narrowed: (names: BackendName[]): string =>
    `Only ${names.map((n) => BACKEND_NAMES[n]).join(', ')} tried, as the page address (?backend=) asks.`,
  warmup: (ms: number): string => `Kernels compiled in ${formatSeconds(ms)} before the first timed work`,
  warmupWhy:
    'A tiny generation and one training step run right after the model loads, so the GPU compiles its programs then and not during your first generation or tuning step.',
  lost: (loss: DeviceLoss): string =>
    `The graphics card (${BACKEND_NAMES[loss.backend]}) stopped while the engine was using it: ${loss.reason === 'destroyed' ? 'it was switched off for this tab' : 'it probably ran out of memory or its driver restarted, which happens on laptops'}. Everything the engine kept on it is gone, so it is starting again without it.`,
  recovered: (to: BackendName, restored: 'checkpoint' | 'model' | 'nothing'): string => {
    const from =
      restored === 'checkpoint'
        ? ', from the last saved checkpoint'
        : restored === 'model'
          ? ', from the loaded model'
          : '';
    const resume =
      restored === 'nothing'
        ? ''
        : ' Anything tuned after the last save has to be tuned again: press Play in the Tune stage to resume.';
    return `It now runs on ${BACKEND_NAMES[to]}, slower but steady${from}.${resume}`;
  },
  recovering: 'Restarting the engine…',
};

const PHASES: Record<ProgressPhase, string> = {
  manifest: 'Reading the list of models',
  tokenizer: 'Downloading the tokenizer',
  checkpoint: 'Downloading the weights',
  card: 'Downloading the model card',
  build: 'Building the model',
  generate: 'Generating',
};

export const model = {
  heading: 'Model',
  waiting: 'The model loads once the engine has started.',
  loading: 'Loading the model…',
  choose: 'Model',
  phase: (phase: ProgressPhase): string => PHASES[phase],
  params: (n: number): string => `${formatCount(n)} parameters`,
  shape: (c: GPTConfig): string =>
    `${c.nLayer} layers · ${c.nHead} heads · width ${c.nEmbd} · context ${c.blockSize} tokens · vocabulary ${formatCount(c.vocabSize)}`,
  loadedIn: (bytes: number, ms: number): string => `${formatBytes(bytes)} of weights, loaded in ${formatSeconds(ms)}`,
  card: 'Model card',
  noCard: 'This model has no model card.',
};

export const progress = {
  bytes: (loaded: number, total: number | null): string =>
    total === null ? formatBytes(loaded) : `${formatBytes(loaded)} of ${formatBytes(total)}`,
  tokens: (loaded: number, total: number | null): string =>
    total === null ? `${loaded} tokens` : `${loaded} of ${total} tokens`,
};

export const prompt = {
  heading: 'Prompt',
  label: 'Text for the model to continue',
  placeholder: 'Once upon a time',
  generate: 'Generate',
  generating: 'Generating…',
  stop: 'Stop',
  shortcut: 'Ctrl+Enter generates.',
  notReady: 'Generation is available once a model has loaded.',
  empty: 'With an empty prompt the model starts a new story of its own.',
};

export const settings = {
  legend: 'Sampling',
  greedy: 'Greedy: always take the most likely token',
  greedyHint: 'With greedy on, temperature, top-k and top-p do not apply.',
  label: {
    temperature: 'Temperature',
    topK: 'Top-k',
    topP: 'Top-p',
    maxNewTokens: 'Max new tokens',
    seed: 'Seed',
  } satisfies Record<NumericSetting, string>,
  hint: {
    temperature: 'Below 1 is safer, above 1 is wilder.',
    topK: 'Sample among the k most likely tokens; 0 means no limit.',
    topP: 'Sample among the most likely tokens covering this much probability; 1 means no limit.',
    maxNewTokens: 'Generation also stops at end-of-text or when the context is full.',
    seed: 'The same seed and settings give the same text.',
  } satisfies Record<NumericSetting, string>,
  notSaved: (why: string): string => `Settings will not be kept after a reload: ${why}`,
};

export const output = {
  heading: 'Continuation',
  none: 'The continuation appears here.',
  finish: (reason: 'eos' | 'length', newTokens: number): string =>
    reason === 'eos'
      ? 'Stopped at end-of-text.'
      : `Stopped after ${newTokens} new tokens (the limit or the end of the context).`,
  timing: (tokens: number, ms: number): string =>
    `${tokens} tokens in ${formatSeconds(ms)} (${(tokens / Math.max(ms / 1000, 1e-3)).toFixed(1)} tokens/s)`,
  meanLogProb: (logProbs: number[]): string =>
    logProbs.length === 0
      ? ''
      : `Mean log-probability per token: ${(logProbs.reduce((a, b) => a + b, 0) / logProbs.length).toFixed(2)}`,
  cancelled: 'Stopped before the end.',
};

const PROBLEM_TITLES: Record<ProblemCode, string> = {
  BAD_CONFIG: 'The model configuration is invalid',
  BAD_CHECKPOINT: 'The model file is damaged or inconsistent',
  BAD_TOKENIZER: 'The tokenizer file is invalid',
  BAD_PROMPT: 'This prompt cannot be used',
  BAD_CORPUS: 'The training text cannot be used',
  BAD_ARGUMENT: 'A setting is out of range',
  NUMERICAL: 'The model produced a number that is not finite',
  NO_BACKEND: 'TensorFlow.js could not start here',
  NOT_READY: 'The engine has not started',
  MODEL_NOT_FOUND: 'No model was found',
  BAD_MANIFEST: 'The list of models is invalid',
  NETWORK: 'A download failed',
  NO_MODEL: 'No model is loaded',
  NO_SESSION: 'The tuning session has not started',
  NO_REWARD_MODEL: 'There is no reward model yet',
  NO_LABELER: 'No simulated labeler is chosen',
  NOT_ENOUGH_LABELS: 'Not enough labels yet',
  CANCELLED: 'Stopped',
  BAD_REQUEST: 'The page sent the engine a malformed request',
  WORKER_CRASHED: 'The engine stopped',
  DEVICE_LOST: 'The graphics card stopped',
  INTERNAL: 'Something went wrong inside the engine',
  STORAGE_QUOTA: 'The browser has no room left',
  STORAGE_NOT_FOUND: 'That is no longer stored',
  STORAGE_IN_USE: 'That is still in use',
  STORAGE_BAD_BACKUP: 'This backup cannot be restored',
  STORAGE_FAILED: 'Saving failed',
  TRAINING_ELSEWHERE: 'Another tab is training',
  BASE_GONE: 'The base model of this run is gone',
};

const PROBLEM_HINTS: Partial<Record<ProblemCode, string>> = {
  NO_REWARD_MODEL:
    'Go to Label, compare a few pairs (or turn on autopilot), then train the reward model in the Reward model stage.',
  NO_LABELER: 'Pick a simulated labeler in the Label stage.',
  NOT_ENOUGH_LABELS: 'Label a few more pairs in the Label stage, then try again.',
  NUMERICAL: 'Lower the learning rate or raise beta, reset to the reference, and run again.',
  STORAGE_QUOTA: 'Delete old checkpoints or labels in the Data stage, or export a backup and clear the site data.',
  STORAGE_FAILED: 'Your work so far is kept. Try again; if it keeps failing, export a backup from the Data stage.',
  BAD_ARGUMENT: 'Check the file or the setting named above and try again.',
  BAD_CHECKPOINT:
    'Nothing was changed. Choose a checkpoint saved by this app, or a Hugging Face GPT-2 folder (config.json, model.safetensors and the tokenizer files).',
  BAD_TOKENIZER:
    'Nothing was changed. A checkpoint only works with the tokenizer it was trained with: import the model folder together with its tokenizer files.',
  STORAGE_BAD_BACKUP: 'Nothing was changed. Choose a backup file made with “Back up everything” in the Data stage.',
  DEVICE_LOST:
    'Your labels and saved checkpoints are safe: they are stored in the browser, not on the graphics card. Reloading the page tries the graphics card again.',
  BASE_GONE: 'Start a new run from the current policy (Tune stage), or restore a backup that holds the base model.',
  TRAINING_ELSEWHERE:
    'Only one tab trains at a time, so two never overwrite each other’s checkpoints. Finish or stop training in the other tab; you can keep labelling here.',
};

export const problem = {
  title: (code: ProblemCode): string => PROBLEM_TITLES[code],
  /** What a person can do about it, for the codes where there is something to do. */
  hint: (code: ProblemCode): string | null => {
    if (code === 'MODEL_NOT_FOUND' || code === 'BAD_MANIFEST') {
      return 'The app reads public/models/manifest.json and the files it names. The README says how to train or copy a model there; reload the page afterwards.';
    }
    if (code === 'WORKER_CRASHED' || code === 'NO_BACKEND')
      return 'Reload the page; if it happens again, try another browser.';
    return PROBLEM_HINTS[code] ?? null;
  },
};

export const storage = {
  unavailable: (why: string): string =>
    `This browser will not let the page store anything (${why}). Labelling and tuning work, but nothing is kept when the page closes: export your labels from the Data stage before leaving.`,
};

export const lock = {
  busy: 'Another tab of RLHF Playground is tuning the policy right now.',
};

export const saved = {
  heading: 'Saved policies',
  none: 'None yet: the policy is saved after every tuning run, and named saves are kept forever.',
  use: 'Use',
  useLabel: (name: string): string => `Use the saved policy "${name}"`,
  base: 'Use as base',
  baseLabel: (name: string): string => `Use "${name}" as the base model`,
  baseHint:
    'Tuning then starts from this model, and the KL penalty holds the policy near it; it stays the base after a reload. Needed for an imported model of another size or vocabulary.',
  isBase: 'base model',
  current: 'in use',
  row: (name: string, bytes: number, time: number, iterations: number | null): string =>
    `${name} · ${formatBytes(bytes)} · ${formatDate(time)}${iterations === null ? '' : ` · ${counted(iterations, { one: 'iteration', other: 'iterations' })}`}`,
  named: 'named',
  saveAs: 'Save the current policy as',
  save: 'Save',
  intro: 'Tuned policies live in this browser. Use one to carry on from it; labels are shared by all of them.',
};

export const pretrain = {
  heading: 'Pretrain on your own text',
  intro:
    'Drop a plain-text file here (stories separated by blank lines or <|endoftext|>), or choose one. The loaded model keeps learning to predict its next word; the last tenth of the text is held out to measure it.',
  choose: 'Choose a text file',
  dropped: (name: string, chars: number): string => `${name}: ${formatCount(chars)} characters.`,
  steps: 'Training steps',
  stepsHint: 'Each step learns from 8 windows of text. A few hundred steps take minutes in a tab.',
  start: 'Train',
  stop: 'Stop',
  progress: (step: number, total: number, etaMs: number): string =>
    `Step ${step} of ${total} · about ${formatSeconds(etaMs)} left`,
  chart: 'Next-token loss (nats per token)',
  step: 'step',
  loss: 'loss',
  done: (steps: number, before: number, after: number): string =>
    `Trained ${steps} steps. Held-out loss went from ${before.toFixed(3)} to ${after.toFixed(3)} nats per token. Tuning starts again from this model.`,
  notText: 'That file is not plain text: choose a .txt file.',
};

export const rail = {
  label: 'Stages of RLHF',
  names: {
    model: 'Model',
    label: 'Label',
    reward: 'Reward model',
    tune: 'Tune',
    compare: 'Compare',
    data: 'Data',
  } satisfies Record<Stage, string>,
  count: (stage: Stage, n: number | null): string => {
    if (n === null) return '';
    const units: Record<Stage, { one: string; other: string }> = {
      model: { one: '', other: '' },
      label: { one: 'label', other: 'labels' },
      reward: { one: 'training', other: 'trainings' },
      tune: { one: 'iteration', other: 'iterations' },
      compare: { one: 'saved policy', other: 'saved policies' },
      data: { one: 'record', other: 'records' },
    };
    return counted(n, units[stage]);
  },
  starting: 'Starting the tuning session…',
};

/** The language switch in the header; each language is named in its own words. */
export const language = {
  label: 'Language',
  names: { en: 'English', 'zh-CN': '中文' } satisfies Record<Locale, string>,
  notSaved: (why: string): string => `The language will not be kept after a reload: ${why}`,
};
