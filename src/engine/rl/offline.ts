/**
 * The part DPO and SFT share: passes over a fixed dataset (preference pairs, demonstrations) in
 * shuffled minibatches, each a loss on the policy, with the same NaN safety net as the online
 * methods.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors';
import type { GPT } from '../model/gpt';
import { Rng } from '../rng';
import { AdamW, lossAndGrads } from '../train/optimizer';
import { averageColumns, minibatches, PolicySnapshot } from './iteration';

export interface OfflineConfig {
  /** Examples per optimiser step. */
  batchSize: number;
  /** Passes over the data per iteration. */
  epochsPerIteration: number;
  /** AdamW step size. */
  learningRate: number;
  /** Global gradient-norm clip. */
  maxGradNorm: number;
  seed: number;
}

/**
 * One minibatch's loss and diagnostics. It runs inside a gradient tape: return the loss, and
 * the diagnostics as one tensor that the caller reads after the step (it is tf.keep-ed here).
 */
export type BatchLoss<T> = (batch: T[]) => { loss: tf.Scalar; diagnostics: tf.Tensor1D };

export class OfflineRunner {
  private readonly policy: GPT;
  private readonly optimizer: AdamW;
  private readonly snapshot: PolicySnapshot;
  private readonly config: OfflineConfig;
  private passes = 0;

  constructor(policy: GPT, config: OfflineConfig) {
    this.config = config;
    this.policy = policy;
    this.optimizer = new AdamW(policy.params, { learningRate: config.learningRate, maxGradNorm: config.maxGradNorm, weightDecay: 0 });
    this.snapshot = new PolicySnapshot([policy.params]);
  }

  /** config.epochsPerIteration passes over `data`; returns the mean of each named diagnostic. */
  async run<T>(data: T[], names: string[], batchLoss: BatchLoss<T>, what: string): Promise<Record<string, number>> {
    check(data.length > 0, 'BAD_ARGUMENT', `there are no ${what} to learn from yet`);
    const rng = new Rng(this.config.seed + 7919 * this.passes++);
    const rows: number[][] = [];
    let skipped = 0;
    for (const idx of minibatches(data.length, Math.ceil(data.length / this.config.batchSize), this.config.epochsPerIteration, rng)) {
      let kept: tf.Tensor | undefined;
      const { loss, grads } = lossAndGrads(this.policy.params, () => {
        const out = batchLoss(idx.map((i) => data[i]));
        kept = tf.keep(out.diagnostics);
        return out.loss;
      });
      if (!(await this.optimizer.step(grads)).applied) skipped++;
      rows.push(Array.from(await kept!.data()));
      tf.dispose([loss, kept!, ...grads.values()]);
    }
    const stats = averageColumns(rows, names);
    const restored = await this.snapshot.keepOrRestore(skipped === 0 && Object.values(stats).every(Number.isFinite));
    return { ...stats, 'policy/skipped_updates': skipped, 'numerics/restored': restored ? 1 : 0 };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.snapshot.dispose();
  }
}
