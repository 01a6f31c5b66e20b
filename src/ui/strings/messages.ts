/**
 * The sentence for every message code the engine, the worker and storage raise. One table, used
 * by the page and by the Node commands, so it imports nothing of Svelte or the DOM.
 */
import type {
  AlgorithmId,
  CheckpointKind,
  GpuApi,
  GpuLossReason,
  InterruptedWork,
  Message,
  MessageParams,
  NeedsStorage,
  RecordKind,
  StorageMessages,
  StoredThing,
  WorkerMessages,
} from '../../contract/messages';
import type { ImportProblem } from '../../contract/file-messages';
import { CLI_MESSAGES } from './cli-messages';
import { ENGINE_MESSAGES, type Sentences } from './engine-messages';
import { counted, plural } from './format';
import { FILE_MESSAGES } from './file-messages';
import { INPUT_MESSAGES } from './input-messages';
import { backendAttemptText } from './backend-failures';

const ALGORITHM_NAMES: Record<AlgorithmId, string> = {
  ppo: 'PPO',
  grpo: 'GRPO',
  rloo: 'RLOO',
  dpo: 'DPO',
  sft: 'SFT',
};

const GPU_NAMES: Record<GpuApi, string> = { webgpu: 'WebGPU', webgl: 'WebGL' };

const WORK_NAMES: Record<InterruptedWork, string> = {
  iterate: 'Tuning',
  pretrain: 'Training on your text',
  trainReward: 'Training the reward model',
  generate: 'Generation',
  evaluate: 'The comparison',
  samplePolicies: 'Sampling a blind round',
  other: 'This request',
};

const STORED_NAMES: Record<StoredThing, string> = {
  comparison: 'this comparison',
  rating: 'this rating',
  demonstration: 'this demonstration',
  generation: 'this generation',
  vote: 'this vote',
  prompts: 'the prompts',
  run: 'the run',
  runMetrics: 'the run metrics',
  change: 'the change',
  trainingLease: 'the training lease',
  importedLabels: 'the imported labels',
  restoredWorkspace: 'the restored workspace',
  policyCheckpoint: 'the policy checkpoint',
  rewardCheckpoint: 'the reward checkpoint',
  valueCheckpoint: 'the value checkpoint',
};

const NEEDS_STORAGE_NAMES: Record<NeedsStorage, string> = {
  exportLabels: 'Exporting labels',
  importLabels: 'Importing labels',
  exportBackup: 'A backup',
  restoreBackup: 'Restoring a backup',
  importModel: 'Importing a model',
  exportModel: 'Exporting a model',
};

const RECORD_NAMES: Record<RecordKind, string> = {
  checkpoint: 'checkpoint',
  run: 'run',
  prompt: 'prompt',
  label: 'label',
};

const CHECKPOINT_KINDS: Record<CheckpointKind, string> = {
  policy: 'policy',
  reward: 'reward model',
  value: 'value model',
};

const NO_MODEL_WHAT: Record<MessageParams['NO_MODEL']['what'], string> = {
  keep: 'there is nothing to keep',
  generate: 'there is nothing to generate with',
  tune: 'there is nothing to tune',
  train: 'there is nothing to train',
  tokenizer: 'it has no tokenizer to export',
};

/** What happened to the GPU, in words for someone who has never heard of a GPU device. */
function happened(gpu: GpuApi, reason: GpuLossReason): string {
  return reason === 'destroyed'
    ? `the graphics card (${GPU_NAMES[gpu]}) was switched off for this tab`
    : `the graphics card (${GPU_NAMES[gpu]}) stopped working for this tab, as happens when it runs out of memory or its driver restarts`;
}

function cancelled({ work, url }: MessageParams['CANCELLED']): string {
  if (work === 'download') return `The download of ${url ?? 'a file'} was cancelled.`;
  if (work === 'generate') return 'Generation was cancelled.';
  if (work === 'pretrain') return 'Training on your text was stopped; the steps already taken are kept.';
  if (work === 'iterate') return 'Tuning was stopped.';
  if (work === 'experiment') return 'The experiment was stopped; your own run was not touched.';
  return 'This request was cancelled.';
}

const WORKER: Sentences<WorkerMessages> = {
  NO_BACKEND: (p) =>
    `No TensorFlow.js backend could start: ${[...p.attempts.map(backendAttemptText), ...(p.detail === null ? [] : [p.detail])].join('; ')}`,
  NOT_READY: () => 'The engine has not started yet: send init before loadModel.',
  NO_MODEL: (p) => `No model is loaded, so ${NO_MODEL_WHAT[p.what]}.`,
  NO_SHIPPED_MODEL: () => 'Load the shipped model first: a saved model replaces it.',
  NO_SESSION: () => 'The RLHF session has not started: load a model first.',
  NO_LABELER: () => 'No simulated labeler is chosen: pick one in the Label stage first.',
  NO_REWARD_MODEL: () => 'There is no reward model yet: label a few pairs and train it first.',
  ALGORITHM_NEEDS_REWARD_MODEL: (p) =>
    `${ALGORITHM_NAMES[p.algorithm]} learns from the reward model, and there is none yet: train it in the Reward model stage first.`,
  ALGORITHM_NEEDS_GROUPS: (p) =>
    `${ALGORITHM_NAMES[p.algorithm]} compares several responses to the same prompt: set samples per prompt to 2 or more.`,
  NO_PAIRS_TO_TRAIN: (p) => {
    const subject =
      p.algorithm === null
        ? 'The reward model'
        : `${ALGORITHM_NAMES[p.algorithm]} learns from a reward model, and there is none yet. It`;
    const n = p.count ?? 0;
    const tail =
      p.reason === 'allHeldOut'
        ? `your ${n} ${plural(n, { one: 'pair is', other: 'pairs are all' })} held out to check it: label a few more.`
        : p.reason === 'ratingsOnly'
          ? `your ${n} ${plural(n, { one: 'star rating forms', other: 'star ratings form' })} none yet: rate a second response to the same prompt, or compare a pair.`
          : 'there are none yet: compare a pair (or rate two responses to the same prompt) first.';
    return `${subject} learns from preference pairs, and ${tail}`;
  },
  DPO_NEEDS_PAIRS: (p) =>
    `DPO learns from preference pairs: label at least ${counted(p.needed, { one: 'pair', other: 'pairs' })} first.`,
  SFT_NEEDS_DEMONSTRATIONS: () =>
    'SFT learns from demonstrations: press E on a pair to rewrite a response into a better one first.',
  CANCELLED: cancelled,
  BAD_REQUEST: (p) =>
    `The engine worker received a malformed request ${p.request === null ? 'without a type' : `"${p.request}"`}: a field is missing, has the wrong type or is out of range.`,
  WORKER_CRASHED: (p) =>
    `The engine worker stopped: ${p.reason ?? 'its script failed to load or threw an uncaught error (see the browser console)'}.`,
  WORKER_MESSAGE_UNREADABLE: () => 'The engine worker stopped: a message from the engine worker could not be read.',
  UNEXPECTED_EVENT: (p) => `The engine worker answered a ${p.request} request with an unexpected "${p.event}" event.`,
  DEVICE_LOST: (p) => {
    const next =
      p.work === 'iterate'
        ? `The engine is restarting without ${GPU_NAMES[p.gpu]} from the last saved checkpoint: press Play to resume tuning from there.`
        : `The engine is restarting without ${GPU_NAMES[p.gpu]}: try again in a moment.`;
    return `${WORK_NAMES[p.work]} was interrupted because ${happened(p.gpu, p.reason)}. ${next} Your labels are all kept.`;
  },
  DEVICE_LOST_NOTHING_TO_SAVE: (p) =>
    `Nothing new could be saved: ${happened(p.gpu, p.reason)}, and the policy tuned since the last saved checkpoint was on it. The engine carries on without ${GPU_NAMES[p.gpu]} from that checkpoint: press Play to tune again from there.`,
  INTERNAL: (p) => `Unexpected error in the engine worker: ${p.detail}`,
  DOWNLOAD_FAILED: (p) =>
    p.status === null
      ? `Could not download ${p.url}: ${p.detail}`
      : `Could not download ${p.url}: HTTP ${p.status} ${p.detail}.`,
  DOWNLOAD_BROKE_OFF: (p) => `The download of ${p.url} broke off after ${p.loaded} bytes: ${p.detail}`,
  DOWNLOAD_CUT_SHORT: (p) => `The download of ${p.url} was cut short: got ${p.loaded} of ${p.total} bytes.`,
  FILE_NOT_FOUND: (p) =>
    p.html
      ? `${p.url} was not found: the server answered with an HTML page instead of the file.`
      : `${p.url} was not found on the server (HTTP 404).`,
  NOT_JSON: (p) => `${p.url} is not valid JSON: ${p.detail}`,
  MANIFEST_NOT_OBJECT: (p) => `${p.url}: ${p.field === null ? 'the manifest' : p.field} must be a JSON object.`,
  MANIFEST_NOT_STRING: (p) => `${p.url}: ${p.field} must be a non-empty string, got ${p.got}.`,
  MANIFEST_NO_MODELS: (p) => `${p.url}: "models" must be a non-empty array.`,
  MANIFEST_REPEATED_ID: (p) => `${p.url}: model id "${p.id}" appears twice.`,
  MANIFEST_BAD_DEFAULT: (p) => `${p.url}: "default" must be one of the model ids (${p.ids.join(', ')}), got ${p.got}.`,
  NO_SUCH_MODEL: (p) => `${p.url} has no model "${p.id}"; it has ${p.known.join(', ')}.`,
  STORED_TOKENIZER_NOT_JSON: (p) => `The tokenizer stored with "${p.name}" is not valid JSON: ${p.detail}`,
  POLICY_OTHER_MODEL: () =>
    'The saved policy belongs to a different model than the one loaded, so it cannot be restored onto it.',
  KL_BUDGET_STOPPED: (p) =>
    `Stopped by the KL budget: iteration ${p.iteration} took the KL to the reference to ${p.kl.toFixed(2)} nats, past the budget of ${p.budget}. That iteration was undone (the policy is back at ${p.keptKl.toFixed(2)} nats) and tuning stopped. Raise the budget or beta to go on.`,
};

const STORAGE: Sentences<StorageMessages> = {
  STORAGE_FULL: (p) =>
    `The browser has no room left to save ${STORED_NAMES[p.what]}. Nothing saved before was lost. Free space by deleting old checkpoints, runs or generations, or export a backup and start afresh.`,
  STORAGE_FAILED: (p) => `Could not save ${STORED_NAMES[p.what]}: ${p.detail}. Nothing saved before was lost.`,
  RECORD_NOT_FOUND: (p) =>
    `There is no ${RECORD_NAMES[p.kind]} ${p.id}${p.store === undefined ? '' : ` in ${p.store}`}.`,
  CHECKPOINT_IN_USE: (p) =>
    `Checkpoint "${p.name}" is the current ${CHECKPOINT_KINDS[p.kind]}; make another one current first.`,
  NEEDS_STORAGE: (p) =>
    `${NEEDS_STORAGE_NAMES[p.work]} needs the browser's storage (IndexedDB), which this window does not allow. Labels and tuning still work until the page is closed.`,
  NOT_A_POLICY: (p) =>
    `Checkpoint "${p.name}" is a ${CHECKPOINT_KINDS[p.kind]} checkpoint; only policies export as GPT-2 language models.`,
};

/** Problems written out in an import's message; the page lists them all. */
const LISTED_PROBLEMS = 20;

/** One problem of an import, with where it is: "line 12: field "chosen" must be a string, got 42". */
export function importProblemText(problem: ImportProblem): string {
  const where = [problem.line === undefined ? null : `line ${problem.line}`, problem.record ?? null].filter(
    (w) => w !== null,
  );
  return `${where.length > 0 ? `${where.join(', ')}: ` : ''}${messageText(problem.message)}`;
}

/** The heading of an import's problem list: "labels.jsonl: 3 problems, nothing was imported". */
export function importSummary(p: MessageParams['IMPORT_PROBLEMS']): string {
  return `${p.file}: ${counted(p.problems.length, { one: 'problem', other: 'problems' })}, nothing was imported`;
}

function importProblems(p: MessageParams['IMPORT_PROBLEMS']): string {
  const listed = p.problems.slice(0, LISTED_PROBLEMS).map(importProblemText);
  const more = p.problems.length - listed.length;
  return [`${importSummary(p)}:`, ...listed, ...(more > 0 ? [`...and ${more} more`] : [])].join('\n  ');
}

/** Every code's sentence; a code without one fails the type check. */
export const MESSAGES: Sentences<MessageParams> = {
  ...ENGINE_MESSAGES,
  ...FILE_MESSAGES,
  IMPORT_PROBLEMS: importProblems,
  ...INPUT_MESSAGES,
  ...CLI_MESSAGES,
  ...WORKER,
  ...STORAGE,
};

/** The sentence for one message. */
export function messageText(message: Message): string {
  // Each code's function takes that code's params; the union does not narrow through the table.
  const render = MESSAGES[message.code] as (p: Message['params']) => string;
  return render(message.params);
}
