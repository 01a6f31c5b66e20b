/**
 * The page's end of the worker protocol, below the typed calls: each request gets an id and one
 * promise, its `progress` and `step` events go to the caller's callbacks as they arrive, and its
 * final event settles the promise. A request that fails rejects with a WorkerRequestError carrying
 * the protocol's error code, so callers can branch on `code` and put `detail` in words; aborting a
 * request's signal settles it as CANCELLED at once and tells the worker to stop. If the worker
 * itself dies, every waiting request is rejected with WORKER_CRASHED instead of hanging, and so is
 * every later one. Device-loss notices, which answer no request, go to the callback given.
 */
import { messageLogLine, type Message } from '../contract/messages';
import { isFinalEvent, isWorkerEvent } from '../contract/protocol';
import type {
  Progress,
  Request,
  RequestBody,
  RequestResult,
  RequestType,
  StepReport,
  WorkerErrorCode,
  WorkerEvent,
} from '../contract/protocol';
import { RESULT_KINDS, type AnsweredType, type ResultFor } from '../contract/results';

export class WorkerRequestError extends Error {
  readonly code: WorkerErrorCode;
  /** What exactly failed, as a message code and its parameters. */
  readonly detail: Message;
  readonly request: RequestType;

  constructor(code: WorkerErrorCode, detail: Message, request: RequestType) {
    super(messageLogLine(detail));
    this.name = 'WorkerRequestError';
    this.code = code;
    this.detail = detail;
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
  /** Reward-model steps and tuning iterations, as they happen. */
  onStep?: (report: StepReport) => void;
  /** Aborting sends `cancel`; the request then rejects with code CANCELLED. */
  signal?: AbortSignal;
}

/** A device-loss notice: the loss, then again with how the recovery ended. */
export type DeviceLostEvent = Extract<WorkerEvent, { type: 'deviceLost' }>;

/** A request body answered by a result (every request but `init`). */
type Answered = Extract<RequestBody, { type: AnsweredType }>;

interface Pending {
  type: RequestType;
  /** Called with every event for this id; settles the promise on a final one. */
  onEvent(event: WorkerEvent): void;
  fail(error: WorkerRequestError): void;
}

export class RequestChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Why the worker stopped, once it has; every later request is refused with it. */
  private crashReason: Message | null = null;

  constructor(
    private readonly endpoint: WorkerEndpoint,
    private readonly onDeviceLost: (event: DeviceLostEvent) => void,
  ) {
    endpoint.addEventListener('message', (event) => this.dispatch(event.data));
    endpoint.addEventListener('error', (event) => this.crash(describeCrash(event)));
    endpoint.addEventListener('messageerror', () => this.crash({ code: 'WORKER_MESSAGE_UNREADABLE', params: {} }));
  }

  /** Sends `body`; resolves with the result RESULT_KINDS says answers it. */
  ask<B extends Answered>(body: B, options: RequestOptions): Promise<ResultFor<B['type']>> {
    return this.start(body, options).promise;
  }

  /** As `ask`, also giving the request's id (the target of a later `pause` or `resume`). */
  start<B extends Answered>(body: B, options: RequestOptions): { id: number; promise: Promise<ResultFor<B['type']>> } {
    return this.open(body, options, pickResult<B['type']>(body.type));
  }

  /** Sends `body`; resolves with what `pick` finds in its final event (undefined: it failed). */
  send<T>(body: RequestBody, options: RequestOptions, pick: (event: WorkerEvent) => T | undefined): Promise<T> {
    return this.open(body, options, pick).promise;
  }

  private open<T>(
    body: RequestBody,
    options: RequestOptions,
    pick: (event: WorkerEvent) => T | undefined,
  ): { id: number; promise: Promise<T> } {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      if (this.crashReason !== null)
        return reject(new WorkerRequestError('WORKER_CRASHED', this.crashReason, body.type));
      if (options.signal?.aborted)
        return reject(
          new WorkerRequestError('CANCELLED', { code: 'CANCELLED', params: { work: 'request' } }, body.type),
        );
      const onAbort = (): void => this.cancel(id);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        this.pending.delete(id);
        options.signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        type: body.type,
        onEvent: (event) => {
          if (event.type === 'progress')
            return options.onProgress?.({ phase: event.phase, loaded: event.loaded, total: event.total });
          if (event.type === 'step') return options.onStep?.(event.report);
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
    return { id, promise };
  }

  /**
   * Settles request `target` as CANCELLED at once and asks the worker to stop it. The page must
   * not wait for the worker: on WASM and CPU a generation runs without yielding to the worker's
   * event loop, so the worker sees the cancel only after it has finished (and drops the result).
   */
  private cancel(target: number): void {
    const pending = this.pending.get(target);
    if (pending === undefined || this.crashReason !== null) return;
    pending.fail(new WorkerRequestError('CANCELLED', { code: 'CANCELLED', params: { work: 'request' } }, pending.type));
    const id = this.nextId++;
    // The reply (whether the worker still had the request) is not needed; registered so it is
    // recognised and dropped like any settled request's events.
    this.pending.set(id, { type: 'cancel', onEvent: () => undefined, fail: () => undefined });
    this.endpoint.postMessage({ type: 'cancel', id, target });
  }

  private dispatch(data: unknown): void {
    if (!isWorkerEvent(data)) return;
    if (data.type === 'deviceLost') return this.onDeviceLost(data);
    const pending = this.pending.get(data.id);
    // Events for requests already settled (say, a progress event racing a cancel) are dropped.
    if (pending === undefined) return;
    pending.onEvent(data);
    if (isFinalEvent(data)) this.pending.delete(data.id);
  }

  private crash(reason: Message): void {
    this.crashReason ??= reason;
    for (const [id, pending] of [...this.pending]) {
      this.pending.delete(id);
      pending.fail(new WorkerRequestError('WORKER_CRASHED', this.crashReason, pending.type));
    }
  }
}

/** Picks the result that answers a `type` request out of a final event; anything else becomes an error. */
function pickResult<T extends AnsweredType>(type: T): (event: WorkerEvent) => ResultFor<T> | undefined {
  return (event) => (event.type === 'result' && answers(type, event.result) ? event.result : undefined);
}

function answers<T extends AnsweredType>(type: T, result: RequestResult): result is ResultFor<T> {
  return result.kind === RESULT_KINDS[type];
}

function toRequestError(event: WorkerEvent, request: RequestType): WorkerRequestError {
  if (event.type === 'error') return new WorkerRequestError(event.code, event.detail, request);
  return new WorkerRequestError(
    'INTERNAL',
    { code: 'UNEXPECTED_EVENT', params: { request, event: event.type } },
    request,
  );
}

function describeCrash(event: Event): Message {
  // An ErrorEvent has a message; a failed module load is a plain Event with none.
  const reason = 'message' in event && typeof event.message === 'string' && event.message !== '' ? event.message : null;
  return { code: 'WORKER_CRASHED', params: { reason } };
}
