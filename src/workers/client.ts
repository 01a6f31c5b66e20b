/**
 * The page's side of the protocol: one promise per request, correlated by id (a tuning run also
 * gets pause and resume switches), with `progress` and `step` events delivered to callbacks as
 * they arrive. A request that fails rejects with a WorkerRequestError carrying the protocol's
 * error code, so callers can branch on `code` and put `detail` in words; if the worker itself dies,
 * every waiting request is rejected with WORKER_CRASHED instead of hanging. Events nobody asked
 * for (a lost GPU device, and the recovery from it) go to the `onDeviceLost` listeners.
 */
import { messageLogLine, type Message } from '../contract/messages';
import type { GPTConfig } from '../engine';
import type { PairRequest } from '../contract/pairs';
import type { BackendChoice, BackendName } from '../engine/backend';
import { isFinalEvent, isWorkerEvent } from '../contract/protocol';
import type {
  Answer,
  EvaluateOptions,
  ExperimentLimits,
  GenerationResult,
  LabelerSpec,
  ModelInfo,
  PolicyComparison,
  PolicyRef,
  PolicySampling,
  Progress,
  Question,
  Request,
  RequestBody,
  RequestResult,
  RequestType,
  RewardTraining,
  SamplePair,
  SessionInfo,
  StepReport,
  WorkerErrorCode,
  WorkerEvent,
} from '../contract/protocol';
import { toHfFiles, type HfModel } from '../contract/hf-model';
import { RESULT_KINDS, type AnsweredType, type ResultFor } from '../contract/results';
import type { LabelLog } from '../contract/labels';
import type { ExperimentId } from '../contract/experiments';
import type { BudgetStopView } from '../contract/views';
import type { LabelSampling, TuneSettings } from '../contract/tune-settings';
import type { GenerationSettings } from '../contract/generation-settings';

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

/** A tuning run in progress: its end, and the switches that hold it between iterations. */
export interface TuningRun {
  /** Resolves with the iterations run; rejects with CANCELLED when stopped. */
  done: Promise<number>;
  /** Where the KL budget stopped the run, or null when it did not (it also resolves null on a failure). */
  stopped: Promise<BudgetStopView | null>;
  /** Each resolves with whether the run was still going. */
  pause(): Promise<boolean>;
  resume(): Promise<boolean>;
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

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Why the worker stopped, once it has; every later request is refused with it. */
  private crashReason: Message | null = null;
  private readonly lossListeners = new Set<(event: DeviceLostEvent) => void>();

  constructor(private readonly endpoint: WorkerEndpoint) {
    endpoint.addEventListener('message', (event) => this.dispatch(event.data));
    endpoint.addEventListener('error', (event) => this.crash(describeCrash(event)));
    endpoint.addEventListener('messageerror', () => this.crash({ code: 'WORKER_MESSAGE_UNREADABLE', params: {} }));
  }

  /** Starts a backend; resolves with which one won and why. */
  init(backends?: BackendName[], options: RequestOptions = {}): Promise<BackendChoice> {
    return this.send({ type: 'init', backends }, options, (e) => (e.type === 'ready' ? e.backend : undefined));
  }

  /** Loads a model from the manifest at `manifestUrl` (default model unless `modelId` is given). */
  loadModel(manifestUrl: string, modelId?: string, options: RequestOptions = {}): Promise<ModelInfo> {
    return this.ask({ type: 'loadModel', manifestUrl, modelId }, options).then((r) => r.model);
  }

  /** Makes a saved checkpoint the loaded model; the session must be started again afterwards. */
  useModel(name: string, bytes: ArrayBuffer, tokenizer: string | null): Promise<ModelInfo> {
    return this.ask({ type: 'useModel', name, bytes, tokenizer }, {}).then((r) => r.model);
  }

  /** Continues `prompt` with the loaded model. */
  generate(prompt: string, settings: GenerationSettings, options: RequestOptions = {}): Promise<GenerationResult> {
    return this.ask({ type: 'generate', prompt, settings: { ...settings } }, options).then((r) => r.generation);
  }

  /** Starts the RLHF session on the loaded model; resolves with the simulated labelers on offer. */
  startSession(seed: number): Promise<SessionInfo> {
    return this.ask({ type: 'startSession', seed }, {}).then((r) => r.session);
  }

  samplePair(
    prompts: string[],
    active: boolean,
    sampling: LabelSampling,
    options: RequestOptions = {},
  ): Promise<PairRequest> {
    return this.ask({ type: 'samplePair', prompts, active, sampling: { ...sampling } }, options).then((r) => r.pair);
  }

  /** One response to rate, and whether it ended with end-of-text. */
  sampleOne(
    prompt: string,
    sampling: LabelSampling,
    options: RequestOptions = {},
  ): Promise<{ text: string; ended: boolean }> {
    return this.ask({ type: 'sampleOne', prompt, sampling: { ...sampling } }, options).then((r) => ({
      text: r.text,
      ended: r.ended,
    }));
  }

  async setLabels(labels: LabelLog): Promise<void> {
    await this.ask({ type: 'setLabels', labels }, {});
  }

  async setLabeler(labeler: LabelerSpec | null): Promise<void> {
    await this.ask({ type: 'setLabeler', labeler }, {});
  }

  /** The simulated labeler's answer to `question`. */
  judge(question: Question): Promise<Answer> {
    return this.ask({ type: 'judge', question }, {}).then((r) => r.answer);
  }

  trainReward(prompts: string[], options: RequestOptions = {}): Promise<RewardTraining> {
    return this.ask({ type: 'trainReward', prompts }, options).then((r) => r.training);
  }

  scoreText(prompt: string, response: string): Promise<{ score: number; disagreement: number }> {
    return this.ask({ type: 'scoreText', prompt, response }, {}).then(({ score, disagreement }) => ({
      score,
      disagreement,
    }));
  }

  async configure(settings: TuneSettings): Promise<void> {
    await this.ask({ type: 'configure', settings: { ...settings } }, {});
  }

  /** Runs `iterations` policy iterations; `onStep` receives each one's metrics and samples. */
  iterate(prompts: string[], iterations: number, options: RequestOptions = {}): TuningRun {
    const { id, promise } = this.start({ type: 'iterate', prompts, iterations }, options, pickResult('iterate'));
    const toggle = (type: 'pause' | 'resume') => this.ask({ type, target: id }, {}).then((r) => r.found);
    return {
      done: promise.then((r) => r.iterations),
      stopped: promise.then(
        (r) => r.stopped ?? null,
        () => null,
      ),
      pause: () => toggle('pause'),
      resume: () => toggle('resume'),
    };
  }

  async reset(): Promise<void> {
    await this.ask({ type: 'reset' }, {});
  }

  evaluate(
    base: PolicyRef,
    tuned: PolicyRef,
    options: EvaluateOptions,
    request: RequestOptions = {},
  ): Promise<PolicyComparison> {
    return this.ask({ type: 'evaluate', base, tuned, options }, request).then((r) => r.comparison);
  }

  /** Fresh responses of both policies to each prompt, judged by no one (a blind round's pairs). */
  samplePolicies(base: PolicyRef, tuned: PolicyRef, options: PolicySampling): Promise<SamplePair[]> {
    return this.ask({ type: 'samplePolicies', base, tuned, options }, {}).then((r) => r.samples);
  }

  savePolicy(name: string): Promise<{ bytes: ArrayBuffer; config: GPTConfig }> {
    return this.ask({ type: 'savePolicy', name }, {}).then(({ bytes, config }) => ({ bytes, config }));
  }

  /** Restores the policy's weights from checkpoint bytes (copied, so `bytes` stays usable). */
  async loadPolicy(bytes: ArrayBuffer): Promise<void> {
    await this.ask({ type: 'loadPolicy', bytes }, {});
  }

  /** Trains the loaded model further on `text`; the session must be started again afterwards. */
  pretrain(
    text: string,
    source: string,
    steps: number,
    options: RequestOptions = {},
  ): Promise<{ steps: number; validationBefore: number; validationAfter: number; weightsHash: string }> {
    return this.ask({ type: 'pretrain', text, source, steps }, options).then(
      ({ steps: done, validationBefore, validationAfter, weightsHash }) => ({
        steps: done,
        validationBefore,
        validationAfter,
        weightsHash,
      }),
    );
  }

  /**
   * A Hugging Face GPT-2 directory (file name -> bytes) converted into our checkpoint, in the
   * worker; `createdAt` (ISO time, default now) is written in the checkpoint.
   */
  importHf(
    files: ReadonlyMap<string, Uint8Array>,
    name: string,
    createdAt: string = new Date().toISOString(),
  ): Promise<HfModel> {
    return this.ask({ type: 'importHf', files: toHfFiles(files), name, createdAt }, {}).then((r) => r.model);
  }

  /** Checkpoint bytes and their tokenizer.json text as the files of a GPT-2 directory, converted in the worker. */
  exportHf(checkpoint: ArrayBuffer, tokenizer: string, source: string): Promise<Map<string, Uint8Array>> {
    return this.ask({ type: 'exportHf', checkpoint, tokenizer, source }, {}).then(
      (r) => new Map(r.files.map((f) => [f.name, new Uint8Array(f.bytes)])),
    );
  }

  /**
   * Runs an experiment in a session of its own (the person's session is left as it is); `onStep`
   * receives its labels, reward-model training and each arm's iterations. Abort to stop it.
   */
  runExperiment(
    experiment: ExperimentId,
    seed: number,
    prompts: string[],
    limits: ExperimentLimits,
    options: RequestOptions = {},
  ): Promise<string[]> {
    return this.ask({ type: 'runExperiment', experiment, seed, prompts, limits: { ...limits } }, options).then(
      (r) => r.arms,
    );
  }

  /** The loaded model's tokenizer as tokenizer.json text. */
  tokenizer(): Promise<string> {
    return this.ask({ type: 'tokenizer' }, {}).then((r) => r.json);
  }

  /** Calls `listener` with every device-loss notice; returns a function that stops it. */
  onDeviceLost(listener: (event: DeviceLostEvent) => void): () => void {
    this.lossListeners.add(listener);
    return () => this.lossListeners.delete(listener);
  }

  /**
   * For tests and debugging: takes the engine's GPU away (destroys the WebGPU device, loses the
   * WebGL context) as a driver reset would.
   * Resolves with whether there was one; the loss itself arrives through `onDeviceLost`.
   */
  loseDevice(): Promise<boolean> {
    return this.ask({ type: 'loseDevice' }, {}).then((r) => r.destroyed);
  }

  /** Sends `body`; resolves with the result RESULT_KINDS says answers it. */
  private ask<B extends Answered>(body: B, options: RequestOptions): Promise<ResultFor<B['type']>> {
    return this.start(body, options, pickResult<B['type']>(body.type)).promise;
  }

  private send<T>(body: RequestBody, options: RequestOptions, pick: (event: WorkerEvent) => T | undefined): Promise<T> {
    return this.start(body, options, pick).promise;
  }

  private start<T>(
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
    if (data.type === 'deviceLost') {
      for (const listener of this.lossListeners) listener(data);
      return;
    }
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
