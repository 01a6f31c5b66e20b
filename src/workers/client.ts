/**
 * The engine worker's typed API for the page: one method per request, each resolving with what
 * that request answers (a tuning run also gets pause and resume switches). The requests travel
 * over a RequestChannel, which routes their progress and step events, cancels them on abort and
 * rejects them with a WorkerRequestError when they fail or the worker dies. Events nobody asked
 * for (a lost GPU device, and the recovery from it) go to the `onDeviceLost` listeners.
 */
import type { GPTConfig } from '../engine';
import type { PairRequest } from '../contract/pairs';
import type { BackendChoice, BackendName } from '../engine/backend';
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
  Question,
  RewardTraining,
  SamplePair,
  SessionInfo,
} from '../contract/protocol';
import { toHfFiles, type HfModel } from '../contract/hf-model';
import type { LabelLog } from '../contract/labels';
import type { ExperimentId } from '../contract/experiments';
import type { BudgetStopView } from '../contract/views';
import type { LabelSampling, TuneSettings } from '../contract/tune-settings';
import type { GenerationSettings } from '../contract/generation-settings';
import { RequestChannel, type DeviceLostEvent, type RequestOptions, type WorkerEndpoint } from './request-channel';

export { WorkerRequestError, type DeviceLostEvent, type RequestOptions, type WorkerEndpoint } from './request-channel';

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

export class EngineClient {
  private readonly lossListeners = new Set<(event: DeviceLostEvent) => void>();
  private readonly channel: RequestChannel;

  constructor(endpoint: WorkerEndpoint) {
    this.channel = new RequestChannel(endpoint, (event) => {
      for (const listener of this.lossListeners) listener(event);
    });
  }

  /** Starts a backend; resolves with which one won and why. */
  init(backends?: BackendName[], options: RequestOptions = {}): Promise<BackendChoice> {
    return this.channel.send({ type: 'init', backends }, options, (e) => (e.type === 'ready' ? e.backend : undefined));
  }

  /** Loads a model from the manifest at `manifestUrl` (default model unless `modelId` is given). */
  loadModel(manifestUrl: string, modelId?: string, options: RequestOptions = {}): Promise<ModelInfo> {
    return this.channel.ask({ type: 'loadModel', manifestUrl, modelId }, options).then((r) => r.model);
  }

  /** Makes a saved checkpoint the loaded model; the session must be started again afterwards. */
  useModel(name: string, bytes: ArrayBuffer, tokenizer: string | null): Promise<ModelInfo> {
    return this.channel.ask({ type: 'useModel', name, bytes, tokenizer }, {}).then((r) => r.model);
  }

  /** Continues `prompt` with the loaded model. */
  generate(prompt: string, settings: GenerationSettings, options: RequestOptions = {}): Promise<GenerationResult> {
    return this.channel.ask({ type: 'generate', prompt, settings: { ...settings } }, options).then((r) => r.generation);
  }

  /** Starts the RLHF session on the loaded model; resolves with the simulated labelers on offer. */
  startSession(seed: number): Promise<SessionInfo> {
    return this.channel.ask({ type: 'startSession', seed }, {}).then((r) => r.session);
  }

  samplePair(
    prompts: string[],
    active: boolean,
    sampling: LabelSampling,
    options: RequestOptions = {},
  ): Promise<PairRequest> {
    return this.channel
      .ask({ type: 'samplePair', prompts, active, sampling: { ...sampling } }, options)
      .then((r) => r.pair);
  }

  /** One response to rate, and whether it ended with end-of-text. */
  sampleOne(
    prompt: string,
    sampling: LabelSampling,
    options: RequestOptions = {},
  ): Promise<{ text: string; ended: boolean }> {
    return this.channel.ask({ type: 'sampleOne', prompt, sampling: { ...sampling } }, options).then((r) => ({
      text: r.text,
      ended: r.ended,
    }));
  }

  async setLabels(labels: LabelLog): Promise<void> {
    await this.channel.ask({ type: 'setLabels', labels }, {});
  }

  async setLabeler(labeler: LabelerSpec | null): Promise<void> {
    await this.channel.ask({ type: 'setLabeler', labeler }, {});
  }

  /** The simulated labeler's answer to `question`. */
  judge(question: Question): Promise<Answer> {
    return this.channel.ask({ type: 'judge', question }, {}).then((r) => r.answer);
  }

  trainReward(prompts: string[], options: RequestOptions = {}): Promise<RewardTraining> {
    return this.channel.ask({ type: 'trainReward', prompts }, options).then((r) => r.training);
  }

  scoreText(prompt: string, response: string): Promise<{ score: number; disagreement: number }> {
    return this.channel.ask({ type: 'scoreText', prompt, response }, {}).then(({ score, disagreement }) => ({
      score,
      disagreement,
    }));
  }

  async configure(settings: TuneSettings): Promise<void> {
    await this.channel.ask({ type: 'configure', settings: { ...settings } }, {});
  }

  /** Runs `iterations` policy iterations; `onStep` receives each one's metrics and samples. */
  iterate(prompts: string[], iterations: number, options: RequestOptions = {}): TuningRun {
    const { id, promise } = this.channel.start({ type: 'iterate', prompts, iterations }, options);
    const toggle = (type: 'pause' | 'resume') => this.channel.ask({ type, target: id }, {}).then((r) => r.found);
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
    await this.channel.ask({ type: 'reset' }, {});
  }

  evaluate(
    base: PolicyRef,
    tuned: PolicyRef,
    options: EvaluateOptions,
    request: RequestOptions = {},
  ): Promise<PolicyComparison> {
    return this.channel.ask({ type: 'evaluate', base, tuned, options }, request).then((r) => r.comparison);
  }

  /** Fresh responses of both policies to each prompt, judged by no one (a blind round's pairs). */
  samplePolicies(base: PolicyRef, tuned: PolicyRef, options: PolicySampling): Promise<SamplePair[]> {
    return this.channel.ask({ type: 'samplePolicies', base, tuned, options }, {}).then((r) => r.samples);
  }

  savePolicy(name: string): Promise<{ bytes: ArrayBuffer; config: GPTConfig }> {
    return this.channel.ask({ type: 'savePolicy', name }, {}).then(({ bytes, config }) => ({ bytes, config }));
  }

  /** Restores the policy's weights from checkpoint bytes (copied, so `bytes` stays usable). */
  async loadPolicy(bytes: ArrayBuffer): Promise<void> {
    await this.channel.ask({ type: 'loadPolicy', bytes }, {});
  }

  /** Trains the loaded model further on `text`; the session must be started again afterwards. */
  pretrain(
    text: string,
    source: string,
    steps: number,
    options: RequestOptions = {},
  ): Promise<{ steps: number; validationBefore: number; validationAfter: number; weightsHash: string }> {
    return this.channel
      .ask({ type: 'pretrain', text, source, steps }, options)
      .then(({ steps: done, validationBefore, validationAfter, weightsHash }) => ({
        steps: done,
        validationBefore,
        validationAfter,
        weightsHash,
      }));
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
    return this.channel.ask({ type: 'importHf', files: toHfFiles(files), name, createdAt }, {}).then((r) => r.model);
  }

  /** Checkpoint bytes and their tokenizer.json text as the files of a GPT-2 directory, converted in the worker. */
  exportHf(checkpoint: ArrayBuffer, tokenizer: string, source: string): Promise<Map<string, Uint8Array>> {
    return this.channel
      .ask({ type: 'exportHf', checkpoint, tokenizer, source }, {})
      .then((r) => new Map(r.files.map((f) => [f.name, new Uint8Array(f.bytes)])));
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
    return this.channel
      .ask({ type: 'runExperiment', experiment, seed, prompts, limits: { ...limits } }, options)
      .then((r) => r.arms);
  }

  /** The loaded model's tokenizer as tokenizer.json text. */
  tokenizer(): Promise<string> {
    return this.channel.ask({ type: 'tokenizer' }, {}).then((r) => r.json);
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
    return this.channel.ask({ type: 'loseDevice' }, {}).then((r) => r.destroyed);
  }
}
