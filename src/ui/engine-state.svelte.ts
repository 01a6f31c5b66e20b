/**
 * What the page knows about the engine: which backend runs it, which model is loaded, how far
 * a load has got, and what went wrong. Components read these fields; only the methods here
 * talk to the worker.
 */
import type { BackendChoice, BackendName } from '../engine/backend';
import type { EngineClient } from '../workers/client';
import type { ModelInfo, Progress } from '../workers/protocol';
import { toProblem, type Problem } from './problem';

export class EngineState {
  backend = $state.raw<BackendChoice | null>(null);
  backendProblem = $state.raw<Problem | null>(null);
  model = $state.raw<ModelInfo | null>(null);
  modelProblem = $state.raw<Problem | null>(null);
  loading = $state(false);
  progress = $state.raw<Progress | null>(null);
  /** Generation needs a model and no load under way (a load replaces the model when it ends). */
  readonly canGenerate = $derived(this.model !== null && !this.loading);

  constructor(
    private readonly client: EngineClient,
    private readonly manifestUrl: string,
    /** Narrows the backend ladder, e.g. to show the WASM path on a machine with WebGPU. */
    readonly backends?: BackendName[],
    /** Called after each successful load: the tuning session starts again on the new model. */
    private readonly onLoaded?: () => Promise<void>,
  ) {}

  /** Starts a backend, then loads the manifest's default model. */
  async start(): Promise<void> {
    try {
      this.backend = await this.client.init(this.backends);
    } catch (err) {
      this.backendProblem = toProblem(err);
      return;
    }
    await this.loadModel();
  }

  /**
   * Makes a saved checkpoint (an imported or pretrained model) the loaded model; on failure the
   * previous model stays in use. Resolves with whether it worked.
   */
  async useSaved(name: string, bytes: ArrayBuffer, tokenizer: string | null): Promise<boolean> {
    this.loading = true;
    this.modelProblem = null;
    try {
      this.model = await this.client.useModel(name, bytes, tokenizer);
    } catch (err) {
      this.modelProblem = toProblem(err);
      return false;
    } finally {
      this.loading = false;
    }
    await this.onLoaded?.();
    return true;
  }

  /** Loads a model; on failure the previous model, if any, stays in use. */
  async loadModel(modelId?: string): Promise<void> {
    this.loading = true;
    this.modelProblem = null;
    try {
      this.model = await this.client.loadModel(this.manifestUrl, modelId, {
        onProgress: (progress) => (this.progress = progress),
      });
    } catch (err) {
      this.modelProblem = toProblem(err);
      return;
    } finally {
      this.loading = false;
      this.progress = null;
    }
    await this.onLoaded?.();
  }
}
