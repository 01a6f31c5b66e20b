/**
 * The one contract between the page and the engine worker, imported by both sides.
 *
 * The page sends a `Request` carrying a fresh `id`; the worker answers that id with any number of
 * `progress` events and then exactly one final event: `ready` (for `init`), `result`, or `error`.
 * Everything here is plain structured-clone data: numbers, strings, arrays and plain objects.
 * No tensor ever crosses the boundary; the model lives only inside the worker.
 */
import type { BackendChoice, BackendName } from '../engine/backend';
import type { GPTConfig } from '../engine';
import type { EngineErrorCode } from '../engine/errors';
import { isGenerationSettings, type GenerationSettings } from './settings';

export type Request =
  /** Start a tfjs backend; `backends` narrows the ladder (default: webgpu, wasm, webgl, cpu). */
  | { id: number; type: 'init'; backends?: BackendName[] }
  /** Download the manifest, then the chosen model (default: the manifest's `default`) and build it. */
  | { id: number; type: 'loadModel'; manifestUrl: string; modelId?: string }
  /** Continue `prompt` with the loaded model. */
  | { id: number; type: 'generate'; prompt: string; settings: GenerationSettings }
  /** Stop request `target`: it ends with a CANCELLED error and its result, if any, is dropped. */
  | { id: number; type: 'cancel'; target: number };

export type RequestType = Request['type'];

/** A request as the client builds it, before it is given an id. */
export type RequestBody = WithoutId<Request>;
// Distributes over the union, so each member keeps its own fields.
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

/** Downloads count bytes; `build` counts 0 then 1; `generate` counts tokens. */
export type ProgressPhase = 'manifest' | 'tokenizer' | 'checkpoint' | 'card' | 'build' | 'generate';

export interface Progress {
  phase: ProgressPhase;
  /** Units done so far. */
  loaded: number;
  /** Units expected, or null when unknown (a server that sent no Content-Length). */
  total: number | null;
}

/** A model entry of `public/models/manifest.json`; paths are relative to the manifest. */
export interface ManifestEntry {
  id: string;
  title: string;
  checkpoint: string;
  tokenizer: string;
  card: string;
}

export interface ModelManifest {
  default: string;
  models: ManifestEntry[];
}

export interface ModelInfo {
  id: string;
  title: string;
  /** Every model the manifest offers, so the page can offer a choice. */
  available: { id: string; title: string }[];
  config: GPTConfig;
  paramCount: number;
  checkpointBytes: number;
  /** The model card (Markdown source), or null when the manifest's card file is missing. */
  card: string | null;
  /** Wall time of the whole load: downloads plus building the model. */
  loadMs: number;
}

export interface GenerationResult {
  prompt: string;
  /** The continuation only, without the prompt. */
  text: string;
  tokens: number[];
  /** Natural-log probability of each sampled token under the sampling distribution. */
  logProbs: number[];
  finishReason: 'eos' | 'length';
  promptTokens: number;
  elapsedMs: number;
  settings: GenerationSettings;
}

export type RequestResult =
  | { kind: 'model'; model: ModelInfo }
  | { kind: 'generation'; generation: GenerationResult }
  | { kind: 'cancelled'; target: number; found: boolean };

export type WorkerErrorCode =
  | EngineErrorCode
  | 'NO_BACKEND' // no tfjs backend could start
  | 'NOT_READY' // a model was requested before `init` succeeded
  | 'MODEL_NOT_FOUND' // the manifest or a model file is missing on the server
  | 'BAD_MANIFEST' // the manifest is not JSON of the expected shape
  | 'NETWORK' // a download failed or was cut short
  | 'NO_MODEL' // `generate` arrived before a model was loaded
  | 'CANCELLED' // a `cancel` request stopped this one
  | 'BAD_REQUEST' // a message that is not a valid request
  | 'WORKER_CRASHED' // the worker itself failed or was closed (raised by the client)
  | 'INTERNAL'; // anything unexpected: a bug, reported with its message

export type WorkerEvent =
  | { type: 'ready'; id: number; backend: BackendChoice }
  | ({ type: 'progress'; id: number } & Progress)
  | { type: 'result'; id: number; result: RequestResult }
  | { type: 'error'; id: number; code: WorkerErrorCode; message: string };

export type WorkerEventType = WorkerEvent['type'];

/**
 * The backend names, as values the page may use. A copy of the engine's BACKEND_LADDER because
 * importing that would pull all of TensorFlow.js into the page's bundle, which never runs it.
 */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];
const EVENT_TYPES: readonly string[] = ['ready', 'progress', 'result', 'error'];

/** The fields of an object as a record, or null for anything that is not a plain object. */
function fieldsOf(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return { ...value };
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isOptionalBackendList(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length > 0 && value.every((b) => BACKEND_NAMES.some((name) => name === b)));
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
    case 'generate':
      return typeof m.prompt === 'string' && isGenerationSettings(m.settings);
    case 'cancel':
      return isId(m.target);
    default:
      return false;
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

/** True for the events that settle a request; `progress` is the only one that does not. */
export function isFinalEvent(event: WorkerEvent): boolean {
  return event.type !== 'progress';
}
