/**
 * Stages 1-3 of an RL iteration, shared by PPO, GRPO and RLOO: sample several responses per
 * prompt from the policy, score them with the reward model, and record the per-token
 * log-probabilities of the policy and the frozen reference (and the value model's estimates).
 * Everything is kept as plain arrays: minibatches are sliced from them later.
 */
import * as tf from '@tensorflow/tfjs';
import { generate } from '../generate/generate';
import type { GPT } from '../model/gpt';
import { tokenLogProbs } from '../model/losses';
import type { ScalarModel } from './scalar-model';
import { keptBias, restrictLogits } from './truncation';
import { buildSequences, responseHidden, sequenceTensors, type SequenceBatch, type SequenceTensors } from './sequences';

/** Scores whole responses: the reward model, or anything shaped like it. */
export interface Scorer {
  score(prompts: number[][], responses: number[][]): Promise<{ mean: number[] }>;
}

export interface RolloutOptions {
  samplesPerPrompt: number;
  maxNewTokens: number;
  temperature: number;
  missingEosPenalty: number;
  /** Top-k of the sampler (0 or absent: every token). */
  topK?: number;
  /** Top-p of the sampler (1: every token). */
  topP?: number;
  /** End-of-text is not sampled before this many tokens (0 or absent: from the first). */
  minNewTokens?: number;
  /**
   * With top-k/top-p or a minimum length: score the samples under the truncated distribution they
   * came from (policy and reference renormalised over the kept ids), true; or under the full
   * softmax, false.
   */
  matchedLogProbs?: boolean;
  seed: number;
  eosId: number;
  padId: number;
}

export interface Rollout {
  seq: SequenceBatch;
  /** Prompt of each response (prompts repeated samplesPerPrompt times, grouped). */
  prompts: number[][];
  responses: number[][];
  /** Reward-model score after the missing-end-of-text penalty [B]. */
  scores: number[];
  /** Whether each response ended with end-of-text [B]. */
  ended: boolean[];
  /**
   * Ids the sampler's top-k/top-p or minimum length kept at each response token [B][tokens][ids],
   * when the log-probs are matched to the truncation; null when they are not, or nothing was
   * truncated. A row's list may stop before its response does: every id is kept after it.
   */
  kept: number[][][] | null;
  logp: number[][]; // [B, Lr] old policy, at the sampling temperature
  refLogp: number[][]; // [B, Lr] reference
  values: number[][] | null; // [B, Lr] value model, when there is one
  /** Milliseconds spent sampling, in the reward model, and in the policy/reference/value passes. */
  timings: { generateMs: number; scoreMs: number; forwardMs: number };
}

/**
 * log π(response tokens) at temperature, [B, Lr]; with `bias` (keptBias), under π renormalised over
 * the kept ids. Call inside tf.tidy.
 */
export function responseLogProbs(
  model: GPT,
  s: SequenceBatch,
  t: SequenceTensors,
  temperature: number,
  bias: tf.Tensor3D | null = null,
): tf.Tensor2D {
  const logits = model.lmHead(responseHidden(model, s, t)); // [B, Lr, V]
  return tokenLogProbs(restrictLogits(logits, bias), t.responseTokens, temperature); // [B, Lr]
}

async function forwardArrays(fn: () => tf.Tensor2D): Promise<number[][]> {
  const out = tf.tidy(fn);
  const arr = (await out.array()) as number[][];
  out.dispose();
  return arr;
}

/**
 * Samples, scores and records one batch. Log-probs are recomputed by a forward pass rather than
 * taken from sampling, so the PPO ratio starts at exactly 1 on the same computation path.
 */
export async function collectRollout(
  policy: GPT,
  reference: GPT,
  value: ScalarModel | null,
  scorer: Scorer,
  prompts: number[][],
  o: RolloutOptions,
): Promise<Rollout> {
  const expanded = prompts.flatMap((p) => Array.from({ length: o.samplesPerPrompt }, () => p));
  const t0 = performance.now();
  const gens = await generate(policy, expanded, {
    maxNewTokens: o.maxNewTokens,
    temperature: o.temperature,
    topK: o.topK,
    topP: o.topP,
    minNewTokens: o.minNewTokens,
    recordKept: o.matchedLogProbs ?? true,
    seed: o.seed,
    eosId: o.eosId,
  });
  const responses = gens.map((g) => g.tokens);
  const ended = gens.map((g) => g.finishReason === 'eos');
  const t1 = performance.now();
  const { mean } = await scorer.score(expanded, responses);
  const t2 = performance.now();
  const scores = mean.map((s, i) => (ended[i] ? s : s - o.missingEosPenalty));
  const seq = buildSequences(expanded, responses, policy.config.blockSize, o.padId);
  const kept = gens[0].kept === undefined ? null : gens.map((g) => g.kept!.slice(0, seq.Lr));
  const t = sequenceTensors(seq);
  const bias = kept === null ? null : keptBias(kept, [...kept.keys()], seq.Lr, policy.config.vocabSize);
  try {
    const logp = await forwardArrays(() => responseLogProbs(policy, seq, t, o.temperature, bias));
    const refLogp = await forwardArrays(() => responseLogProbs(reference, seq, t, o.temperature, bias));
    const values = value === null ? null : await forwardArrays(() => value.tokenValues(seq, t));
    const timings = { generateMs: t1 - t0, scoreMs: t2 - t1, forwardMs: performance.now() - t2 };
    return { seq, prompts: expanded, responses, scores, ended, kept, logp, refLogp, values, timings };
  } finally {
    tf.dispose([...Object.values(t), ...(bias === null ? [] : [bias])]);
  }
}

/** The rows `idx` of a sequence batch (same columns), for a minibatch. */
export function selectRows(s: SequenceBatch, idx: number[]): SequenceBatch {
  const pick = <T>(rows: T[]) => idx.map((i) => rows[i]);
  return {
    Lq: s.Lq,
    Lr: s.Lr,
    ids: pick(s.ids),
    keyMask: pick(s.keyMask),
    positions: pick(s.positions),
    responseTokens: pick(s.responseTokens),
    responseMask: pick(s.responseMask),
    lastIndex: pick(s.lastIndex),
  };
}
