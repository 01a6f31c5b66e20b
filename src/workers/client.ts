/**
 * The page's side of the protocol: one promise per request, correlated by id. A request that
 * fails rejects with a WorkerRequestError carrying the protocol's error code, so callers can
 * branch on `code` and show `message`; if the worker itself dies, every waiting request is
 * rejected with WORKER_CRASHED instead of hanging.
 */
import type { BackendChoice, BackendName } from '../engine/backend';
import { isFinalEvent, isWorkerEvent } from './protocol';
import type { GenerationResult, Progress, ModelInfo, Request, RequestBody, RequestType, WorkerErrorCode, WorkerEvent } from './protocol';
import type { GenerationSettings } from './settings';

export class WorkerRequestError extends Error {
  readonly code: WorkerErrorCode;
  readonly request: RequestType;

  constructor(code: WorkerErrorCode, message: string, request: RequestType) {
    super(message);
    this.name = 'WorkerRequestError';
    this.code = code;
    this.request = request;
  }
}

/** What the client needs of a Worker (a MessagePort works too, which is how Node tests use it). */
export interface WorkerEndpoint {
  postMessage(message: Request): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
}

export interface RequestOptions {
  onProgress?: (progress: Progress) => void;
  /** Aborting sends `cancel`; the request then rejects with code CANCELLED. */
  signal?: AbortSignal;
}

interface Pending {
  type: RequestType;
  /** Called with every event for this id; settles the promise on a final one. */
  onEvent(event: WorkerEvent): void;
  fail(error: WorkerRequestError): void;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Why the worker stopped, once it has; every later request is refused with it. */
  private crashReason: string | null = null;

  constructor(private readonly endpoint: WorkerEndpoint) {
    endpoint.addEventListener('message', (event) => this.dispatch(event.data));
    endpoint.addEventListener('error', (event) => this.crash(describeCrash(event)));
    endpoint.addEventListener('messageerror', () => this.crash('a message from the engine worker could not be read'));
  }

  /** Starts a backend; resolves with which one won and why. */
  init(backends?: BackendName[], options: RequestOptions = {}): Promise<BackendChoice> {
    return this.send({ type: 'init', backends }, options, (e) => (e.type === 'ready' ? e.backend : undefined));
  }

  /** Loads a model from the manifest at `manifestUrl` (default model unless `modelId` is given). */
  loadModel(manifestUrl: string, modelId?: string, options: RequestOptions = {}): Promise<ModelInfo> {
    return this.send({ type: 'loadModel', manifestUrl, modelId }, options, (e) =>
      e.type === 'result' && e.result.kind === 'model' ? e.result.model : undefined,
    );
  }

  /** Continues `prompt` with the loaded model. */
  generate(prompt: string, settings: GenerationSettings, options: RequestOptions = {}): Promise<GenerationResult> {
    return this.send({ type: 'generate', prompt, settings: { ...settings } }, options, (e) =>
      e.type === 'result' && e.result.kind === 'generation' ? e.result.generation : undefined,
    );
  }

  private send<T>(body: RequestBody, options: RequestOptions, pick: (event: WorkerEvent) => T | undefined): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.crashReason !== null) return reject(new WorkerRequestError('WORKER_CRASHED', this.crashReason, body.type));
      if (options.signal?.aborted) return reject(new WorkerRequestError('CANCELLED', 'This request was cancelled.', body.type));
      const onAbort = (): void => this.cancel(id);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        this.pending.delete(id);
        options.signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        type: body.type,
        onEvent: (event) => {
          if (event.type === 'progress') return options.onProgress?.({ phase: event.phase, loaded: event.loaded, total: event.total });
          settle();
          const value = pick(event);
          if (value !== undefined) resolve(value);
          else reject(toRequestError(event, body.type));
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      });
      this.endpoint.postMessage({ ...body, id });
    });
  }

  /**
   * Settles request `target` as CANCELLED at once and asks the worker to stop it. The page must
   * not wait for the worker: on WASM and CPU a generation runs without yielding to the worker's
   * event loop, so the worker sees the cancel only after it has finished (and drops the result).
   */
  private cancel(target: number): void {
    const pending = this.pending.get(target);
    if (pending === undefined || this.crashReason !== null) return;
    pending.fail(new WorkerRequestError('CANCELLED', 'This request was cancelled.', pending.type));
    const id = this.nextId++;
    // The reply (whether the worker still had the request) is not needed; registered so it is
    // recognised and dropped like any settled request's events.
    this.pending.set(id, { type: 'cancel', onEvent: () => undefined, fail: () => undefined });
    this.endpoint.postMessage({ type: 'cancel', id, target });
  }

  private dispatch(data: unknown): void {
    if (!isWorkerEvent(data)) return;
    const pending = this.pending.get(data.id);
    // Events for requests already settled (say, a progress event racing a cancel) are dropped.
    if (pending === undefined) return;
    pending.onEvent(data);
    if (isFinalEvent(data)) this.pending.delete(data.id);
  }

  private crash(reason: string): void {
    this.crashReason ??= `The engine worker stopped: ${reason}.`;
    for (const [id, pending] of [...this.pending]) {
      this.pending.delete(id);
      pending.fail(new WorkerRequestError('WORKER_CRASHED', this.crashReason, pending.type));
    }
  }
}

function toRequestError(event: WorkerEvent, request: RequestType): WorkerRequestError {
  if (event.type === 'error') return new WorkerRequestError(event.code, event.message, request);
  return new WorkerRequestError('INTERNAL', `The engine worker answered a ${request} request with an unexpected "${event.type}" event.`, request);
}

function describeCrash(event: Event): string {
  // An ErrorEvent has a message; a failed module load is a plain Event with none.
  if ('message' in event && typeof event.message === 'string' && event.message !== '') return event.message;
  return 'its script failed to load or threw an uncaught error (see the browser console)';
}
