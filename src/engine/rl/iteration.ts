/**
 * What every policy optimiser (PPO, GRPO, RLOO, DPO, SFT) shares: the result of one iteration,
 * and the numerical safety net that keeps NaNs out of the weights.
 */
import * as tf from '@tensorflow/tfjs';
import { sumAll } from '../kernels/sum';
import type { NamedParams, ParamStore } from '../model/params';
import { lossAndGrads, type AdamW } from '../train/optimizer';
import type { Metrics } from '../../contract/metrics';
import type { Rollout } from './rollout';

export interface IterationResult {
  /** Plain numbers under TRL's metric names (objective/kl, loss/policy, ...), plus timings. */
  metrics: Metrics;
  /** The samples the iteration learned from (online methods), for the UI's sample stream. */
  rollout?: Rollout;
  /** The advantage of every response token [B, Lr] (online methods), for the token view. */
  advantages?: number[][];
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

  /**
   * Σ w·0 over every weight is 0 when all are finite and NaN otherwise (∞·0 = NaN). Plain
   * arithmetic, one reduction per variable.
   */
  private async allFinite(): Promise<boolean> {
    const probe = tf.tidy(() => sumAll(this.live.flatMap((s) => s.entries().map(([, v]) => tf.sum(tf.mul(v, 0))))));
    const value = (await probe.data())[0];
    probe.dispose();
    return value === 0;
  }

  /**
   * After an update: when it was healthy and every weight is finite, remember these weights;
   * otherwise restore the remembered ones. Returns true when it restored.
   */
  async keepOrRestore(healthy: boolean): Promise<boolean> {
    const ok = healthy && (await this.allFinite());
    if (ok) this.remember();
    else this.restore();
    return !ok;
  }

  /** Copies the live weights into the snapshot, as they are. */
  remember(): void {
    this.live.forEach((s, i) => s.entries().forEach(([, v], j) => this.saved[i][j].assign(v)));
  }

  /** Puts the remembered weights back. */
  restore(): void {
    this.live.forEach((s, i) => s.entries().forEach(([, v], j) => v.assign(this.saved[i][j])));
  }

  dispose(): void {
    this.saved.flat().forEach((v) => v.dispose());
  }
}

/** Row indices of each minibatch: `epochs` shuffled passes over B rows, split into numMiniBatches. */
export function* minibatches(
  B: number,
  numMiniBatches: number,
  epochs: number,
  rng: { shuffle<T>(xs: T[]): T[] },
): Generator<number[]> {
  const size = Math.ceil(B / numMiniBatches);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.shuffle([...Array(B).keys()]);
    for (let start = 0; start < B; start += size) yield order.slice(start, start + size);
  }
}

/** Means of each column of per-step diagnostics, under the given names. */
export function averageColumns(rows: number[][], names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((name, k) => [name, mean(rows.map((r) => r[k]))]));
}

/** Metrics every online method reports about its samples (TRL's entropy estimate: Σ -log π). */
export function rolloutMetrics(r: Rollout): Record<string, number> {
  const masked = (row: number[], i: number) => row.reduce((a, lp, j) => a + lp * r.seq.responseMask[i][j], 0);
  return {
    'objective/entropy': mean(r.logp.map((row, i) => -masked(row, i))),
    'response/length': mean(r.responses.map((x) => x.length)),
    'response/ended_fraction': mean(r.ended.map(Number)),
    'time/generate_ms': r.timings.generateMs,
    'time/score_ms': r.timings.scoreMs + r.timings.forwardMs,
  };
}

/** Σ_t (log π - log π_ref) over each response's real tokens: the k1 KL per response [B]. */
export function sequenceKL(r: Rollout): number[] {
  return r.logp.map((row, i) => row.reduce((a, lp, j) => a + (lp - r.refLogp[i][j]) * r.seq.responseMask[i][j], 0));
}

/** One minibatch's loss and diagnostics, computed inside the gradient tape (which frees its tensors). */
export type MinibatchLoss = (rows: number[]) => { loss: tf.Scalar; diagnostics: tf.Scalar[] };

/**
 * The optimisation step every method shares: for each minibatch of row indices, differentiate the
 * loss, take an AdamW step (skipped, and counted, when the gradient is not finite), and average the
 * diagnostics under `names`. Every step of the call takes `learningRate` (a schedule's value).
 */
export async function minibatchUpdates(
  params: NamedParams,
  optimizer: AdamW,
  batches: Iterable<number[]>,
  names: string[],
  batchLoss: MinibatchLoss,
  learningRate = optimizer.config.learningRate,
): Promise<Record<string, number>> {
  const rows: number[][] = [];
  let skipped = 0;
  for (const idx of batches) {
    let kept: tf.Tensor | undefined;
    const { loss, grads } = lossAndGrads(params, () => {
      const out = batchLoss(idx);
      kept = tf.keep(tf.stack(out.diagnostics));
      return out.loss;
    });
    if (!(await optimizer.step(grads, learningRate)).applied) skipped++;
    rows.push(Array.from(await kept!.data()));
    tf.dispose([loss, kept!, ...grads.values()]);
  }
  return { ...averageColumns(rows, names), 'policy/skipped_updates': skipped };
}
