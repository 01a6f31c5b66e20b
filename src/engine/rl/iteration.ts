/**
 * What every policy optimiser (PPO, GRPO, RLOO, DPO, SFT) shares: the result of one iteration,
 * and the numerical safety net that keeps NaNs out of the weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../model/params';
import type { Rollout } from './rollout';

export interface IterationResult {
  /** Plain numbers under TRL's metric names (objective/kl, loss/policy, ...), plus timings. */
  metrics: Record<string, number>;
  /** The samples the iteration learned from (online methods), for the UI's sample stream. */
  rollout?: Rollout;
}

export function mean(xs: number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * A device-side copy of the trained weights as of the last healthy iteration. If an update went
 * non-finite (a skipped NaN step, an exploding loss), the weights are put back, so a NaN can never
 * reach a saved checkpoint.
 */
export class PolicySnapshot {
  private readonly live: ParamStore[];
  private readonly saved: tf.Variable[][];

  constructor(stores: ParamStore[]) {
    this.live = stores;
    this.saved = stores.map((s) => s.entries().map(([, v]) => tf.variable(v, false)));
  }

  private async allFinite(): Promise<boolean> {
    const bad = tf.tidy(() => tf.addN(this.live.flatMap((s) => s.entries().map(([, v]) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(v)), 'float32'))))));
    const n = (await bad.data())[0];
    bad.dispose();
    return n === 0;
  }

  /**
   * After an update: when it was healthy and every weight is finite, remember these weights;
   * otherwise restore the remembered ones. Returns true when it restored.
   */
  async keepOrRestore(healthy: boolean): Promise<boolean> {
    const ok = healthy && (await this.allFinite());
    this.live.forEach((s, i) =>
      s.entries().forEach(([, v], j) => (ok ? this.saved[i][j].assign(v) : v.assign(this.saved[i][j]))),
    );
    return !ok;
  }

  dispose(): void {
    this.saved.flat().forEach((v) => v.dispose());
  }
}
