/**
 * The one contract between the page and the engine worker, imported by both sides.
 *
 * The page sends a `Request` carrying a fresh `id`; the worker answers that id with any number of
 * `progress` events (downloads, tokens) and `step` events (reward-model steps, tuning iterations,
 * pretraining steps), then exactly one final event: `ready` (for `init`), `result`, or `error`.
 * Everything here is plain structured-clone data: numbers, strings, arrays and plain objects.
 * No tensor ever crosses the boundary; the model lives only inside the worker.
 */
import type { BackendChoice, DeviceLoss } from '../engine/backend';
import { isBackendName, type BackendName } from './backends';
import type { Evaluation, GPTConfig, RewardEvaluation } from '../engine';
import type { PairRequest } from './pairs';
import type { BudgetStopView, Disagreement, HeldOutPairView } from './views';
import type { ExperimentId } from './experiments';
import type { Message } from './messages';
import type { EngineErrorCode } from '../engine/errors';
import { isGenerationSettings, type GenerationSettings } from './generation-settings';
import { fieldsOf } from './fields';
import { isHfFileList, type HfFile, type HfModel } from './hf-model';
import type { Choice, LabelLog, Stars, WordMark } from './labels';
import type { GenerationResult, ModelInfo, StepReport, Progress } from './reports';
export type {
  GenerationResult,
  ManifestEntry,
  ModelInfo,
  ModelManifest,
  Progress,
  ProgressPhase,
  StepReport,
} from './reports';
import { isSessionRequest } from './request-guards';
import type { LabelSampling, TuneSettings } from './tune-settings';

export type Request =
  /** Start a tfjs backend; `backends` narrows the ladder (default: webgpu, wasm, webgl, cpu). */
  | { id: number; type: 'init'; backends?: BackendName[] }
  /** Download the manifest, then the chosen model (default: the manifest's `default`) and build it. */
  | { id: number; type: 'loadModel'; manifestUrl: string; modelId?: string }
  /**
   * Make a saved checkpoint the loaded model (the base that tuning starts from): an imported
   * Hugging Face model or a pretrained one. `tokenizer` is its tokenizer.json text, or null when it
   * uses the loaded model's tokenizer.
   */
  | { id: number; type: 'useModel'; name: string; bytes: ArrayBuffer; tokenizer: string | null }
  /**
   * Convert a Hugging Face GPT-2 directory into our checkpoint (named `name`, created at the ISO
   * time `createdAt`); nothing is loaded. Needs no model, only a started backend.
   */
  | { id: number; type: 'importHf'; files: HfFile[]; name: string; createdAt: string }
  /** Convert checkpoint bytes and their tokenizer.json text into a GPT-2 directory; `source` names it in messages. */
  | { id: number; type: 'exportHf'; checkpoint: ArrayBuffer; tokenizer: string; source: string }
  /** Continue `prompt` with the loaded model. */
  | { id: number; type: 'generate'; prompt: string; settings: GenerationSettings }
  /** Stop request `target`: it ends with a CANCELLED error and its result, if any, is dropped. */
  | { id: number; type: 'cancel'; target: number }
  /**
   * Start the RLHF session on the loaded model, the run's base: the policy and the frozen
   * reference (the KL anchor) are copies of it. A tuned policy restored later with `loadPolicy`
   * replaces the policy's weights only; the reference stays the base.
   */
  | { id: number; type: 'startSession'; seed: number }
  /** Two responses of the current policy to one of `prompts`; `active` asks the least certain pair. */
  | { id: number; type: 'samplePair'; prompts: string[]; active: boolean; sampling: LabelSampling }
  /** One response of the current policy, to rate with stars. */
  | { id: number; type: 'sampleOne'; prompt: string; sampling: LabelSampling }
  /** The whole label log, as storage holds it (skips left out). */
  | { id: number; type: 'setLabels'; labels: LabelLog }
  /** The simulated labeler for autopilot and gold scores, or none. */
  | { id: number; type: 'setLabeler'; labeler: LabelerSpec | null }
  /** The simulated labeler's answer to a question a person would be asked. */
  | { id: number; type: 'judge'; question: Question }
  /** Train the reward model on every label; `step` events carry the loss. */
  | { id: number; type: 'trainReward'; prompts: string[] }
  | { id: number; type: 'scoreText'; prompt: string; response: string }
  | { id: number; type: 'configure'; settings: TuneSettings }
  /** Run `iterations` policy iterations, one `step` event each; pause, resume or cancel between. */
  | { id: number; type: 'iterate'; prompts: string[]; iterations: number }
  | { id: number; type: 'pause'; target: number }
  | { id: number; type: 'resume'; target: number }
  /** Put the policy back to the reference weights. */
  | { id: number; type: 'reset' }
  /**
   * Two policies on the same held-out prompts, judged by the reward model (when trained) and by
   * the yardstick labeler's gold score (when one is given); `step` events report progress.
   */
  | { id: number; type: 'evaluate'; base: PolicyRef; tuned: PolicyRef; options: EvaluateOptions }
  /** Fresh samples of two policies on the same prompts, judged by no one: a blind round's pairs. */
  | { id: number; type: 'samplePolicies'; base: PolicyRef; tuned: PolicyRef; options: PolicySampling }
  /** The current policy as checkpoint bytes (transferred). */
  | { id: number; type: 'savePolicy'; name: string }
  /**
   * Restore a saved checkpoint into the session (copied, not transferred): a policy checkpoint
   * replaces the policy's weights (same model only); a reward-model checkpoint, told apart by its
   * own metadata, becomes the reward model, so it need not be trained again after a reload.
   */
  | { id: number; type: 'loadPolicy'; bytes: ArrayBuffer }
  /** The loaded model's tokenizer as tokenizer.json text (written beside an exported model). */
  | { id: number; type: 'tokenizer' }
  /**
   * Train the loaded model further on a text of the person's own (next-token loss), as its
   * pretraining went; the session then starts again on the result.
   */
  | { id: number; type: 'pretrain'; text: string; source: string; steps: number }
  /**
   * For tests and debugging: take the GPU away (WebGPU device, WebGL context), as a driver reset
   * would, so the recovery (a `deviceLost` event, the next backend, the last checkpoint) can be
   * watched.
   */
  | { id: number; type: 'loseDevice' }
  /**
   * Run one of the experiments that break RLHF on purpose (contract/experiments.ts) in a session of
   * its own, built on the loaded model: the session the person tunes is left as it was. The
   * simulated labeler labels pairs, the reward model trains on them, then each arm tunes from the
   * base; `step` events report each stage. `limits` shrinks the run (fewer labels, iterations or
   * tokens), for a quick look or a test.
   */
  | {
      id: number;
      type: 'runExperiment';
      experiment: ExperimentId;
      seed: number;
      prompts: string[];
      limits: ExperimentLimits;
    };

/** Caps on an experiment's size; null keeps the experiment's own number. */
export interface ExperimentLimits {
  labels: number | null;
  iterations: number | null;
  maxNewTokens: number | null;
}

export type RequestType = Request['type'];

/** A request as the client builds it, before it is given an id. */
export type RequestBody = WithoutId<Request>;
// Distributes over the union, so each member keeps its own fields.
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

/** A simulated labeler: a built-in one by id, or a keyword rule such as "+dog +happy -sad". */
export type LabelerSpec = { kind: 'builtin'; id: string } | { kind: 'keyword'; rule: string };

/** A built-in simulated labeler on offer; the page names and describes it by id (strings/labeler-names.ts). */
export interface LabelerInfo {
  id: string;
}

/** `marks`: the simulated labeler also marks up to this many words of each response (0 or absent: none). */
export type Question =
  | { kind: 'compare'; prompt: string; a: string; b: string; marks?: number }
  | { kind: 'rate'; prompt: string; response: string };

export type Answer =
  | { kind: 'compare'; choice: Choice; pA: number; labeler: string; marks?: WordMark[] }
  | { kind: 'rate'; stars: Stars; labeler: string };

/** Which policy to evaluate: the frozen reference, the one being tuned, or a saved checkpoint. */
export type PolicyRef =
  { kind: 'base' } | { kind: 'current' } | { kind: 'checkpoint'; name: string; bytes: ArrayBuffer };

/** How two policies are sampled on held-out prompts. */
export interface PolicySampling {
  prompts: string[];
  samplesPerPrompt: number;
  maxNewTokens: number;
  temperature: number;
  seed: number;
}

export interface EvaluateOptions extends PolicySampling {
  /** The simulated labeler whose gold score is shown as a yardstick, or null for none. */
  yardstick: LabelerSpec | null;
}

export interface SessionInfo {
  seed: number;
  labelers: LabelerInfo[];
  /** The base the session was built on (the loaded model), which the page checks against its run. */
  base: { modelId: string; weightsHash: string };
}

export interface RewardTraining {
  losses: number[];
  evaluation: RewardEvaluation;
  /** The held-out pairs as the trained model judged them. */
  heldOut: HeldOutPairView[];
  disagreements: Disagreement[];
  /** Labels (comparisons and ratings) it was trained on. */
  labels: number;
  /** The trained reward model as checkpoint bytes (transferred), for the page to store. */
  checkpoint: ArrayBuffer;
}

/** The evaluation, judged by the reward model when one is trained and by the yardstick when given. */
export interface PolicyComparison {
  evaluation: Evaluation;
  /** The id of the yardstick labeler whose gold scores `evaluation.gold` holds, or null. */
  yardstick: string | null;
}

/** One prompt's response from each of two policies. */
export interface SamplePair {
  prompt: string;
  base: string;
  tuned: string;
}

export type RequestResult =
  | { kind: 'model'; model: ModelInfo }
  | { kind: 'generation'; generation: GenerationResult }
  | { kind: 'cancelled'; target: number; found: boolean }
  | { kind: 'session'; session: SessionInfo }
  | { kind: 'pair'; pair: PairRequest }
  | { kind: 'response'; text: string; ended: boolean }
  | { kind: 'answer'; answer: Answer }
  | { kind: 'rewardModel'; training: RewardTraining }
  | { kind: 'score'; score: number; disagreement: number }
  /** `iterations` run and kept; `stopped` when the KL budget undid the next one and ended the run. */
  | { kind: 'tuned'; iterations: number; stopped?: BudgetStopView }
  | { kind: 'comparison'; comparison: PolicyComparison }
  | { kind: 'policySamples'; samples: SamplePair[] }
  | { kind: 'checkpoint'; bytes: ArrayBuffer; config: GPTConfig }
  /** Validation loss (nats per token) on the held-out tenth of the text, before and after. */
  | { kind: 'pretrained'; steps: number; validationBefore: number; validationAfter: number; weightsHash: string }
  /** importHf: the converted model. */
  | { kind: 'hfModel'; model: HfModel }
  /** exportHf: the directory's files. */
  | { kind: 'hfFiles'; files: HfFile[] }
  /** tokenizer: the loaded model's tokenizer.json text. */
  | { kind: 'tokenizer'; json: string }
  /** pause and resume: whether the run was still going. */
  | { kind: 'paused'; target: number; found: boolean; paused: boolean }
  /** loseDevice: whether there was a GPU to take away. */
  | { kind: 'deviceDestroyed'; destroyed: boolean }
  /** runExperiment: the arms it ran to the end. */
  | { kind: 'experimentDone'; experiment: ExperimentId; arms: string[] }
  /** Requests with nothing to return (setLabels, setLabeler, configure, reset, loadPolicy). */
  | { kind: 'done' };

export type WorkerErrorCode =
  | EngineErrorCode
  | 'NO_BACKEND' // no tfjs backend could start
  | 'NOT_READY' // a model was requested before `init` succeeded
  | 'MODEL_NOT_FOUND' // the manifest or a model file is missing on the server
  | 'BAD_MANIFEST' // the manifest is not JSON of the expected shape
  | 'NETWORK' // a download failed or was cut short
  | 'NO_MODEL' // `generate` arrived before a model was loaded
  | 'NO_SESSION' // a session request arrived before startSession
  | 'NO_REWARD_MODEL' // scoring or online tuning before the reward model was trained
  | 'NO_LABELER' // autopilot or evaluation without a simulated labeler chosen
  | 'NOT_ENOUGH_LABELS' // too few labels for what was asked (a reward model, DPO, SFT)
  | 'CANCELLED' // a `cancel` request stopped this one
  | 'BAD_REQUEST' // a message that is not a valid request
  | 'WORKER_CRASHED' // the worker itself failed or was closed (raised by the client)
  | 'DEVICE_LOST' // the GPU stopped under a running request; the engine moves to the next backend
  | 'INTERNAL'; // anything unexpected: a bug, reported with its message

/** What the worker had to go back to after a device loss. */
export type Restored =
  | 'checkpoint' // the session's policy is the last checkpoint saved or loaded
  | 'model' // the loaded model, with no tuned policy on top (none had been saved)
  | 'nothing'; // no model had been loaded yet

/** How the engine is getting over a lost GPU device: first `recovering`, then one of the others. */
export type Recovery =
  | { status: 'recovering' }
  | { status: 'recovered'; backend: BackendChoice; model: ModelInfo | null; restored: Restored }
  | { status: 'failed'; code: WorkerErrorCode; message: string; detail: Message };

/** How ModelInfo.id starts for a model made the loaded model with `useModel` (not a shipped one). */
export const SAVED_MODEL_PREFIX = 'saved:';

/** The id of events nobody asked for (a device loss); requests are numbered from 1. */
export const NOTICE_ID = 0;

export type WorkerEvent =
  | { type: 'ready'; id: number; backend: BackendChoice }
  | ({ type: 'progress'; id: number } & Progress)
  | { type: 'step'; id: number; report: StepReport }
  | { type: 'result'; id: number; result: RequestResult }
  /** `detail` says what exactly, for the page to put in words; `message` is it as a log line. */
  | { type: 'error'; id: number; code: WorkerErrorCode; message: string; detail: Message }
  /** Sent with NOTICE_ID when the GPU is lost, then again when the recovery ends. */
  | { type: 'deviceLost'; id: number; loss: DeviceLoss; recovery: Recovery };

export type WorkerEventType = WorkerEvent['type'];

const EVENT_TYPES: readonly string[] = ['ready', 'progress', 'step', 'result', 'error', 'deviceLost'];

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isOptionalBackendList(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length > 0 && value.every(isBackendName));
}

/** The id of a message if it has a usable one, so even a malformed request can be answered. */
export function requestIdOf(message: unknown): number | null {
  const fields = fieldsOf(message);
  return fields !== null && isId(fields.id) ? fields.id : null;
}

/** Checks every field of an incoming request; the worker answers BAD_REQUEST when this fails. */
export function isRequest(message: unknown): message is Request {
  const m = fieldsOf(message);
  if (m === null || !isId(m.id)) return false;
  switch (m.type) {
    case 'init':
      return isOptionalBackendList(m.backends);
    case 'loadModel':
      return typeof m.manifestUrl === 'string' && (m.modelId === undefined || typeof m.modelId === 'string');
    case 'useModel':
      return (
        typeof m.name === 'string' &&
        m.bytes instanceof ArrayBuffer &&
        (m.tokenizer === null || typeof m.tokenizer === 'string')
      );
    case 'generate':
      return typeof m.prompt === 'string' && isGenerationSettings(m.settings);
    case 'importHf':
      return isHfFileList(m.files) && typeof m.name === 'string' && typeof m.createdAt === 'string';
    case 'exportHf':
      return m.checkpoint instanceof ArrayBuffer && typeof m.tokenizer === 'string' && typeof m.source === 'string';
    case 'cancel':
    case 'pause':
    case 'resume':
      return isId(m.target);
    case 'loseDevice':
      return true;
    default:
      return isSessionRequest(m);
  }
}

/**
 * A shallow check of an event: type and id. The worker is built from this same file, so its
 * payloads are trusted; the check only keeps stray messages (other scripts, devtools) out.
 */
export function isWorkerEvent(message: unknown): message is WorkerEvent {
  const m = fieldsOf(message);
  return m !== null && isId(m.id) && typeof m.type === 'string' && EVENT_TYPES.includes(m.type);
}

/** True for the events that settle a request; `progress` and `step` do not. */
export function isFinalEvent(event: WorkerEvent): boolean {
  return event.type !== 'progress' && event.type !== 'step';
}
