/**
 * "Pretrain on your own text" in the Model stage: a text file dropped into the page trains the
 * loaded model further with the next-token objective, with a progress bar, a loss chart and an
 * estimate of the time left. Afterwards the tuning session starts again on the new weights (the
 * old session's policy and reference were copies of the model before).
 */
import type { EngineClient } from '../workers/client';
import { isCancelled, toProblem, type Problem } from './problem';

export type PretrainClient = Pick<EngineClient, 'pretrain'>;

export interface PretrainDeps {
  client: PretrainClient;
  /** Starts the tuning session again on the trained model; `source` names the text. */
  /** Starts a new run on the trained model; `weightsHash` is null when training stopped early. */
  restart: (source: string, weightsHash: string | null) => Promise<void>;
}

export const DEFAULT_PRETRAIN_STEPS = 200;
export const MAX_PRETRAIN_STEPS = 5000;

export class PretrainState {
  file = $state.raw<{ name: string; text: string } | null>(null);
  steps = $state(DEFAULT_PRETRAIN_STEPS);
  running = $state(false);
  progress = $state.raw<{ step: number; total: number; etaMs: number } | null>(null);
  curve = $state.raw<{ steps: number[]; losses: number[] }>({ steps: [], losses: [] });
  result = $state.raw<{
    steps: number;
    validationBefore: number;
    validationAfter: number;
    weightsHash: string;
  } | null>(null);
  problem = $state.raw<Problem | null>(null);
  private abort: AbortController | null = null;

  constructor(private readonly deps: PretrainDeps) {}

  setFile(name: string, text: string): void {
    this.file = { name, text };
    this.result = null;
    this.problem = null;
  }

  async run(): Promise<void> {
    const file = this.file;
    if (file === null || this.running) return;
    this.running = true;
    this.problem = null;
    this.result = null;
    this.curve = { steps: [], losses: [] };
    this.abort = new AbortController();
    const steps = Math.max(1, Math.min(MAX_PRETRAIN_STEPS, Math.round(this.steps)));
    try {
      this.result = await this.deps.client.pretrain(file.text, file.name, steps, {
        signal: this.abort.signal,
        onStep: (r) => {
          if (r.kind !== 'pretrain') return;
          // Time per step so far, times the steps left.
          this.progress = { step: r.step, total: r.total, etaMs: (r.elapsedMs / r.step) * (r.total - r.step) };
          this.curve = { steps: [...this.curve.steps, r.step], losses: [...this.curve.losses, r.loss] };
        },
      });
    } catch (err) {
      if (!isCancelled(err)) this.problem = toProblem(err);
    } finally {
      this.running = false;
      this.progress = null;
      this.abort = null;
    }
    // Even a stopped run has changed the weights, and the worker has dropped the old session.
    await this.deps.restart(file.name, this.result?.weightsHash ?? null);
  }

  stop(): void {
    this.abort?.abort();
  }
}
