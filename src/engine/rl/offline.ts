/**
 * The part DPO and SFT share: passes over a fixed dataset (preference pairs, demonstrations) in
 * shuffled minibatches, each a loss on the policy, with the same NaN safety net as the online
 * methods.
 */
import * as tf from '@tensorflow/tfjs';
import type { Message } from '../../contract/messages';
import { check } from '../errors';
import type { GPT } from '../model/gpt';
import { Rng } from '../rng';
import { AdamW } from '../train/optimizer';
import type { OfflineConfig } from './algorithm-defaults';
import { minibatches, minibatchUpdates, PolicySnapshot } from './iteration';

export type { OfflineConfig } from './algorithm-defaults';

/** One minibatch's loss and diagnostics, computed inside the gradient tape. */
export type BatchLoss<T> = (batch: T[]) => { loss: tf.Scalar; diagnostics: tf.Scalar[] };

export class OfflineRunner {
  private readonly policy: GPT;
  private readonly optimizer: AdamW;
  private readonly snapshot: PolicySnapshot;
  private readonly config: OfflineConfig;
  private passes = 0;

  constructor(policy: GPT, config: OfflineConfig) {
    this.config = config;
    this.policy = policy;
    this.optimizer = new AdamW(policy.params, {
      learningRate: config.learningRate,
      maxGradNorm: config.maxGradNorm,
      weightDecay: 0,
    });
    this.snapshot = new PolicySnapshot([policy.params]);
  }

  /**
   * config.epochsPerIteration passes over `data`; returns the mean of each named diagnostic.
   * Throws NOT_ENOUGH_LABELS with `empty` when there is no data.
   */
  async run<T>(data: T[], names: string[], batchLoss: BatchLoss<T>, empty: Message): Promise<Record<string, number>> {
    check(data.length > 0, 'NOT_ENOUGH_LABELS', empty);
    const rng = new Rng(this.config.seed + 7919 * this.passes++);
    const batches = minibatches(
      data.length,
      Math.ceil(data.length / this.config.batchSize),
      this.config.epochsPerIteration,
      rng,
    );
    const stats = await minibatchUpdates(this.policy.params, this.optimizer, batches, names, (idx) =>
      batchLoss(idx.map((i) => data[i])),
    );
    const restored = await this.snapshot.keepOrRestore(
      stats['policy/skipped_updates'] === 0 && Object.values(stats).every(Number.isFinite),
    );
    return { ...stats, 'numerics/restored': restored ? 1 : 0 };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.snapshot.dispose();
  }
}
