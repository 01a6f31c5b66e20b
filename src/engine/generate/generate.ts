/**
 * Batched autoregressive generation with a KV cache.
 *
 * Prompts of different lengths share one batch by left-padding: every row ends at the same column,
 * so each step appends one column for all rows. Padding is masked out of attention, and each row's
 * position ids start at 0 on its first real token, so a padded prompt produces exactly the logits
 * it would produce alone.
 *
 * Context: a prompt must leave room for at least one new token (prompt length <= blockSize - 1);
 * a longer prompt is refused with a BAD_PROMPT error that gives both numbers. When prompt plus
 * maxNewTokens exceeds the context, generation stops as the context fills (finishReason 'length').
 */
import * as tf from '@tensorflow/tfjs';
import { check, outOfRange } from '../errors';
import type { GPT, KVCache } from '../model/gpt';
import { Rng } from '../rng';
import { sampleToken, truncates, validateSampling, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  /** The most tokens to add after each prompt. */
  maxNewTokens: number;
  /** Seed of the sampling RNG; the same seed and inputs give the same tokens. Default 0. */
  seed?: number;
  /** Token that ends a response; generation of a row stops once it is sampled. */
  eosId?: number;
  /**
   * Called after each step with the number of tokens generated so far (progress bars). It may
   * return a promise: a worker awaits a macrotask there so a cancel message can arrive, and
   * throws to stop; the KV cache is freed either way.
   */
  onStep?: (step: number) => void | Promise<void>;
  /**
   * End-of-text is not sampled before this many new tokens (Hugging Face's min_new_tokens); its
   * probability is dropped and the rest renormalised, a truncation like top-k's. Default 0.
   */
  minNewTokens?: number;
  /**
   * Record, for each new token, the ids top-k/top-p (and minNewTokens) kept at that step
   * (Generation.kept). Only when they truncate; without truncation nothing is recorded.
   */
  recordKept?: boolean;
}

export interface Generation {
  /** The new tokens, excluding the prompt, including the final end-of-text when sampled. */
  tokens: number[];
  /** log π(token) of each new token under the sampling distribution (see sampleToken). */
  logProbs: number[];
  /** 'eos' when the row sampled end-of-text, 'length' when it ran out of tokens or context. */
  finishReason: 'eos' | 'length';
  /**
   * With recordKept and a truncating top-k/top-p or minimum length: the ids kept at each new
   * token's step, for the steps that dropped any (a minimum length alone records its first
   * minNewTokens steps; every id is kept after them).
   */
  kept?: number[][];
}

/** A left-padded batch: ids and masks [B, L], and each row's position ids. */
export interface PaddedBatch {
  ids: number[][];
  mask: number[][];
  positions: number[][];
}

/** Left-pads prompts to one length; padding gets id padId, mask 0 and position 0. */
export function leftPad(prompts: number[][], padId: number): PaddedBatch {
  const L = Math.max(...prompts.map((p) => p.length));
  const ids = prompts.map((p) => [...new Array<number>(L - p.length).fill(padId), ...p]);
  const mask = prompts.map((p) => [...new Array<number>(L - p.length).fill(0), ...new Array<number>(p.length).fill(1)]);
  const positions = prompts.map((p) => [...new Array<number>(L - p.length).fill(0), ...p.map((_, i) => i)]);
  return { ids, mask, positions };
}

function validate(model: GPT, prompts: number[][], o: GenerateOptions): void {
  const { blockSize, vocabSize } = model.config;
  check(prompts.length > 0, 'BAD_PROMPT', { code: 'NO_PROMPTS', params: {} });
  check(
    Number.isInteger(o.maxNewTokens) && o.maxNewTokens >= 1,
    'BAD_ARGUMENT',
    outOfRange(null, 'maxNewTokens', o.maxNewTokens, 'positiveInteger'),
  );
  validateSampling(o);
  const minNew = o.minNewTokens ?? 0;
  check(
    Number.isInteger(minNew) && minNew >= 0,
    'BAD_ARGUMENT',
    outOfRange(null, 'minNewTokens', minNew, 'nonNegativeInteger'),
  );
  prompts.forEach((p, i) => {
    check(p.length > 0, 'BAD_PROMPT', { code: 'PROMPT_EMPTY', params: { index: i } });
    check(p.length <= blockSize - 1, 'BAD_PROMPT', {
      code: 'PROMPT_TOO_LONG',
      params: { index: i, tokens: p.length, context: blockSize },
    });
    const bad = p.find((t) => !Number.isInteger(t) || t < 0 || t >= vocabSize);
    check(bad === undefined, 'BAD_PROMPT', {
      code: 'PROMPT_BAD_TOKEN',
      params: { index: i, token: bad ?? -1, vocabSize },
    });
  });
}

/**
 * One forward step: logits at the last column [B, V] as plain arrays, and the extended cache.
 * `head` is the model's headWeight() [C, V], made once per generate call.
 */
async function step(
  model: GPT,
  head: tf.Tensor2D,
  ids: number[][],
  positions: number[][],
  keyMask: number[][],
  past: KVCache | undefined,
): Promise<{ rows: Float32Array[]; cache: KVCache }> {
  const { logits, cache } = tf.tidy(() => {
    const out = model.hidden(tf.tensor2d(ids, undefined, 'int32'), {
      positions: tf.tensor2d(positions, undefined, 'int32'),
      keyMask: tf.tensor2d(keyMask, undefined, 'int32'),
      past,
    });
    const [B, T, C] = out.hidden.shape;
    const last = tf.slice(out.hidden, [0, T - 1, 0], [B, 1, C]); // [B, 1, C]
    return { logits: model.lmHead(last as tf.Tensor3D, head), cache: out.present }; // [B, 1, V]
  });
  const flat = (await logits.data()) as Float32Array;
  logits.dispose();
  const V = model.config.vocabSize;
  const rows = ids.map((_, b) => flat.subarray(b * V, (b + 1) * V));
  return { rows, cache };
}

function disposeCache(cache: KVCache | undefined): void {
  for (const layer of cache ?? []) tf.dispose([layer.k, layer.v]);
}

/**
 * Continues each prompt (token ids) by up to maxNewTokens tokens.
 * The caller owns nothing afterwards: every tensor made here is disposed before returning.
 */
export async function generate(model: GPT, prompts: number[][], options: GenerateOptions): Promise<Generation[]> {
  validate(model, prompts, options);
  const rng = new Rng(options.seed ?? 0);
  const batch = leftPad(prompts, options.eosId ?? 0);
  const budget = Math.min(options.maxNewTokens, model.config.blockSize - batch.ids[0].length);
  const out: Generation[] = prompts.map(() => ({ tokens: [], logProbs: [], finishReason: 'length' }));
  const done = prompts.map(() => false);
  const keyMask = batch.mask.map((r) => [...r]);
  const minNew = options.minNewTokens ?? 0;
  const bans = minNew > 0 && options.eosId !== undefined && !options.greedy;
  const truncated = truncates(options, model.config.vocabSize);
  const record = options.recordKept === true && (bans || truncated);
  if (record) out.forEach((g) => (g.kept = []));
  const head = model.headWeight(); // [C, V]
  let cache: KVCache | undefined;
  try {
    let rows: Float32Array[];
    ({ rows, cache } = await step(model, head, batch.ids, batch.positions, keyMask, undefined));
    let nextPos = batch.positions.map((r) => r[r.length - 1] + 1);
    for (let t = 0; t < budget; t++) {
      const next = rows.map((row, b) => {
        if (done[b]) return options.eosId ?? 0;
        const banned = bans && t < minNew ? options.eosId : undefined;
        // A step that drops nothing (past the minimum length, no top-k/top-p) records nothing:
        // a kept list shorter than the response means every id is kept from there on.
        const recordStep = record && (truncated || banned !== undefined);
        const { token, logProb, kept } = sampleToken(row, options, rng, recordStep, banned);
        out[b].tokens.push(token);
        out[b].logProbs.push(logProb);
        if (kept !== undefined) out[b].kept!.push(kept);
        if (token === options.eosId) [done[b], out[b].finishReason] = [true, 'eos'];
        return token;
      });
      await options.onStep?.(t + 1);
      if (done.every(Boolean) || t === budget - 1) break;
      keyMask.forEach((r) => r.push(1));
      const result = await step(
        model,
        head,
        next.map((x) => [x]),
        nextPos.map((p) => [p]),
        keyMask,
        cache,
      );
      disposeCache(cache);
      ({ rows, cache } = result);
      nextPos = nextPos.map((p) => p + 1);
    }
  } finally {
    disposeCache(cache);
    head.dispose();
  }
  return out;
}
