/**
 * The worker's side of the protocol, kept apart from the worker global so Node tests can drive
 * it directly. It owns the one model, answers every request exactly once, and runs engine work
 * one turn at a time so a load never swaps the model out from under a running generation.
 * `cancel`, `pause` and `resume` are answered at once; a cancelled request ends with a CANCELLED
 * error and anything it would still have sent is dropped. The RLHF session requests are handed to
 * SessionHost; a tuning run takes one turn per iteration, so other requests run between them.
 *
 * When the WebGPU device is lost, the requests it was running end with DEVICE_LOST, the page is
 * told (a `deviceLost` event), and the host starts again on the next backend down the ladder
 * from the bytes it kept (RecoveryPoint): the loaded model and the policy's last checkpoint.
 */
import {
  destroyDevice,
  deviceLostWithin,
  fallBackFrom,
  initBackend,
  onDeviceLost,
  type BackendChoice,
  type DeviceLoss,
} from '../engine/backend';
import type { Message } from '../contract/messages';
import { EngineError } from '../engine/errors';
import { RecoveryPoint, interrupted } from './device-loss';
import type { FetchFn } from './download';
import { WorkerFailure, describeError, failure, toErrorEvent } from './failure';
import { runGeneration } from './generate-run';
import { checkpointOf, loadSavedModel, loadShippedModel, rebuildModel, type LoadedModel } from './model-load';
import { NOTICE_ID, isRequest, requestIdOf } from '../contract/protocol';
import type { Recovery, Request, RequestType, StepReport, WorkerEvent } from '../contract/protocol';
import { convertHf, isHfRequest } from './hf-convert';
import { SessionHost, type SessionRequest } from './session-host';
import { weightsHash } from './weights-hash';

export interface HostOptions {
  /** Sends one event to the page; `transfer` lists buffers to move rather than copy. */
  post: (event: WorkerEvent, transfer?: Transferable[]) => void;
  fetch: FetchFn;
  /** The WASM backend's binaries by file name (the worker gets their URLs from Vite). */
  wasmPaths?: Record<string, string>;
  /** What relative manifest URLs are resolved against: the worker script's own URL. */
  baseUrl: string;
}

type EngineRequest = Exclude<Request, { type: 'cancel' | 'loseDevice' }>;
type CancelRequest = Extract<Request, { type: 'cancel' }>;
type ModelRequest = Extract<Request, { type: 'init' | 'loadModel' | 'useModel' | 'generate' }>;
type Post = (event: WorkerEvent) => void;

function isModelRequest(request: EngineRequest): request is ModelRequest {
  return (
    request.type === 'init' ||
    request.type === 'loadModel' ||
    request.type === 'useModel' ||
    request.type === 'generate'
  );
}

interface Job {
  controller: AbortController;
  type: RequestType;
  /** Whether it has begun: only begun requests can have been using a device that was lost. */
  started: boolean;
}

/**
 * How long a recovery waits for the request running on the lost device to give up. Reads from a
 * lost device fail at once in Chromium; this only guards against one that never settles.
 */
const RECOVERY_WAIT_MS = 5000;
/** How long an unexpected error on WebGPU waits for the device's loss to be reported. */
const LOSS_REPORT_MS = 500;

export class EngineHost {
  private backend: BackendChoice | null = null;
  private loaded: LoadedModel | null = null;
  /** Queued and running engine requests, each with the controller that cancels it. */
  private readonly jobs = new Map<number, Job>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The turn running now: a recovery waits for it before it swaps the backend. */
  private running: Promise<unknown> = Promise.resolve();
  /** Settles when the recovery from a lost device is over; every turn waits for it first. */
  private recovering: Promise<void> = Promise.resolve();
  private stopWatching: () => void = () => undefined;
  private readonly point = new RecoveryPoint();
  private readonly session: SessionHost;

  constructor(private readonly options: HostOptions) {
    this.session = new SessionHost({
      loaded: () => this.loaded,
      exclusive: (work) => this.exclusive(work),
      step: (id, report) => this.postStep(id, report),
      modelChanged: () => this.modelChanged(),
    });
  }

  /** Handles one incoming message; a message that is not a valid request gets BAD_REQUEST. */
  receive(message: unknown): void {
    if (!isRequest(message)) {
      const id = requestIdOf(message);
      // Without an id nobody can be waiting for an answer, so there is no one to tell.
      if (id !== null) this.options.post({ type: 'error', id, ...failure('BAD_REQUEST', badRequest(message)) });
      return;
    }
    if (message.type === 'cancel') this.cancel(message);
    // Answered at once, not queued: a real loss does not wait for the running request either.
    else if (message.type === 'loseDevice')
      this.options.post({
        type: 'result',
        id: message.id,
        result: { kind: 'deviceDestroyed', destroyed: destroyDevice() },
      });
    else this.enqueue(message);
  }

  /**
   * Runs `work` after every turn queued before it; a failed turn does not block later ones.
   * After a device loss, turns still queued wait for the recovery and run on the new backend.
   */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      await this.recovering;
      const running = work();
      this.running = running.catch(() => undefined);
      return running;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private enqueue(request: EngineRequest): void {
    const job: Job = { controller: new AbortController(), type: request.type, started: false };
    this.jobs.set(request.id, job);
    const selfScheduled = !isModelRequest(request) && !isHfRequest(request) && SessionHost.schedulesItself(request);
    const done = selfScheduled ? this.run(request, job) : this.exclusive(() => this.run(request, job));
    void done.finally(() => this.jobs.delete(request.id));
  }

  private async run(request: EngineRequest, job: Job): Promise<void> {
    const signal = job.controller.signal;
    if (signal.aborted) return;
    job.started = true;
    const post: Post = (event) => {
      if (!signal.aborted) this.options.post(event, transferablesOf(event));
    };
    try {
      post(await this.execute(request, signal, post));
    } catch (err) {
      // A GPU going away fails reads before it reports the loss: then the loss aborts this
      // request and answers it with DEVICE_LOST, and this error is dropped.
      if (!(err instanceof WorkerFailure || err instanceof EngineError)) await deviceLostWithin(LOSS_REPORT_MS);
      post(toErrorEvent(request.id, err));
    }
  }

  private async execute(request: EngineRequest, signal: AbortSignal, post: Post): Promise<WorkerEvent> {
    if (isModelRequest(request)) return this.executeModel(request, signal, post);
    if (isHfRequest(request)) return { type: 'result', id: request.id, result: convertHf(request) };
    if (request.type === 'savePolicy') this.point.checkSave();
    const result = await this.session.execute(request satisfies SessionRequest, signal);
    this.point.note(request, result);
    return { type: 'result', id: request.id, result };
  }

  private executeModel(request: ModelRequest, signal: AbortSignal, post: Post): Promise<WorkerEvent> {
    switch (request.type) {
      case 'init':
        return this.init(request);
      case 'loadModel':
        return this.loadModel(request, signal, post);
      case 'useModel':
        return this.useModel(request);
      case 'generate':
        return this.generate(request, signal, post);
    }
  }

  /**
   * Pretraining changed the loaded model's weights: it is a new base. Its new bytes are kept for a
   * recovery, and its hash is what a run started on it records.
   */
  private async modelChanged(): Promise<string> {
    const loaded = this.loaded;
    if (loaded === null) throw new WorkerFailure('NO_MODEL', { code: 'NO_MODEL', params: { what: 'keep' } });
    const bytes = await checkpointOf(loaded);
    this.point.modelLoaded(bytes);
    const hash = await weightsHash(bytes, loaded.info.title);
    loaded.info = { ...loaded.info, weightsHash: hash };
    return hash;
  }

  /** A step event of a request still running; dropped once it was cancelled. */
  private postStep(id: number, report: StepReport): void {
    if (this.jobs.get(id)?.controller.signal.aborted === false) this.options.post({ type: 'step', id, report });
  }

  private cancel(request: CancelRequest): void {
    const job = this.jobs.get(request.target);
    if (job !== undefined) {
      job.controller.abort();
      this.jobs.delete(request.target);
      this.options.post({
        type: 'error',
        id: request.target,
        ...failure('CANCELLED', { code: 'CANCELLED', params: { work: 'request' } }),
      });
    }
    this.options.post({
      type: 'result',
      id: request.id,
      result: { kind: 'cancelled', target: request.target, found: job !== undefined },
    });
  }

  private async init(request: Extract<Request, { type: 'init' }>): Promise<WorkerEvent> {
    // A model's variables belong to the backend they were made on: start again from no model.
    this.replaceModel(null);
    // Whatever happens to the old backend's device from here on is our doing, not a loss.
    this.stopWatching();
    try {
      this.backend = await initBackend({ order: request.backends, wasmPaths: this.options.wasmPaths });
    } catch (err) {
      this.backend = null;
      throw new WorkerFailure('NO_BACKEND', describeError(err, 'NO_BACKEND').detail);
    }
    this.watch();
    return { type: 'ready', id: request.id, backend: this.backend };
  }

  private watch(): void {
    this.stopWatching = onDeviceLost((loss) => this.deviceLost(loss));
  }

  /**
   * The GPU is gone, and with it every tensor: the requests that were running end at once with
   * DEVICE_LOST (none is left hanging), and the recovery starts once the running turn gave up.
   */
  private deviceLost(loss: DeviceLoss): void {
    this.stopWatching = () => undefined;
    this.options.post({ type: 'deviceLost', id: NOTICE_ID, loss, recovery: { status: 'recovering' } });
    for (const [id, job] of this.jobs) {
      if (!job.started) continue;
      job.controller.abort();
      this.jobs.delete(id);
      this.options.post(toErrorEvent(id, interrupted(job.type, loss)));
    }
    const { base, policy } = this.point.lost(loss);
    const wait = new Promise((resolve) => setTimeout(resolve, RECOVERY_WAIT_MS));
    this.recovering = Promise.race([this.running, wait]).then(() => this.recover(loss, base, policy));
  }

  /** Starts the next backend and rebuilds the model and session there; tells the page how it went. */
  private async recover(loss: DeviceLoss, base: Uint8Array | null, policy: ArrayBuffer | null): Promise<void> {
    const previous = this.loaded;
    const hadSession = this.session.policy !== null;
    // Frees what was on the lost device (nothing there can be read any more).
    this.replaceModel(null);
    let recovery: Recovery;
    try {
      const backend = await fallBackFrom(loss, { wasmPaths: this.options.wasmPaths });
      this.backend = backend;
      this.watch();
      recovery = {
        status: 'recovered',
        backend,
        ...(await this.rebuild(previous, base, hadSession ? policy : undefined)),
      };
    } catch (err) {
      this.backend = null;
      recovery = { status: 'failed', ...describeError(err, 'NO_BACKEND') };
    }
    this.options.post({ type: 'deviceLost', id: NOTICE_ID, loss, recovery });
  }

  /**
   * The model from its kept bytes, warmed up on the new backend, and the session on it; `policy`
   * undefined means there was no session, null a session whose policy was never saved.
   */
  private async rebuild(
    previous: LoadedModel | null,
    base: Uint8Array | null,
    policy: ArrayBuffer | null | undefined,
  ): Promise<Omit<Extract<Recovery, { status: 'recovered' }>, 'status' | 'backend'>> {
    if (previous === null || base === null) return { model: null, restored: 'nothing' };
    const rebuilt = await rebuildModel(previous, base);
    this.replaceModel(rebuilt);
    if (policy !== undefined) this.session.revive(policy);
    return { model: rebuilt.info, restored: policy === null || policy === undefined ? 'model' : 'checkpoint' };
  }

  private async loadModel(
    request: Extract<Request, { type: 'loadModel' }>,
    signal: AbortSignal,
    post: Post,
  ): Promise<WorkerEvent> {
    if (this.backend === null) throw new WorkerFailure('NOT_READY', { code: 'NOT_READY', params: {} });
    const { loaded, bytes } = await loadShippedModel(request, this.options, signal, (phase, done, total) =>
      post({ type: 'progress', id: request.id, phase, loaded: done, total }),
    );
    if (signal.aborted) loaded.model.dispose();
    else this.replaceModel(loaded, bytes);
    return { type: 'result', id: request.id, result: { kind: 'model', model: loaded.info } };
  }

  private async useModel(request: Extract<Request, { type: 'useModel' }>): Promise<WorkerEvent> {
    const current = this.loaded;
    if (this.backend === null || current === null)
      throw new WorkerFailure('NO_MODEL', { code: 'NO_SHIPPED_MODEL', params: {} });
    const { loaded, bytes } = await loadSavedModel(request, current);
    this.replaceModel(loaded, bytes);
    return { type: 'result', id: request.id, result: { kind: 'model', model: loaded.info } };
  }

  private async generate(
    request: Extract<Request, { type: 'generate' }>,
    signal: AbortSignal,
    post: Post,
  ): Promise<WorkerEvent> {
    const loaded = this.loaded;
    if (loaded === null) throw new WorkerFailure('NO_MODEL', { code: 'NO_MODEL', params: { what: 'generate' } });
    // Once tuning has started, the prompt box shows what the tuned policy writes.
    return runGeneration(this.session.policy ?? loaded.model, loaded.tokenizer, request, { signal, post });
  }

  /** `bytes`: the new model's checkpoint, kept so a device loss can rebuild it elsewhere. */
  private replaceModel(next: LoadedModel | null, bytes?: Uint8Array): void {
    // The session was built on the old model: the page starts a new one for the new model.
    this.session.dispose();
    this.loaded?.model.dispose();
    this.loaded = next;
    if (bytes !== undefined) this.point.modelLoaded(bytes);
  }
}

/** The type a malformed request claims, for the BAD_REQUEST message. */
function badRequest(message: unknown): Message {
  const fields: Record<string, unknown> = typeof message === 'object' && message !== null ? { ...message } : {};
  return { code: 'BAD_REQUEST', params: { request: typeof fields.type === 'string' ? fields.type : null } };
}

/** The events a request's result needs besides itself: a checkpoint's bytes are transferred. */
export function transferablesOf(event: WorkerEvent): Transferable[] {
  if (event.type !== 'result') return [];
  if (event.result.kind === 'checkpoint') return [event.result.bytes];
  if (event.result.kind === 'hfModel') return [event.result.model.checkpoint];
  if (event.result.kind === 'hfFiles') return event.result.files.map((f) => f.bytes);
  return event.result.kind === 'rewardModel' ? [event.result.training.checkpoint] : [];
}
