/**
 * The model's parameters, named exactly as Hugging Face's GPT2LMHeadModel names them
 * (`transformer.h.0.attn.c_attn.weight`, ...) and laid out as GPT-2's Conv1D stores them
 * ([in, out], so y = x·W + b), which makes export to and import from `transformers` a copy.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import type { GPTConfig } from './config';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** How a fresh model fills it: N(0, std²), zeros or ones. */
  init: { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };
}

function layerNormSpecs(prefix: string, C: number): ParamSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [C], init: { kind: 'ones' } },
    { name: `${prefix}.bias`, shape: [C], init: { kind: 'zeros' } },
  ];
}

function linearSpecs(prefix: string, nIn: number, nOut: number, std: number): ParamSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [nIn, nOut], init: { kind: 'normal', std } },
    { name: `${prefix}.bias`, shape: [nOut], init: { kind: 'zeros' } },
  ];
}

/**
 * Every parameter of a GPT with this config, in a fixed order.
 * Residual projections (attn.c_proj, mlp.c_proj) get std / sqrt(2·nLayer), as in GPT-2, so the
 * residual stream's variance does not grow with depth.
 */
export function gptParamSpecs(c: GPTConfig): ParamSpec[] {
  const C = c.nEmbd;
  const std = c.initializerRange;
  const residualStd = std / Math.sqrt(2 * c.nLayer);
  const specs: ParamSpec[] = [
    { name: 'transformer.wte.weight', shape: [c.vocabSize, C], init: { kind: 'normal', std } },
    { name: 'transformer.wpe.weight', shape: [c.blockSize, C], init: { kind: 'normal', std: std / 2 } },
  ];
  for (let i = 0; i < c.nLayer; i++) {
    const h = `transformer.h.${i}`;
    specs.push(
      ...layerNormSpecs(`${h}.ln_1`, C),
      ...linearSpecs(`${h}.attn.c_attn`, C, 3 * C, std),
      ...linearSpecs(`${h}.attn.c_proj`, C, C, residualStd),
      ...layerNormSpecs(`${h}.ln_2`, C),
      ...linearSpecs(`${h}.mlp.c_fc`, C, 4 * C, std),
      ...linearSpecs(`${h}.mlp.c_proj`, 4 * C, C, residualStd),
    );
  }
  specs.push(...layerNormSpecs('transformer.ln_f', C));
  return specs;
}

/**
 * Initial values drawn from our own seeded RNG rather than tfjs's, so the same seed gives the
 * same model on WebGPU, WASM, WebGL and CPU.
 */
export function initialValues(spec: ParamSpec, rng: Rng): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (spec.init.kind === 'ones') values.fill(1);
  if (spec.init.kind === 'normal') {
    for (let i = 0; i < size; i++) values[i] = rng.normal() * spec.init.std;
  }
  return values;
}

/** Anything that exposes named trainable variables: what optimisers and gradient calls need. */
export interface NamedParams {
  entries(): [string, tf.Variable][];
}

/** A named, ordered set of trainable tf.Variables that one model owns. */
export class ParamStore implements NamedParams {
  readonly specs: ParamSpec[];
  private readonly vars = new Map<string, tf.Variable>();

  /** `values(spec)` supplies each parameter's initial contents (fresh init or a checkpoint). */
  constructor(specs: ParamSpec[], values: (spec: ParamSpec) => Float32Array) {
    this.specs = specs;
    for (const spec of specs) {
      // Variables are left unnamed: tfjs names must be globally unique, and a policy and its
      // frozen reference share every HF name. The HF name lives in this map instead.
      const initial = tf.tensor(values(spec), spec.shape, 'float32');
      this.vars.set(spec.name, tf.variable(initial, true));
      initial.dispose();
    }
  }

  /** The variable named `name` (an HF GPT-2 name); R is its rank, known to the caller from the spec. */
  get<R extends tf.Rank = tf.Rank>(name: string): tf.Variable<R> {
    const v = this.vars.get(name);
    if (v === undefined) throw new Error(`no parameter named ${name}`);
    return v as tf.Variable<R>;
  }

  /** [name, variable] pairs in spec order. */
  entries(): [string, tf.Variable][] {
    return this.specs.map((s) => [s.name, this.get(s.name)]);
  }

  variables(): tf.Variable[] {
    return this.specs.map((s) => this.get(s.name));
  }

  /** Copies all values out to plain arrays (for checkpoints), in spec order. */
  async read(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, v] of this.entries()) {
      out.set(name, { shape: v.shape, data: (await v.data()) as Float32Array });
    }
    return out;
  }

  /** Overwrites every parameter with the same-named values of another store (shapes must match). */
  copyFrom(other: ParamStore): void {
    for (const [name, v] of this.entries()) v.assign(other.get(name));
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
