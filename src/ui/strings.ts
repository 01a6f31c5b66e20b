/**
 * Every string the page shows, in one place, so wording stays consistent and can be reviewed
 * (or translated) without reading the components. Strings that depend on values are functions.
 */
import type { BackendName } from '../engine/backend';
import type { GPTConfig } from '../engine';
import type { Algorithm } from '../engine';
import type { ProgressPhase } from '../workers/protocol';
import type { TuneKey } from '../workers/session-settings';
import type { LabelKind } from './workspace';
import type { ProblemCode } from './problem';
import type { Stage } from './page-setup';
import type { TokenMeasure } from './token-colour';
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
  INTERNAL: 'Something went wrong inside the engine',
  STORAGE_QUOTA: 'The browser has no room left',
  STORAGE_NOT_FOUND: 'That is no longer stored',
  STORAGE_IN_USE: 'That is still in use',
  STORAGE_BAD_BACKUP: 'This backup cannot be restored',
  STORAGE_FAILED: 'Saving failed',
  TRAINING_ELSEWHERE: 'Another tab is training',
};

const PROBLEM_HINTS: Partial<Record<ProblemCode, string>> = {
  NO_REWARD_MODEL: 'Go to Label, compare a few pairs (or turn on autopilot), then train the reward model in the Reward model stage.',
  NO_LABELER: 'Pick a simulated labeler in the Label stage.',
  NOT_ENOUGH_LABELS: 'Label a few more pairs in the Label stage, then try again.',
  NUMERICAL: 'Lower the learning rate or raise beta, reset to the reference, and run again.',
  STORAGE_QUOTA: 'Delete old checkpoints or labels in the Data stage, or export a backup and clear the site data.',
  STORAGE_FAILED: 'Your work so far is kept. Try again; if it keeps failing, export a backup from the Data stage.',
  BAD_ARGUMENT: 'Check the file or the setting named above and try again.',
  TRAINING_ELSEWHERE: 'Only one tab trains at a time, so two never overwrite each other’s checkpoints. Finish or stop training in the other tab; you can keep labelling here.',
};

export const problem = {
  title: (code: ProblemCode): string => PROBLEM_TITLES[code],
  /** What a person can do about it, for the codes where there is something to do. */
  hint: (code: ProblemCode): string | null => {
    if (code === 'MODEL_NOT_FOUND' || code === 'BAD_MANIFEST') {
      return 'The app reads public/models/manifest.json and the files it names. The README says how to train or copy a model there; reload the page afterwards.';
    }
    if (code === 'WORKER_CRASHED' || code === 'NO_BACKEND') return 'Reload the page; if it happens again, try another browser.';
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
  baseHint: 'Tuning then starts from this model, and the KL penalty holds the policy near it. Needed for an imported model of another size or vocabulary.',
  current: 'in use',
  row: (name: string, bytes: number, time: number, iterations: number | null): string =>
    `${name} · ${formatBytes(bytes)} · ${new Date(time).toLocaleString()}${iterations === null ? '' : ` · ${iterations} iterations`}`,
  named: 'named',
  saveAs: 'Save the current policy as',
  save: 'Save',
  intro: 'Tuned policies live in this browser. Use one to carry on from it; labels are shared by all of them.',
};

export const pretrain = {
  heading: 'Pretrain on your own text',
  intro: 'Drop a plain-text file here (stories separated by blank lines or <|endoftext|>), or choose one. The loaded model keeps learning to predict its next word; the last tenth of the text is held out to measure it.',
  choose: 'Choose a text file',
  dropped: (name: string, chars: number): string => `${name}: ${formatCount(chars)} characters.`,
  steps: 'Training steps',
  stepsHint: 'Each step learns from 8 windows of text. A few hundred steps take minutes in a tab.',
  start: 'Train',
  stop: 'Stop',
  progress: (step: number, total: number, etaMs: number): string => `Step ${step} of ${total} · about ${formatSeconds(etaMs)} left`,
  chart: 'Next-token loss (nats per token)',
  step: 'step',
  loss: 'loss',
  done: (steps: number, before: number, after: number): string =>
    `Trained ${steps} steps. Held-out loss went from ${before.toFixed(3)} to ${after.toFixed(3)} nats per token. Tuning starts again from this model.`,
  notText: 'That file is not plain text: choose a .txt file.',
};

export const rail = {
  label: 'Stages of RLHF',
  names: { model: 'Model', label: 'Label', reward: 'Reward model', tune: 'Tune', compare: 'Compare', data: 'Data' } satisfies Record<Stage, string>,
  count: (stage: Stage, n: number | null): string => {
    if (n === null) return '';
    const units: Record<Stage, [string, string]> = {
      model: ['', ''],
      label: ['label', 'labels'],
      reward: ['training', 'trainings'],
      tune: ['iteration', 'iterations'],
      compare: ['saved policy', 'saved policies'],
      data: ['record', 'records'],
    };
    return `${n} ${n === 1 ? units[stage][0] : units[stage][1]}`;
  },
  starting: 'Starting the tuning session…',
};

export const label = {
  heading: 'Which response is better?',
  starsHeading: 'How good is this response?',
  prompt: 'Prompt',
  responseA: 'Response A',
  responseB: 'Response B',
  response: 'Response',
  chooseA: 'A is better',
  chooseB: 'B is better',
  tie: 'Tie',
  skip: 'Skip',
  undo: 'Undo',
  edit: 'Rewrite',
  star: (n: number): string => `${n} star${n === 1 ? '' : 's'}`,
  sampling: 'Sampling two responses from the current policy…',
  samplingOne: 'Sampling a response from the current policy…',
  why: (reason: string): string => `Why this pair: ${reason}.`,
  mode: 'Label by',
  modePair: 'comparing two responses',
  modeStars: 'rating one response with stars',
  active: 'Active learning: ask the pair the reward model is least sure about',
  activeHint: 'Off: random prompts. On: 4 candidate pairs are sampled and the one the reward model’s heads disagree on most is asked.',
  labeler: 'Simulated labeler',
  labelerHint: 'Used by autopilot and the online loop, and as the "gold" score the charts show. A keyword rule such as +dog -sad works too.',
  keywordOption: 'Keyword rule…',
  keywordLabel: 'Keyword rule',
  autopilot: 'Autopilot: the simulated labeler labels for you',
  autopilotMark: (labeler: string): string => `Autopilot (${labeler}) answered, not you`,
  autopilotPick: 'autopilot’s pick',
  loop: 'Online loop: label, train the reward model, tune, repeat',
  loopHint: 'A hands-off demo: the simulated labeler labels 8 pairs, the reward model retrains, the policy tunes 2 iterations, and round again.',
  loopStatus: (phase: string | null, rounds: number): string =>
    phase === null ? `${rounds} round${rounds === 1 ? '' : 's'} done.` : `Round ${rounds + 1}: ${phase === 'label' ? 'labelling' : phase === 'reward' ? 'training the reward model' : 'tuning the policy'}…`,
  loopStopped: (phase: string): string => `The loop stopped while ${phase === 'label' ? 'labelling' : phase === 'reward' ? 'training the reward model' : 'tuning'}: see that stage for why.`,
  shortcutsHint: 'Keys: 1 A better · 2 B better · 3 tie · S skip · Ctrl+Z undo · E rewrite · ? all keys',
  starShortcutsHint: 'Keys: 1–5 stars · S skip · Ctrl+Z undo · E rewrite · ? all keys',
  news: (n: { kind: string; choice?: string; stars?: number; labeler?: string; what?: LabelKind }): string => {
    const who = n.labeler === undefined || n.labeler === 'human' ? '' : ` (by ${n.labeler})`;
    if (n.kind === 'chose') return n.choice === 'skip' ? `Skipped${who}; saved.` : n.choice === 'tie' ? `Saved: a tie${who}.` : `Saved: ${n.choice === 'a' ? 'A' : 'B'} is better${who}.`;
    if (n.kind === 'rated') return `Saved: ${n.stars} star${n.stars === 1 ? '' : 's'}${who}.`;
    if (n.kind === 'demonstrated') return 'Saved your rewrite as a demonstration for SFT.';
    return 'Undone: the last label was deleted.';
  },
  editHeading: 'Rewrite the response into a better one',
  editHint: 'Saved as a demonstration: SFT in the Tune stage learns to write like this.',
  editSave: 'Save demonstration',
  editCancel: 'Cancel',
  editWhich: 'Start from',
  addPrompt: 'Add a prompt of your own',
  addPromptButton: 'Add prompt',
  promptCount: (n: number): string => `${n} training prompts (the shipped story openings plus yours).`,
  uncertainty: (u: number): string => `Reward-model spread on this pair: ${u.toFixed(2)}`,
};

export const shortcuts = {
  heading: 'Keyboard shortcuts',
  close: 'Close',
  intro: 'In the Label stage, while no text box has focus:',
  keys: [
    ['1', 'A is better (in star mode: 1 star)'],
    ['2', 'B is better (in star mode: 2 stars)'],
    ['3', 'Tie (in star mode: 3 stars)'],
    ['4, 5', 'In star mode: 4 or 5 stars'],
    ['S', 'Skip this pair'],
    ['Ctrl+Z or Cmd+Z', 'Undo the last label'],
    ['E', 'Rewrite a response into a better one (a demonstration)'],
    ['?', 'Show or hide this list'],
  ] as const,
};

export const reward = {
  heading: 'Reward model',
  train: 'Train now',
  training: 'Training…',
  autoTrain: 'Train in the background every 4 new labels',
  progress: (step: number, total: number): string => `Step ${step} of ${total}`,
  notTrained: 'Not trained yet. Label a few pairs, then train.',
  trainedOn: (n: number): string => `Trained on ${n} labels.`,
  lossChart: 'Training loss (Bradley-Terry), this training',
  accuracyChart: 'Held-out accuracy after each training',
  calibrationChart: 'Calibration: predicted against observed',
  step: 'step',
  labels: 'labels',
  loss: 'loss',
  accuracy: 'accuracy',
  predicted: 'predicted P(A better)',
  observed: 'observed',
  perfect: 'perfectly calibrated',
  heldOut: (accuracy: number, pairs: number): string =>
    pairs === 0 || !Number.isFinite(accuracy) ? 'No held-out pairs yet: every 10th label is held out, so label at least 10.' : `Held-out accuracy ${(accuracy * 100).toFixed(0)}% on ${pairs} pairs it never trained on.`,
  scoreHeading: 'Score any text',
  scorePrompt: 'Prompt',
  scoreResponse: 'Response',
  score: 'Score',
  scored: (score: number, spread: number): string => `Reward ${score.toFixed(2)} (normalised: 0 is a typical base-model response), heads disagree by ${spread.toFixed(2)}.`,
  disagreeHeading: 'Where the reward model disagrees with the labels',
  disagreeNone: 'None: on every labelled pair the reward model prefers the labelled winner.',
  disagreeIntro: 'Pairs it has not learned yet, most confidently wrong first:',
  disagreeRow: (p: number, choice: string, labeler: string): string => `Labelled ${choice === 'a' ? 'A' : 'B'} better by ${labeler}; the reward model gives that only ${(p * 100).toFixed(0)}%.`,
};

const ALGORITHM_NAMES: Record<Algorithm, string> = {
  ppo: 'PPO (proximal policy optimisation)',
  grpo: 'GRPO (group-relative, no value model)',
  rloo: 'RLOO (leave-one-out baseline)',
  dpo: 'DPO (direct preference optimisation, offline)',
  sft: 'SFT (supervised, on your rewrites)',
};

export const tune = {
  heading: 'Tune the policy',
  algorithm: 'Algorithm',
  algorithmName: (a: Algorithm): string => ALGORITHM_NAMES[a],
  label: {
    beta: 'Beta (KL penalty)',
    klTarget: 'KL target (0 = fixed beta)',
    clipRange: 'Clip epsilon',
    learningRate: 'Learning rate',
    samplesPerPrompt: 'Samples per prompt',
    promptsPerIteration: 'Prompts per iteration',
    maxNewTokens: 'Response length (tokens)',
    iterations: 'Iterations per Play',
  } satisfies Record<TuneKey, string>,
  hint: {
    beta: 'How hard the policy is held near the reference: higher is safer, lower learns faster and drifts further.',
    klTarget: 'When set, beta adapts to keep the KL near this many nats per response.',
    clipRange: 'How far one update may move each token’s probability ratio from 1.',
    learningRate: 'Step size of each update: too high and the policy falls apart.',
    samplesPerPrompt: 'Responses per prompt; GRPO and RLOO compare them with each other, so they need 2 or more.',
    promptsPerIteration: 'Prompts in each batch.',
    maxNewTokens: 'Longest response sampled, for tuning and for labelling.',
    iterations: 'How many iterations one press of Play runs.',
  } satisfies Record<TuneKey, string>,
  play: 'Play',
  pause: 'Pause',
  resume: 'Resume',
  step: 'Step one iteration',
  stop: 'Stop',
  reset: 'Reset to reference',
  resetHint: 'Puts the policy back to the model you started from; your labels stay.',
  progress: (i: number, of: number): string => `Iteration ${i} of ${of}`,
  paused: 'Paused after an iteration; Resume to go on.',
  idle: (n: number): string => (n === 0 ? 'The policy is the base model: nothing tuned yet.' : `${n} iteration${n === 1 ? '' : 's'} so far; the policy is saved after each run.`),
  charts: 'Live metrics',
  chart: {
    reward: 'Reward-model score',
    gold: 'Gold score (simulated labeler)',
    kl: 'KL to the reference (nats per response)',
    entropy: 'Entropy (nats per response)',
    clip: 'Clip fraction',
    value: 'Value loss',
    beta: 'Beta',
  },
  iteration: 'iteration',
  noGold: 'The gold score appears when a simulated labeler is chosen (Label stage).',
  samples: 'Recent samples',
  sampleRow: (score: number, gold: number | null, iteration: number): string =>
    `Iteration ${iteration} · reward ${score.toFixed(2)}${gold === null ? '' : ` · gold ${gold.toFixed(2)}`}`,
  noSamples: 'Samples appear here as the policy tunes (PPO, GRPO and RLOO sample; DPO and SFT learn from stored labels).',
  warnKl: (kl: number, limit: number): string =>
    `KL is running away: ${Number.isFinite(kl) ? kl.toFixed(1) : 'not a number'} nats from the reference (limit ${limit}). The text will degrade and the reward model is now judging text unlike what it learned from. Pause, raise beta or set a KL target, lower the learning rate, or reset to the reference.`,
  warnHacking: (reward: number, gold: number, window: number): string =>
    `Reward hacking: over the last ${window} iterations the reward model’s score rose by ${reward.toFixed(2)} while the gold score fell by ${Math.abs(gold).toFixed(2)}. The policy is exploiting the reward model’s mistakes. Label more pairs (active learning finds its blind spots), retrain it, and raise beta.`,
  saveNamed: 'Save as…',
  saveName: 'Checkpoint name',
  saved: (name: string): string => `Saved "${name}"; it is kept until you delete it.`,
};

const MEASURES: Record<TokenMeasure, string> = { logProb: 'log-probability', kl: 'per-token KL', advantage: 'advantage' };

export const tokens = {
  heading: 'Token view',
  colourBy: 'Colour tokens by',
  measure: (m: TokenMeasure): string => MEASURES[m],
  legend: (m: TokenMeasure): string =>
    m === 'logProb' ? 'Darker blue: the policy was surer of the token.' : 'Blue: above zero · orange: below zero · darker: further from zero.',
  detail: (token: string, logProb: number, kl: number, advantage: number | null): string =>
    `Token ${JSON.stringify(token)}: log-probability ${logProb.toFixed(2)} (p = ${Math.exp(logProb).toFixed(2)}), KL ${kl.toFixed(3)}${advantage === null ? '' : `, advantage ${advantage.toFixed(2)}`}`,
  hint: 'Hover or focus a token (Tab) to read its numbers.',
  table: 'All tokens as a table',
  columns: ['#', 'Token', 'log-prob', 'KL', 'advantage'] as const,
  pick: 'Sample',
};

export const compare = {
  heading: 'Compare two policies',
  left: 'Left',
  right: 'Right',
  choice: (c: string, names: Map<number, string>): string => {
    if (c === 'base') return 'Base (the reference)';
    if (c === 'current') return 'Current policy';
    return `Saved: ${names.get(Number(c.slice('checkpoint:'.length))) ?? c}`;
  },
  run: 'Compare on held-out prompts',
  running: 'Sampling both policies…',
  winRate: (r: number, n: number): string => `Right wins ${(r * 100).toFixed(0)}% of ${n} samples on gold score (ties count half).`,
  gold: (l: number, r: number): string => `Mean gold score: left ${l.toFixed(2)}, right ${r.toFixed(2)}.`,
  reward: (l: number, r: number): string => `Mean reward-model score: left ${l.toFixed(2)}, right ${r.toFixed(2)}.`,
  kl: (kl: number): string => `KL(right ‖ left): ${kl.toFixed(2)} nats per response.`,
  distinct: (l: number, r: number): string => `Diversity (distinct word pairs): left ${(l * 100).toFixed(0)}%, right ${(r * 100).toFixed(0)}%.`,
  columns: ['Prompt', 'Left', 'Right'] as const,
  scores: (gold: number, reward: number | null): string => `gold ${gold.toFixed(2)}${reward === null ? '' : ` · reward ${reward.toFixed(2)}`}`,
  blindHeading: 'Blind A/B: judge without knowing which is which',
  blindStart: 'Start a blind round',
  blindProgress: (i: number, n: number): string => `Pair ${i} of ${n}`,
  first: 'First is better',
  second: 'Second is better',
  tie: 'Tie',
  blindResult: (right: number, left: number, ties: number, rate: number | null): string =>
    `You preferred the right policy ${right} times, the left ${left} times, ${ties} ties${rate === null ? '' : `: a human win-rate of ${(rate * 100).toFixed(0)}% for the right`}.`,
  none: 'Pick two policies and compare them on prompts never used for labelling or tuning.',
};

const KIND_NAMES: Record<LabelKind, string> = { comparisons: 'Comparisons', ratings: 'Star ratings', demonstrations: 'Demonstrations' };

export const data = {
  heading: 'Your data',
  kind: (k: LabelKind): string => KIND_NAMES[k],
  search: 'Search prompts and responses',
  empty: 'Nothing here yet.',
  delete: 'Delete',
  deleteLabel: (id: number): string => `Delete label ${id}`,
  row: {
    choice: (c: string): string => (c === 'a' ? 'A better' : c === 'b' ? 'B better' : c === 'tie' ? 'Tie' : 'Skipped'),
    stars: (n: number): string => `${'★'.repeat(n)}${'☆'.repeat(5 - n)} (${n})`,
    by: (labeler: string, time: number): string => `${labeler} · ${new Date(time).toLocaleString()}`,
  },
  limit: (n: number): string => `Showing the newest ${n}; search to narrow.`,
  exportJsonl: 'Export labels (TRL JSONL)',
  importJsonl: 'Import labels (TRL JSONL)',
  exportBackup: 'Back up everything',
  importBackup: 'Restore a backup',
  exportHf: 'Export the current policy (Hugging Face GPT-2)',
  importHf: 'Import a Hugging Face GPT-2 folder',
  usage: (used: number, quota: number, persisted: boolean | null): string =>
    `Storage used: ${formatBytes(used)} of ${formatBytes(quota)}${persisted === true ? ' (kept by the browser)' : persisted === false ? ' (the browser may clear it when disk space runs low)' : ''}.`,
  noUsage: 'This browser does not say how much storage is used.',
  agreementHeading: 'Agreement between labelers',
  agreementNone: 'No pair has been labelled by two labelers yet. Label with autopilot and by hand to compare.',
  agreementRow: (a: string, b: string, pairs: number, observed: number, kappa: number | null): string =>
    `${a} and ${b}: ${pairs} shared pairs, same answer ${(observed * 100).toFixed(0)}%, Cohen's kappa ${kappa === null ? 'undefined (no variation)' : kappa.toFixed(2)}.`,
  news: (n: { kind: string; what?: LabelKind; comparisons?: number; ratings?: number; records?: number; name?: string }): string => {
    if (n.kind === 'deleted') return 'Deleted.';
    if (n.kind === 'importedLabels') return `Imported ${n.comparisons} comparisons and ${n.ratings} ratings.`;
    if (n.kind === 'restored') return `Restored ${n.records} records.`;
    if (n.kind === 'importedModel') return `Imported "${n.name}" as a saved checkpoint.`;
    return `Exported ${n.name}.`;
  },
};

const num = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

export const explain = {
  heading: 'What is happening',
  live: 'Now',
  model: {
    idea: 'The policy is a small GPT: it reads the text so far and gives every token of its vocabulary a probability; sampling picks one, appends it, and goes again.',
    formula: 'p(x_t | x_<t) = softmax(W · h_t)[x_t]',
    values: (params: number | null, meanLogProb: number | null): string[] => [
      `parameters: ${params === null ? '—' : formatCount(params)}`,
      `mean log p of the last continuation: ${num(meanLogProb)} (p ≈ ${meanLogProb === null ? '—' : num(Math.exp(meanLogProb))} per token)`,
    ],
  },
  label: {
    idea: 'You say which of two responses is better. The reward model will assume the Bradley-Terry model of choices: the better a response’s hidden score, the likelier it is chosen.',
    formula: 'P(A ≻ B) = σ(r_A − r_B) = 1 / (1 + e^−(r_A − r_B))',
    values: (labels: number, pA: number | null, spread: number | null): string[] => [
      `labels so far: ${labels}`,
      pA === null ? 'autopilot’s P(A ≻ B) for its last pair: —' : `autopilot’s P(A ≻ B) for its last pair: ${num(pA)}`,
      `reward-model spread on this pair: ${num(spread)}`,
    ],
  },
  reward: {
    idea: 'The reward model learns a score r(prompt, response) so that labelled winners score higher: it minimises the Bradley-Terry loss over your pairs. Several heads trained on resamples of the labels disagree where labels are scarce.',
    formula: 'L = −log σ(r_chosen − r_rejected)',
    values: (loss: number | null, accuracy: number | null, labels: number | null): string[] => [
      `latest training loss: ${num(loss, 3)} (log 2 ≈ 0.693 is a coin flip)`,
      `held-out accuracy: ${accuracy === null || !Number.isFinite(accuracy) ? '—' : `${(accuracy * 100).toFixed(0)}%`}`,
      `trained on: ${labels ?? '—'} labels`,
    ],
  },
  tune: {
    ppo: {
      idea: 'PPO samples responses, scores them with the reward model, and subtracts a KL penalty per token so the policy stays near the reference. GAE turns the rewards into advantages; the clipped objective moves each token’s probability only a little per update.',
      formulas: [
        'r_t = −β · (log π(y_t) − log π_ref(y_t))  + r_RM at the last token',
        'Â_t = Σ_l (γλ)^l δ_{t+l},   δ_t = r_t + γ V(s_{t+1}) − V(s_t)',
        'L = −E[ min(ρ_t Â_t, clip(ρ_t, 1 − ε, 1 + ε) Â_t) ],   ρ_t = π(y_t) / π_old(y_t)',
      ],
    },
    grpo: {
      idea: 'GRPO samples a group of responses per prompt and uses each one’s score relative to its group as the advantage: no value model. The KL to the reference is a penalty in the loss.',
      formulas: ['Â_i = (r_i − mean(r_group)) / std(r_group)', 'L = −E[ min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â) ] + β · KL(π ‖ π_ref)'],
    },
    rloo: {
      idea: 'RLOO (REINFORCE leave-one-out) uses the mean score of the other responses to the same prompt as the baseline.',
      formulas: ['Â_i = r_i − (1 / (k − 1)) Σ_{j≠i} r_j', 'r_i = r_RM − β · KL_i'],
    },
    dpo: {
      idea: 'DPO skips the reward model: it raises the policy’s log-ratio to the reference on chosen responses over rejected ones, straight from your labels.',
      formulas: ['L = −log σ( β [ (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)) ] )'],
    },
    sft: {
      idea: 'SFT trains the policy to write your rewrites (demonstrations) token by token, as in pretraining.',
      formulas: ['L = −(1/T) Σ_t log π(y_t | x, y_<t)'],
    },
    values: (m: Record<string, number> | null, beta: number, clip: number): string[] => [
      `β = ${num(m?.beta ?? beta, 3)}, ε = ${num(clip)}, γ = 1, λ = 0.95`,
      `mean KL per response: ${num(m?.['objective/kl'], 3)} nats`,
      `mean reward-model score: ${num(m?.['objective/scores'])}; with the KL penalty: ${num(m?.['objective/rlhf_reward'])}`,
      `clip fraction: ${num(m?.['policy/clipfrac'])}; policy loss: ${num(m?.['loss/policy'], 3)}`,
    ],
  },
  compare: {
    idea: 'Both policies answer the same held-out prompts, which were never used for labelling or tuning. The simulated labeler’s gold score, which the reward model never saw, decides each pair.',
    formula: 'win-rate = (wins + ½ · ties) / n',
    values: (winRate: number | null, n: number, human: number | null): string[] => [
      `gold win-rate of the right policy: ${winRate === null ? '—' : `${(winRate * 100).toFixed(0)}% of ${n}`}`,
      `your blind win-rate: ${human === null ? '—' : `${(human * 100).toFixed(0)}%`}`,
    ],
  },
  data: {
    idea: 'Labels are data: they are stored the moment you give them. Where two labelers judged the same pairs, Cohen’s kappa says how much more they agree than chance would.',
    formula: 'κ = (p_o − p_e) / (1 − p_e)',
    values: (kappas: string[]): string[] => (kappas.length === 0 ? ['κ: no pair labelled twice yet'] : kappas),
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
