/**
 * Every string the page shows, in one place, so wording stays consistent and can be reviewed
 * (or translated) without reading the components. Strings that depend on values are functions.
 */
import type { BackendName } from '../engine/backend';
import type { GPTConfig } from '../engine';
import type { ProgressPhase, WorkerErrorCode } from '../workers/protocol';
import type { NumericSetting } from '../workers/settings';

export const app = {
  title: 'RLHF Playground',
  tagline: 'A GPT-2-style language model running in this browser tab with TensorFlow.js.',
  startFailed: (why: string): string => `RLHF Playground could not start: ${why}`,
};

const BACKEND_NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'WASM', webgl: 'WebGL', cpu: 'CPU' };

export const backend = {
  label: 'Backend',
  starting: 'Starting the engine…',
  failed: 'No backend could start',
  name: (name: BackendName): string => BACKEND_NAMES[name],
  attemptsSummary: (n: number): string => `Why not the ${n === 1 ? 'backend' : `${n} backends`} above it`,
  attempt: (name: BackendName, error: string): string => `${BACKEND_NAMES[name]}: ${error}`,
  narrowed: (names: BackendName[]): string => `Only ${names.map((n) => BACKEND_NAMES[n]).join(', ')} tried, as the page address (?backend=) asks.`,
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
  tokens: (loaded: number, total: number | null): string => (total === null ? `${loaded} tokens` : `${loaded} of ${total} tokens`),
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
    reason === 'eos' ? 'Stopped at end-of-text.' : `Stopped after ${newTokens} new tokens (the limit or the end of the context).`,
  timing: (tokens: number, ms: number): string =>
    `${tokens} tokens in ${formatSeconds(ms)} (${(tokens / Math.max(ms / 1000, 1e-3)).toFixed(1)} tokens/s)`,
  meanLogProb: (logProbs: number[]): string =>
    logProbs.length === 0 ? '' : `Mean log-probability per token: ${(logProbs.reduce((a, b) => a + b, 0) / logProbs.length).toFixed(2)}`,
  cancelled: 'Stopped before the end.',
};

const PROBLEM_TITLES: Record<WorkerErrorCode, string> = {
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
  CANCELLED: 'Stopped',
  BAD_REQUEST: 'The page sent the engine a malformed request',
  WORKER_CRASHED: 'The engine stopped',
  INTERNAL: 'Something went wrong inside the engine',
};

export const problem = {
  title: (code: WorkerErrorCode): string => PROBLEM_TITLES[code],
  /** What a person can do about it, for the codes where there is something to do. */
  hint: (code: WorkerErrorCode): string | null => {
    if (code === 'MODEL_NOT_FOUND' || code === 'BAD_MANIFEST') {
      return 'The app reads public/models/manifest.json and the files it names. The README says how to train or copy a model there; reload the page afterwards.';
    }
    if (code === 'WORKER_CRASHED' || code === 'NO_BACKEND') return 'Reload the page; if it happens again, try another browser.';
    return null;
  },
};

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
