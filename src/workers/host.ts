/**
 * The worker's side of the protocol, kept apart from the worker global so Node tests can drive
 * it directly. It owns the one model, answers every request exactly once, and runs engine work
 * one turn at a time so a load never swaps the model out from under a running generation.
 * `cancel`, `pause` and `resume` are answered at once; a cancelled request ends with a CANCELLED
 * error and anything it would still have sent is dropped. The RLHF session requests are handed to
 * SessionHost; a tuning run takes one turn per iteration, so other requests run between them.
 */
import { initBackend, type BackendChoice } from '../engine/backend';
import { GPT, Tokenizer, generateText, loadCheckpoint, promptIds } from '../engine';
import { fetchBytes, fetchJSON, type ByteProgress, type FetchFn } from './download';
import { WorkerFailure, toErrorEvent } from './failure';
import { parseManifest, pickModel, resolveModelFile } from './manifest';
import { isRequest, requestIdOf } from './protocol';
import type { GenerationResult, ProgressPhase, ManifestEntry, ModelInfo, Request, StepReport, WorkerEvent } from './protocol';
import { SessionHost, transferablesOf, type SessionRequest } from './session-host';
import { toGenerateOptions } from './settings';

export interface HostOptions {
  /** Sends one event to the page; `transfer` lists buffers to move rather than copy. */
  post: (event: WorkerEvent, transfer?: Transferable[]) => void;
  fetch: FetchFn;
  /** The WASM backend's binaries by file name (the worker gets their URLs from Vite). */
  wasmPaths?: Record<string, string>;
  /** What relative manifest URLs are resolved against: the worker script's own URL. */
  baseUrl: string;
}

type EngineRequest = Exclude<Request, { type: 'cancel' }>;
type CancelRequest = Extract<Request, { type: 'cancel' }>;
type ModelRequest = Extract<Request, { type: 'init' | 'loadModel' | 'useModel' | 'generate' }>;
type Post = (event: WorkerEvent) => void;

function isModelRequest(request: EngineRequest): request is ModelRequest {
  return request.type === 'init' || request.type === 'loadModel' || request.type === 'useModel' || request.type === 'generate';
}

interface LoadedModel {
  model: GPT;
  tokenizer: Tokenizer;
  info: ModelInfo;
}

interface ModelFiles {
  tokenizer: unknown;
  checkpoint: Uint8Array;
  checkpointUrl: string;
  card: string | null;
}

export class EngineHost {
  private backend: BackendChoice | null = null;
  private loaded: LoadedModel | null = null;
  /** Queued and running engine requests, each with the controller that cancels it. */
  private readonly jobs = new Map<number, AbortController>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly session: SessionHost;

  constructor(private readonly options: HostOptions) {
    this.session = new SessionHost({
      loaded: () => this.loaded,
      exclusive: (work) => this.exclusive(work),
      step: (id, report) => this.postStep(id, report),
    });
  }

  /** Handles one incoming message; a message that is not a valid request gets BAD_REQUEST. */
  receive(message: unknown): void {
    if (!isRequest(message)) {
      const id = requestIdOf(message);
      // Without an id nobody can be waiting for an answer, so there is no one to tell.
      if (id !== null) this.options.post({ type: 'error', id, code: 'BAD_REQUEST', message: describeBadRequest(message) });
      return;
    }
    if (message.type === 'cancel') this.cancel(message);
    else this.enqueue(message);
  }

  /** Runs `work` after every turn queued before it; a failed turn does not block later ones. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private enqueue(request: EngineRequest): void {
    const controller = new AbortController();
    this.jobs.set(request.id, controller);
    const selfScheduled = !isModelRequest(request) && SessionHost.schedulesItself(request);
    const job = selfScheduled ? this.run(request, controller.signal) : this.exclusive(() => this.run(request, controller.signal));
    void job.finally(() => this.jobs.delete(request.id));
  }

  private async run(request: EngineRequest, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const post: Post = (event) => {
      if (!signal.aborted) this.options.post(event, transferablesOf(event));
    };
    try {
      post(await this.execute(request, signal, post));
    } catch (err) {
      post(toErrorEvent(request.id, err));
    }
  }

  private async execute(request: EngineRequest, signal: AbortSignal, post: Post): Promise<WorkerEvent> {
    if (!isModelRequest(request)) return { type: 'result', id: request.id, result: await this.session.execute(request satisfies SessionRequest, signal) };
    switch (request.type) {
      case 'init':
        return this.init(request);
      case 'loadModel':
        return this.loadModel(request, signal, post);
      case 'useModel':
        return Promise.resolve(this.useModel(request));
      case 'generate':
        return this.generate(request, signal, post);
    }
  }

  /** A step event of a request still running; dropped once it was cancelled. */
  private postStep(id: number, report: StepReport): void {
    if (this.jobs.get(id)?.signal.aborted === false) this.options.post({ type: 'step', id, report });
  }

  private cancel(request: CancelRequest): void {
    const job = this.jobs.get(request.target);
    if (job !== undefined) {
      job.abort();
      this.jobs.delete(request.target);
      this.options.post({ type: 'error', id: request.target, code: 'CANCELLED', message: 'This request was cancelled.' });
    }
    this.options.post({ type: 'result', id: request.id, result: { kind: 'cancelled', target: request.target, found: job !== undefined } });
  }

  private async init(request: Extract<Request, { type: 'init' }>): Promise<WorkerEvent> {
    // A model's variables belong to the backend they were made on: start again from no model.
    this.replaceModel(null);
    try {
      this.backend = await initBackend({ order: request.backends, wasmPaths: this.options.wasmPaths });
    } catch (err) {
      this.backend = null;
      throw new WorkerFailure('NO_BACKEND', err instanceof Error ? err.message : String(err));
    }
    return { type: 'ready', id: request.id, backend: this.backend };
  }

  private async loadModel(request: Extract<Request, { type: 'loadModel' }>, signal: AbortSignal, post: Post): Promise<WorkerEvent> {
    if (this.backend === null) throw new WorkerFailure('NOT_READY', 'The engine has not started yet: send init before loadModel.');
    const started = performance.now();
    const progress = (phase: ProgressPhase): ByteProgress => (loaded, total) => post({ type: 'progress', id: request.id, phase, loaded, total });
    const manifestUrl = new URL(request.manifestUrl, this.options.baseUrl).href;
    const rawManifest = await fetchJSON(this.options.fetch, manifestUrl, 'BAD_MANIFEST', { signal, onProgress: progress('manifest') });
    const manifest = parseManifest(rawManifest, manifestUrl);
    const entry = pickModel(manifest, request.modelId, manifestUrl);
    const files = await this.download(entry, manifestUrl, signal, progress);
    progress('build')(0, 1);
    const tokenizer = Tokenizer.fromJSON(files.tokenizer);
    const { model } = loadCheckpoint(files.checkpoint, { tokenizer, source: files.checkpointUrl });
    progress('build')(1, 1);
    const info: ModelInfo = {
      id: entry.id,
      title: entry.title,
      available: manifest.models.map((m) => ({ id: m.id, title: m.title })),
      config: { ...model.config },
      paramCount: model.paramCount(),
      checkpointBytes: files.checkpoint.byteLength,
      card: files.card,
      loadMs: performance.now() - started,
    };
    if (signal.aborted) model.dispose();
    else this.replaceModel({ model, tokenizer, info });
    return { type: 'result', id: request.id, result: { kind: 'model', model: info } };
  }

  private useModel(request: Extract<Request, { type: 'useModel' }>): WorkerEvent {
    const current = this.loaded;
    if (this.backend === null || current === null) throw new WorkerFailure('NO_MODEL', 'Load the shipped model first: a saved model replaces it.');
    const started = performance.now();
    const tokenizer = request.tokenizer === null ? current.tokenizer : Tokenizer.fromJSON(parseTokenizer(request.tokenizer, request.name));
    const { model } = loadCheckpoint(new Uint8Array(request.bytes), { tokenizer, source: request.name });
    const info: ModelInfo = {
      ...current.info,
      id: `saved:${request.name}`,
      title: request.name,
      config: { ...model.config },
      paramCount: model.paramCount(),
      checkpointBytes: request.bytes.byteLength,
      card: null,
      loadMs: performance.now() - started,
    };
    this.replaceModel({ model, tokenizer, info });
    return { type: 'result', id: request.id, result: { kind: 'model', model: info } };
  }

  private async download(entry: ManifestEntry, manifestUrl: string, signal: AbortSignal, progress: (phase: ProgressPhase) => ByteProgress): Promise<ModelFiles> {
    const fetchFn = this.options.fetch;
    const tokenizerUrl = resolveModelFile(entry.tokenizer, manifestUrl);
    const tokenizer = await fetchJSON(fetchFn, tokenizerUrl, 'BAD_TOKENIZER', { signal, onProgress: progress('tokenizer') });
    const checkpointUrl = resolveModelFile(entry.checkpoint, manifestUrl);
    const accept = 'application/octet-stream';
    const checkpoint = await fetchBytes(fetchFn, checkpointUrl, { accept, signal, onProgress: progress('checkpoint') });
    const card = await this.downloadCard(resolveModelFile(entry.card, manifestUrl), signal, progress('card'));
    return { tokenizer, checkpoint, checkpointUrl, card };
  }

  /** The model card is documentation: a missing one is shown as missing, not as a failed load. */
  private async downloadCard(url: string, signal: AbortSignal, onProgress: ByteProgress): Promise<string | null> {
    try {
      const bytes = await fetchBytes(this.options.fetch, url, { accept: 'text/markdown, text/plain', signal, onProgress });
      return new TextDecoder().decode(bytes);
    } catch (err) {
      if (err instanceof WorkerFailure && err.code === 'MODEL_NOT_FOUND') return null;
      throw err;
    }
  }

  private async generate(request: Extract<Request, { type: 'generate' }>, signal: AbortSignal, post: Post): Promise<WorkerEvent> {
    const loaded = this.loaded;
    if (loaded === null) throw new WorkerFailure('NO_MODEL', 'No model is loaded, so there is nothing to generate with.');
    // Once tuning has started, the prompt box shows what the tuned policy writes.
    const model = this.session.policy ?? loaded.model;
    const started = performance.now();
    const promptTokens = promptIds(loaded.tokenizer, request.prompt).length;
    // Generation also stops when the context is full, so the bar's end is the smaller of the two.
    const total = Math.max(1, Math.min(request.settings.maxNewTokens, model.config.blockSize - promptTokens));
    const onStep = async (step: number): Promise<void> => {
      post({ type: 'progress', id: request.id, phase: 'generate', loaded: step, total });
      // A macrotask turn lets a cancel message in even on WASM/CPU, where each step is synchronous.
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Throwing here is how a cancel stops the loop between tokens; generation frees its cache.
      if (signal.aborted) throw new WorkerFailure('CANCELLED', 'Generation was cancelled.');
    };
    const options = { ...toGenerateOptions(request.settings), onStep };
    const output = await generateText(model, loaded.tokenizer, request.prompt, options);
    const generation: GenerationResult = {
      prompt: request.prompt,
      text: output.text,
      tokens: output.tokens,
      logProbs: output.logProbs,
      finishReason: output.finishReason,
      promptTokens,
      elapsedMs: performance.now() - started,
      settings: request.settings,
    };
    return { type: 'result', id: request.id, result: { kind: 'generation', generation } };
  }

  private replaceModel(next: LoadedModel | null): void {
    // The session was built on the old model: the page starts a new one for the new model.
    this.session.dispose();
    this.loaded?.model.dispose();
    this.loaded = next;
  }
}

function parseTokenizer(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new WorkerFailure('BAD_TOKENIZER', `The tokenizer stored with "${name}" is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function describeBadRequest(message: unknown): string {
  const fields: Record<string, unknown> = typeof message === 'object' && message !== null ? { ...message } : {};
  const type = typeof fields.type === 'string' ? `"${fields.type}"` : 'without a type';
  return `The engine worker received a malformed request ${type}: a field is missing, has the wrong type or is out of range.`;
}
