/**
 * The GPT-2 model: token + learned position embeddings, nLayer pre-LayerNorm blocks
 * (x + attn(ln_1(x)), then x + mlp(ln_2(x))), a final LayerNorm, and an LM head tied to the
 * token embedding.
 *
 * Shapes used throughout the model files:
 *   B  batch size            T  tokens in this call       Tp  tokens already in the KV cache
 *   C  width (nEmbd)         nh heads (nHead)            hs  head size, C / nh
 *   V  vocabulary size       N  B·T rows, flattened
 *
 * The trunk (`hidden`) returns hidden states so scalar heads (reward, value) attach to it without
 * copying the model; `logits` adds the LM head. Both are synchronous tensor code: call them inside
 * tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from '../errors';
import { product } from '../kernels/matmul';
import { Rng } from '../rng';
import { causalSelfAttention, attentionBias, type LayerCache } from './attention';
import { countParameters, type GPTConfig } from './config';
import { embeddingLookup, geluTanh, layerNorm, linear } from './layers';
import { ParamStore, gptParamSpecs, initialValues } from './params';

/** One LayerCache per block. */
export type KVCache = LayerCache[];

export interface ForwardOptions {
  /** Position id of every token [B, T] int32; default Tp, Tp+1, ... for every row. */
  positions?: tf.Tensor2D;
  /** 1 for real tokens, 0 for padding, over all keys [B, Tp + T]; default all real. */
  keyMask?: tf.Tensor2D;
  /** Keys and values of earlier tokens (decoding); default none. */
  past?: KVCache;
  /**
   * Added to the input embeddings [B, T, C]: the gradient with respect to a zero delta is the
   * gradient with respect to the embeddings, which adversarial (FGM) training perturbs.
   */
  embeddingDelta?: tf.Tensor3D;
  /**
   * Training only: zero each activation with probability `rate` (and scale the rest by
   * 1 / (1 - rate)) on the embeddings and on each block's attention and MLP outputs, as GPT-2's
   * embd_pdrop and resid_pdrop do. The masks come from `seed` and the site, so a step is
   * reproducible (a resumed run draws the same masks). Default: no dropout.
   */
  dropout?: { rate: number; seed: number };
}

/** Dropout sites per forward pass: the embeddings, then two per block. */
const SITES_PER_BLOCK = 2;

export class GPT {
  readonly config: GPTConfig;
  readonly params: ParamStore;

  /**
   * A freshly initialised model (seeded, identical on every backend), or one built from given
   * values (a checkpoint): `values` must hold every parameter, already checked for shape.
   */
  constructor(config: GPTConfig, init: number | Map<string, Float32Array> = 0) {
    this.config = config;
    const rng = typeof init === 'number' ? new Rng(init) : undefined;
    this.params = new ParamStore(gptParamSpecs(config), (spec) =>
      rng !== undefined ? initialValues(spec, rng) : (init as Map<string, Float32Array>).get(spec.name)!,
    );
  }

  paramCount(): number {
    return countParameters(this.config);
  }

  /**
   * The trunk: ids [B, T] int32 -> final hidden states [B, T, C] (after ln_f), plus the KV cache
   * extended by these tokens.
   */
  hidden(ids: tf.Tensor2D, options: ForwardOptions = {}): { hidden: tf.Tensor3D; present: KVCache } {
    const [B, T] = ids.shape;
    const c = this.config;
    const Tp = options.past?.[0]?.v.shape[2] ?? 0;
    check(Tp + T <= c.blockSize, 'BAD_PROMPT', {
      code: 'CONTEXT_OVERFLOW',
      params: { tokens: Tp + T, context: c.blockSize },
    });
    const positions = options.positions ?? tf.broadcastTo(tf.range(Tp, Tp + T, 1, 'int32'), [B, T]);
    const tok = embeddingLookup(this.p('transformer.wte.weight'), tf.reshape(ids, [B * T])); // [N, C]
    const pos = embeddingLookup(this.p('transformer.wpe.weight'), tf.reshape(positions, [B * T])); // [N, C]
    let x = tf.reshape(tf.add(tok, pos), [B, T, c.nEmbd]) as tf.Tensor3D; // [B, T, C]
    if (options.embeddingDelta !== undefined) x = tf.add(x, options.embeddingDelta);
    x = drop(x, options.dropout, 0);
    const bias = attentionBias(T, Tp, options.keyMask); // [B or 1, 1, T, Tp + T]
    const present: KVCache = [];
    for (let i = 0; i < c.nLayer; i++) {
      const out = this.block(i, x, bias, options.past?.[i], options.dropout);
      x = out.x;
      present.push(out.present);
    }
    const hidden = layerNorm(
      x,
      this.p1('transformer.ln_f.weight'),
      this.p1('transformer.ln_f.bias'),
      c.layerNormEpsilon,
    );
    return { hidden, present };
  }

  /**
   * The LM head's weight as a plain [C, V] matrix (the tied embedding, transposed); the caller
   * disposes it. Decoding makes it once per call rather than once per token: on WASM each
   * transposed product costs a transpose and a repacking of the whole [V, C] matrix.
   */
  headWeight(): tf.Tensor2D {
    return tf.transpose(this.p('transformer.wte.weight')); // [C, V]
  }

  /**
   * LM head tied to the token embedding: hidden [B, T, C] -> logits [B, T, V]. `head` is
   * headWeight() when the caller keeps one across calls (no gradient reaches wte through it).
   */
  lmHead(hidden: tf.Tensor3D, head?: tf.Tensor2D): tf.Tensor3D {
    const [B, T, C] = hidden.shape;
    const rows = tf.reshape(hidden, [B * T, C]); // [N, C]
    const wte = this.p('transformer.wte.weight'); // [V, C]
    const logits = head !== undefined ? tf.matMul(rows, head) : product(rows, wte, false, true); // [N, V]
    return tf.reshape(logits, [B, T, this.config.vocabSize]) as tf.Tensor3D;
  }

  /** ids [B, T] int32 -> next-token logits at every position [B, T, V]. */
  logits(ids: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return this.lmHead(this.hidden(ids, options).hidden);
  }

  /** An independent copy with the same weights (copied on the device, no read-back). */
  clone(): GPT {
    const copy = new GPT(this.config, 0);
    copy.params.copyFrom(this.params);
    return copy;
  }

  /** Every variable, for optimisers and gradient calls. */
  trainableVariables(): tf.Variable[] {
    return this.params.variables();
  }

  dispose(): void {
    this.params.dispose();
  }

  /** One pre-LayerNorm block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). x: [B, T, C]. */
  private block(
    i: number,
    x: tf.Tensor3D,
    bias: tf.Tensor4D,
    past?: LayerCache,
    dropout?: ForwardOptions['dropout'],
  ): { x: tf.Tensor3D; present: LayerCache } {
    const h = `transformer.h.${i}`;
    const [B, T, C] = x.shape;
    const eps = this.config.layerNormEpsilon;
    const a = layerNorm(x, this.p1(`${h}.ln_1.weight`), this.p1(`${h}.ln_1.bias`), eps); // [B, T, C]
    const attn = causalSelfAttention(
      a,
      {
        cAttnW: this.p(`${h}.attn.c_attn.weight`),
        cAttnB: this.p1(`${h}.attn.c_attn.bias`),
        cProjW: this.p(`${h}.attn.c_proj.weight`),
        cProjB: this.p1(`${h}.attn.c_proj.bias`),
      },
      this.config.nHead,
      bias,
      past,
    );
    const site = 1 + SITES_PER_BLOCK * i;
    const x1 = tf.add(x, drop(attn.y, dropout, site)); // [B, T, C]
    const m = layerNorm(
      tf.reshape<tf.Rank.R2>(x1, [B * T, C]),
      this.p1(`${h}.ln_2.weight`),
      this.p1(`${h}.ln_2.bias`),
      eps,
    ); // [N, C]
    const fc = geluTanh(linear(m, this.p(`${h}.mlp.c_fc.weight`), this.p1(`${h}.mlp.c_fc.bias`))); // [N, 4C]
    const mlp = linear(fc, this.p(`${h}.mlp.c_proj.weight`), this.p1(`${h}.mlp.c_proj.bias`)); // [N, C]
    return { x: tf.add(x1, drop(tf.reshape(mlp, [B, T, C]), dropout, site + 1)) as tf.Tensor3D, present: attn.present };
  }

  /** A weight matrix by name. */
  private p(name: string): tf.Tensor2D {
    return this.params.get<tf.Rank.R2>(name);
  }

  /** A bias or LayerNorm vector by name. */
  private p1(name: string): tf.Tensor1D {
    return this.params.get<tf.Rank.R1>(name);
  }
}

/**
 * Inverted dropout of x at one site, or x itself when there is no dropout. The seed mixes the
 * step's seed with the site so every site of every step gets its own mask.
 */
function drop<T extends tf.Tensor>(x: T, dropout: ForwardOptions['dropout'], site: number): T {
  if (dropout === undefined || dropout.rate === 0) return x;
  return tf.dropout(x, dropout.rate, undefined, dropout.seed * 1009 + site) as T;
}
