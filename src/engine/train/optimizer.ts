/**
 * AdamW (Loshchilov and Hutter) with global-norm gradient clipping, written out so its state is
 * keyed by parameter name: it saves into checkpoints and resumes bit-exactly, and two models with
 * the same parameter names (policy and reference) never collide the way tfjs's named slots would.
 */
import * as tf from '@tensorflow/tfjs';
import { sumAll } from '../kernels/sum';
import type { NamedParams } from '../model/params';

export interface AdamWConfig {
  /** Step size; schedules set it per step through `step(grads, lr)`. */
  learningRate: number;
  /** Decay of the first-moment (mean) estimate. */
  beta1: number;
  /** Decay of the second-moment estimate; 0.95 rather than 0.999 is steadier for small GPTs. */
  beta2: number;
  /** Keeps the update finite when the second moment is ~0. */
  epsilon: number;
  /** Decoupled weight decay of weight matrices (see decays()); regularises the small corpus. */
  weightDecay: number;
  /** Clip the global gradient norm to this value; 0 disables clipping. */
  maxGradNorm: number;
}

export const DEFAULT_ADAMW: AdamWConfig = {
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.95,
  epsilon: 1e-8,
  weightDecay: 0.1,
  maxGradNorm: 1.0,
};

/** Weight decay applies to 2-D weight matrices, never to biases or LayerNorm gains (as in GPT-2/nanoGPT). */
function decays(shape: number[]): boolean {
  return shape.length >= 2;
}

export interface StepResult {
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** False when a gradient was NaN or Inf: the update was skipped and no weight changed. */
  applied: boolean;
}

export class AdamW {
  readonly config: AdamWConfig;
  private readonly params: NamedParams;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;

  constructor(params: NamedParams, config: Partial<AdamWConfig> = {}) {
    this.params = params;
    this.config = { ...DEFAULT_ADAMW, ...config };
    for (const [name, p] of params.entries()) {
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
    }
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.t;
  }

  /**
   * Applies one update from `grads` (keyed by parameter name). The caller still owns `grads`.
   * A non-finite gradient norm skips the step entirely, so NaNs never reach the weights.
   */
  async step(grads: Map<string, tf.Tensor>, learningRate = this.config.learningRate): Promise<StepResult> {
    const normT = tf.tidy(() => tf.sqrt(sumAll([...grads.values()].map((g) => tf.sum(tf.square(g))))));
    const gradNorm = (await normT.data())[0];
    normT.dispose();
    if (!Number.isFinite(gradNorm)) return { gradNorm, applied: false };
    const { beta1, beta2, epsilon, weightDecay, maxGradNorm } = this.config;
    const clip = maxGradNorm > 0 && gradNorm > maxGradNorm ? maxGradNorm / gradNorm : 1;
    this.t += 1;
    const bias1 = 1 - beta1 ** this.t;
    const bias2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      for (const [name, p] of this.params.entries()) {
        const g = tf.mul(grads.get(name)!, clip);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(m, bias1), tf.add(tf.sqrt(tf.div(v, bias2)), epsilon));
        const decayed = decays(p.shape) && weightDecay > 0 ? tf.mul(p, 1 - learningRate * weightDecay) : p;
        p.assign(tf.sub(decayed, tf.mul(update, learningRate)));
      }
    });
    return { gradNorm, applied: true };
  }

  /** The optimiser's state as named arrays, for a resumable checkpoint. */
  async state(): Promise<{ step: number; tensors: Map<string, { shape: number[]; data: Float32Array }> }> {
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, m] of this.m)
      tensors.set(`${name}.adam_m`, { shape: m.shape, data: (await m.data()) as Float32Array });
    for (const [name, v] of this.v)
      tensors.set(`${name}.adam_v`, { shape: v.shape, data: (await v.data()) as Float32Array });
    return { step: this.t, tensors };
  }

  /** Restores what `state()` returned. */
  loadState(step: number, tensors: Map<string, Float32Array>): void {
    tf.tidy(() => {
      for (const [name, m] of this.m) m.assign(tf.tensor(tensors.get(`${name}.adam_m`)!, m.shape));
      for (const [name, v] of this.v) v.assign(tf.tensor(tensors.get(`${name}.adam_v`)!, v.shape));
    });
    this.t = step;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/**
 * Loss and gradients of `lossFn` with respect to every parameter, keyed by parameter name.
 * The caller disposes the returned tensors.
 */
export function lossAndGrads(
  params: NamedParams,
  lossFn: () => tf.Scalar,
): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const entries = params.entries();
  const { value, grads } = tf.variableGrads(
    lossFn,
    entries.map(([, v]) => v),
  );
  return { loss: value, grads: new Map(entries.map(([name, v]) => [name, grads[v.name]])) };
}
