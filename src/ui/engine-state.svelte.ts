/**
 * What the page knows about the engine: which backend runs it, which model is loaded, how far
 * a load has got, and what went wrong, a lost GPU included. Components read these fields; only
 * the methods here talk to the worker.
 */
import type { BackendChoice, BackendName } from '../engine/backend';
import type { DeviceLostEvent, EngineClient } from '../workers/client';
import type { ModelInfo, Progress } from '../contract/protocol';
import { problemOf, toProblem, type Problem } from './problem';
import { messageText } from './strings';

export class EngineState {
  backend = $state.raw<BackendChoice | null>(null);
  backendProblem = $state.raw<Problem | null>(null);
  model = $state.raw<ModelInfo | null>(null);
  modelProblem = $state.raw<Problem | null>(null);
  loading = $state(false);
  progress = $state.raw<Progress | null>(null);
  /** The last loss of the GPU device and how far the recovery has got; null when none. */
  deviceLoss = $state.raw<DeviceLostEvent | null>(null);
  /** Generation needs a model and no load under way (a load replaces the model when it ends). */
  readonly canGenerate = $derived(this.model !== null && !this.loading);

  constructor(
    private readonly client: EngineClient,
    private readonly manifestUrl: string,
    /** Narrows the backend ladder, e.g. to show the WASM path on a machine with WebGPU. */
    readonly backends?: BackendName[],
    /** Called after each successful load: the tuning session starts again on the new model. */
    private readonly onLoaded?: () => Promise<void>,
  ) {
    client.onDeviceLost((event) => void this.deviceLost(event));
  }

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

  /**
   * Follows the worker through a lost GPU: no generation while it restarts, then the new backend
   * and model. The worker rebuilt the model and its session from the bytes it kept; `onLoaded`
   * then puts back the rest from storage (labels, the current checkpoint, the reward model).
   */
  private async deviceLost(event: DeviceLostEvent): Promise<void> {
    this.deviceLoss = event;
    const { recovery } = event;
    this.loading = recovery.status === 'recovering';
    if (recovery.status === 'failed') {
      this.backend = null;
      this.model = null;
      this.backendProblem = problemOf(recovery.code, () => messageText(recovery.detail));
    } else if (recovery.status === 'recovered') {
      this.backend = recovery.backend;
      this.model = recovery.model;
      if (recovery.model !== null) await this.onLoaded?.();
    }
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
