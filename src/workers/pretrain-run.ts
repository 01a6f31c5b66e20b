/**
 * Training the loaded model further on a text the person dropped into the page: the same
 * next-token objective as its pretraining, on the same tokenizer, with the last tenth of the
 * text held out to measure it. Each step takes its own turn in the host's queue, so the page can
 * cancel between steps and other requests are not shut out for the whole run.
 */
import type { GPT, Tokenizer } from '../engine';
import { holdOut, prepareCorpus, splitDocuments } from '../engine/train/corpus';
import { DEFAULT_PRETRAIN, Pretrainer } from '../engine/train/pretrain';
import { WorkerFailure } from './failure';
import type { StepReport } from '../contract/protocol';

/** Gentler than pretraining from scratch: the model already writes, and a small text overfits fast. */
const LEARNING_RATE = 1e-3;
const BATCH_SIZE = 8;

export interface PretrainRun {
  text: string;
  source: string;
  steps: number;
}

export interface PretrainHooks {
  signal: AbortSignal;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  step(report: StepReport): void;
}

/** Trains `model` in place; returns the validation loss before and after. */
export async function runPretraining(
  model: GPT,
  tokenizer: Tokenizer,
  run: PretrainRun,
  hooks: PretrainHooks,
): Promise<{ validationBefore: number; validationAfter: number }> {
  const split = holdOut(splitDocuments(run.text, run.source), run.source);
  const data = prepareCorpus(split, (t) => tokenizer.encode(t), tokenizer.eosId, model.config.blockSize);
  const config = {
    ...DEFAULT_PRETRAIN,
    steps: run.steps,
    batchSize: BATCH_SIZE,
    learningRate: LEARNING_RATE,
    warmupSteps: Math.max(1, Math.min(20, Math.floor(run.steps / 10))),
  };
  const trainer = new Pretrainer(model, data, config);
  const started = performance.now();
  const validationBefore = await hooks.exclusive(() => trainer.validationLoss());
  for (let i = 0; i < run.steps; i++) {
    // A macrotask turn lets a cancel in between steps (WASM steps never yield on their own).
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (hooks.signal.aborted) throw new WorkerFailure('CANCELLED', { code: 'CANCELLED', params: { work: 'pretrain' } });
    const report = await hooks.exclusive(() => trainer.trainStep());
    hooks.step({
      kind: 'pretrain',
      step: report.step,
      total: run.steps,
      loss: report.loss,
      elapsedMs: performance.now() - started,
    });
  }
  const validationAfter = await hooks.exclusive(() => trainer.validationLoss());
  return { validationBefore, validationAfter };
}
