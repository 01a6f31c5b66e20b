/**
 * Pretraining: next-token prediction on random windows of the training stream, AdamW with linear
 * warm-up and cosine decay, exact validation loss on the held-out stream, and a resumable state
 * (weights + optimiser moments + step + RNG) so an interrupted run continues exactly as if it had
 * never stopped.
 */
import * as tf from '@tensorflow/tfjs';
import { check, outOfRange } from '../errors';
import { decodeSafetensors, encodeSafetensors, toFloat32 } from '../checkpoint/safetensors';
import { parseGPTConfig } from '../model/config';
import { GPT } from '../model/gpt';
import { maskedCrossEntropy } from '../model/losses';
import { Rng } from '../rng';
import { AdamW, lossAndGrads, type AdamWConfig } from './optimizer';
import { evaluationWindows, randomWindows, slidingWindows } from './corpus';

export interface PretrainConfig {
  /** Optimiser steps in the whole run. */
  steps: number;
  /** Windows of blockSize tokens per step. */
  batchSize: number;
  /** Peak learning rate, reached after warm-up. */
  learningRate: number;
  /** Steps of linear warm-up from 0: keeps Adam's first, noisy moments from wrecking the init. */
  warmupSteps: number;
  /** The cosine schedule ends at this fraction of the peak rate. */
  minLearningRateRatio: number;
  /** Seed of the data order; the model's init seed is separate (new GPT(config, seed)). */
  seed: number;
  /** AdamW settings other than the learning rate. */
  optimizer: Partial<Omit<AdamWConfig, 'learningRate'>>;
  /**
   * Dropout rate in training (0 = none; validation never drops). A corpus of a thousand stories
   * is memorised long before the model stops improving on held-out text; dropout narrows that gap.
   */
  dropout?: number;
  /**
   * Weight averaging: from this step on, the weights after every `averageEvery`-th step are kept
   * in a running sum, and `averagedModel()` is their plain mean (stochastic weight averaging, as
   * in Izmailov et al. 2018, over the tail of the cosine schedule). The mean of nearby points of
   * a noisy descent sits lower on held-out loss than any one of them. Undefined or 0: off.
   */
  averageFrom?: number;
  /** Steps between two averaged snapshots (default 50). */
  averageEvery?: number;
}

export const DEFAULT_PRETRAIN: PretrainConfig = {
  steps: 2000,
  batchSize: 16,
  learningRate: 3e-3,
  warmupSteps: 100,
  minLearningRateRatio: 0.1,
  seed: 0,
  optimizer: {},
  dropout: 0,
};

/** Linear warm-up to the peak, then cosine decay to minLearningRateRatio × peak at the last step. */
export function learningRateAt(step: number, c: PretrainConfig): number {
  if (step < c.warmupSteps) return (c.learningRate * (step + 1)) / c.warmupSteps;
  const progress = Math.min(1, (step - c.warmupSteps) / Math.max(1, c.steps - c.warmupSteps));
  const floor = c.learningRate * c.minLearningRateRatio;
  return floor + 0.5 * (c.learningRate - floor) * (1 + Math.cos(Math.PI * progress));
}

export interface StepReport {
  step: number;
  loss: number;
  gradNorm: number;
  learningRate: number;
  /** True when the gradient was NaN/Inf and the update was skipped. */
  skipped: boolean;
}

const STATE_FORMAT = 'rlhf-playground/pretrain-state';
/** Suffix of the weight-average sums in a saved state (beside the AdamW moments). */
const AVERAGE_SUFFIX = '.average_sum';
export const DEFAULT_AVERAGE_EVERY = 50;

/** A config's weight averaging with its defaults filled in: from 0 means off. */
export function averagingOf(c: Pick<PretrainConfig, 'averageFrom' | 'averageEvery'>): { from: number; every: number } {
  return { from: c.averageFrom ?? 0, every: c.averageEvery ?? DEFAULT_AVERAGE_EVERY };
}

/** Checks the weight-averaging settings; throws BAD_CONFIG naming the one that is wrong. */
export function checkAveraging(c: Pick<PretrainConfig, 'steps' | 'averageFrom' | 'averageEvery'>): void {
  const { from, every } = averagingOf(c);
  check(Number.isInteger(from) && from >= 0 && from <= c.steps, 'BAD_CONFIG', {
    code: 'NUMBER_BETWEEN',
    params: {
      file: null,
      field: 'averageFrom',
      got: String(from),
      min: 1,
      max: c.steps,
      integer: true,
      zeroTurnsOff: true,
    },
  });
  check(Number.isInteger(every) && every > 0, 'BAD_CONFIG', outOfRange(null, 'averageEvery', every, 'positiveInteger'));
}

/** Mean cross-entropy of predicting windows[:, 1:] from windows[:, :-1]; windows [B, T + 1]. */
function windowLoss(model: GPT, windows: number[][], dropout?: { rate: number; seed: number }): tf.Scalar {
  const x = tf.tensor2d(
    windows.map((w) => w.slice(0, -1)),
    undefined,
    'int32',
  ); // [B, T]
  const y = tf.tensor2d(
    windows.map((w) => w.slice(1)),
    undefined,
    'int32',
  ); // [B, T]
  return maskedCrossEntropy(model.logits(x, { dropout }), y);
}

/**
 * Exact mean next-token loss (nats/token) of `model` over every token of `stream`, in windows of
 * the model's context, batchSize windows at a time.
 */
export async function streamLoss(model: GPT, stream: Int32Array, batchSize: number): Promise<number> {
  const windows = evaluationWindows(stream, model.config.blockSize);
  let total = 0;
  let count = 0;
  // Windows of equal length share a batch; only the last window can be shorter.
  for (let i = 0; i < windows.length;) {
    const len = windows[i].length;
    let j = i;
    while (j < windows.length && j - i < batchSize && windows[j].length === len) j++;
    const batch = windows.slice(i, j);
    const mean = tf.tidy(() => windowLoss(model, batch));
    total += (await mean.data())[0] * batch.length * (len - 1);
    count += batch.length * (len - 1);
    mean.dispose();
    i = j;
  }
  return total / count;
}

/**
 * Mean next-token loss over `stream` with sliding windows (see slidingWindows): every token
 * after the first window is predicted with at least blockSize - stride tokens of context.
 */
export async function slidingStreamLoss(model: GPT, stream: Int32Array, stride: number): Promise<number> {
  let total = 0;
  let count = 0;
  for (const { span, from } of slidingWindows(stream, model.config.blockSize, stride)) {
    const T = span.length - 1;
    const mask = [Array.from({ length: T }, (_, i) => (i >= from ? 1 : 0))];
    const mean = tf.tidy(() => {
      const x = tf.tensor2d([span.slice(0, -1)], undefined, 'int32');
      const y = tf.tensor2d([span.slice(1)], undefined, 'int32');
      return maskedCrossEntropy(model.logits(x), y, tf.tensor2d(mask));
    });
    total += (await mean.data())[0] * (T - from);
    count += T - from;
    mean.dispose();
  }
  return total / count;
}

export class Pretrainer {
  readonly model: GPT;
  readonly config: PretrainConfig;
  private readonly optimizer: AdamW;
  private readonly data: { train: Int32Array; validation: Int32Array };
  private rng: Rng;
  /** Running sums of the averaged snapshots' weights, by parameter name (empty before the first). */
  private averageSums = new Map<string, Float32Array>();
  private averageCount = 0;

  constructor(model: GPT, data: { train: Int32Array; validation: Int32Array }, config: PretrainConfig) {
    const rate = config.dropout ?? 0;
    check(
      Number.isFinite(rate) && rate >= 0 && rate < 1,
      'BAD_CONFIG',
      outOfRange(null, 'dropout', rate, 'unitFromZero'),
    );
    checkAveraging(config);
    this.model = model;
    this.config = config;
    this.data = data;
    this.rng = new Rng(config.seed);
    this.optimizer = new AdamW(model.params, { ...config.optimizer, learningRate: config.learningRate });
  }

  /** Optimiser steps taken so far. */
  get step(): number {
    return this.optimizer.stepCount;
  }

  /** One optimiser step on a fresh random batch. */
  async trainStep(): Promise<StepReport> {
    const { blockSize } = this.model.config;
    const windows = randomWindows(this.data.train, this.config.batchSize, blockSize, this.rng);
    const learningRate = learningRateAt(this.step, this.config);
    const rate = this.config.dropout ?? 0;
    // The mask seed comes from the run's RNG (drawn only when dropout is on, so runs without it
    // keep their data order), which the saved state carries: a resumed run draws the same masks.
    const dropout = rate > 0 ? { rate, seed: this.rng.int(1 << 30) } : undefined;
    const { loss, grads } = lossAndGrads(this.model.params, () => windowLoss(this.model, windows, dropout));
    const lossValue = (await loss.data())[0];
    const result = await this.optimizer.step(grads, learningRate);
    tf.dispose([loss, ...grads.values()]);
    if (this.averagesAt(this.step)) await this.addToAverage();
    return { step: this.step, loss: lossValue, gradNorm: result.gradNorm, learningRate, skipped: !result.applied };
  }

  /** Exact mean loss (nats/token) over every token of the validation stream (of `model`, by default the one in training). */
  validationLoss(model: GPT = this.model): Promise<number> {
    return streamLoss(model, this.data.validation, this.config.batchSize);
  }

  /** Whether the weights after `step` go into the average. */
  private averagesAt(step: number): boolean {
    const { from, every } = averagingOf(this.config);
    return from > 0 && step >= from && (step - from) % every === 0;
  }

  private async addToAverage(): Promise<void> {
    for (const [name, { data }] of await this.model.params.read()) {
      const sum = this.averageSums.get(name) ?? new Float32Array(data.length);
      for (let i = 0; i < data.length; i++) sum[i] += data[i];
      this.averageSums.set(name, sum);
    }
    this.averageCount++;
  }

  /** Snapshots in the weight average so far (0 when averaging is off or has not started). */
  get averagedSnapshots(): number {
    return this.averageCount;
  }

  /** A new model holding the mean of the averaged snapshots (the caller disposes it), or null before the first. */
  averagedModel(): GPT | null {
    if (this.averageCount === 0) return null;
    const mean = new Map<string, Float32Array>();
    for (const [name, sum] of this.averageSums)
      mean.set(
        name,
        sum.map((v) => v / this.averageCount),
      );
    return new GPT(this.model.config, mean);
  }

  /** Everything needed to resume exactly: weights, AdamW moments, step, RNG state, configs. */
  async saveState(info: Record<string, unknown> = {}): Promise<Uint8Array> {
    const tensors = await this.model.params.read();
    const opt = await this.optimizer.state();
    for (const [name, t] of opt.tensors) tensors.set(name, t);
    for (const [name, sum] of this.averageSums)
      tensors.set(name + AVERAGE_SUFFIX, { shape: tensors.get(name)?.shape ?? [sum.length], data: sum });
    return encodeSafetensors(tensors, {
      format: STATE_FORMAT,
      averaged: String(this.averageCount),
      step: String(opt.step),
      rng: String(this.rng.seedState),
      gpt_config: JSON.stringify(this.model.config),
      pretrain_config: JSON.stringify(this.config),
      info: JSON.stringify(info),
    });
  }

  /**
   * Rebuilds a Pretrainer from saveState() bytes; the caller supplies the same data streams.
   * `averaging` changes the weight-averaging settings of the saved run, allowed only while no
   * snapshot has been averaged yet (after that, other settings would make a mean of mixed sets).
   */
  static restore(
    bytes: Uint8Array,
    data: { train: Int32Array; validation: Int32Array },
    source = 'train state',
    averaging?: Pick<PretrainConfig, 'averageFrom' | 'averageEvery'>,
  ): { trainer: Pretrainer; info: Record<string, unknown> } {
    const file = decodeSafetensors(bytes, source);
    const meta = file.metadata;
    check(meta.format === STATE_FORMAT, 'BAD_CHECKPOINT', {
      code: 'PRETRAIN_STATE_FORMAT',
      params: { file: source, got: String(JSON.stringify(meta.format)) },
    });
    const gptConfig = parseGPTConfig(JSON.parse(meta.gpt_config ?? 'null'), `${source}: gpt_config`);
    const saved = JSON.parse(meta.pretrain_config ?? 'null') as PretrainConfig;
    const averaged = Number(meta.averaged ?? 0);
    const step = Number(meta.step);
    const config = averaging === undefined ? saved : { ...saved, ...averaging };
    const [before, after] = [averagingOf(saved), averagingOf(config)];
    const changed = before.from !== after.from || before.every !== after.every;
    check(!changed || (averaged === 0 && (after.from === 0 || after.from > step)), 'BAD_CONFIG', {
      code: 'AVERAGING_CHANGED',
      params:
        averaged > 0
          ? { file: source, step, reason: 'averaged', averaged, from: before.from, every: before.every }
          : { file: source, step, reason: 'past', startFrom: after.from },
    });
    const values = new Map<string, Float32Array>();
    for (const [name, entry] of file.tensors) values.set(name, toFloat32(entry, `${source}: ${name}`));
    const trainer = new Pretrainer(new GPT(gptConfig, values), data, config);
    trainer.optimizer.loadState(step, values);
    trainer.rng = new Rng(Number(meta.rng));
    if (averaged > 0) {
      for (const [name] of trainer.model.params.entries()) {
        const sum = values.get(name + AVERAGE_SUFFIX);
        check(sum !== undefined, 'BAD_CHECKPOINT', {
          code: 'AVERAGE_SUM_MISSING',
          params: { file: source, averaged, tensor: name + AVERAGE_SUFFIX },
        });
        trainer.averageSums.set(name, sum);
      }
      trainer.averageCount = averaged;
    }
    return { trainer, info: JSON.parse(meta.info ?? '{}') as Record<string, unknown> };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
