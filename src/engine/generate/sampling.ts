/**
 * Choosing the next token from one row of logits, on the CPU with the engine's seeded RNG, so a
 * seed reproduces the same text on every backend. Temperature scales the logits; top-k keeps the
 * k most likely tokens; top-p (nucleus) keeps the smallest set whose probability reaches p.
 */
import { check, outOfRange } from '../errors';
import type { Rng } from '../rng';

export interface SamplingOptions {
  /** Divides the logits: < 1 sharpens, > 1 flattens. Ignored when greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 or undefined keeps all. */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p; 1 or undefined keeps all. */
  topP?: number;
  /** Always take the most likely token (argmax). Default false. */
  greedy?: boolean;
}

export function validateSampling(o: SamplingOptions): void {
  const t = o.temperature ?? 1;
  check(Number.isFinite(t) && t > 0, 'BAD_ARGUMENT', outOfRange(null, 'temperature', t, 'positiveNumber'));
  const k = o.topK ?? 0;
  check(Number.isInteger(k) && k >= 0, 'BAD_ARGUMENT', outOfRange(null, 'topK', k, 'nonNegativeInteger'));
  const p = o.topP ?? 1;
  check(Number.isFinite(p) && p > 0 && p <= 1, 'BAD_ARGUMENT', outOfRange(null, 'topP', p, 'unitUpToOne'));
}

/** log_softmax(logits / temperature) of one row, in float64 for a stable sum. */
export function logSoftmaxRow(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i] / temperature);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logits[i] / temperature - max);
  const logZ = max + Math.log(sum);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = logits[i] / temperature - logZ;
  return out;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Token ids that survive top-k and top-p, most likely first (every id when nothing truncates).
 * A `banned` id (end-of-text before a minimum length) is dropped before either applies.
 */
export function candidates(logp: Float64Array, topK: number, topP: number, banned?: number): number[] {
  const all = [...logp.keys()].filter((id) => id !== banned);
  if ((topK === 0 || topK >= all.length) && topP >= 1) return all;
  let ids = all.sort((a, b) => logp[b] - logp[a] || a - b);
  if (topK > 0 && topK < ids.length) ids = ids.slice(0, topK);
  if (topP < 1) {
    // Nucleus of the distribution that is sampled from: the kept mass, renormalised.
    const scale = banned === undefined ? 1 : 1 - Math.exp(logp[banned]);
    let mass = 0;
    let keep = 0;
    while (keep < ids.length && mass < topP * scale) mass += Math.exp(logp[ids[keep++]]);
    ids = ids.slice(0, Math.max(keep, 1));
  }
  return ids;
}

/** True when top-k or top-p can drop tokens from a vocabulary of `vocabSize`. */
export function truncates(o: SamplingOptions, vocabSize: number): boolean {
  const k = o.topK ?? 0;
  return !o.greedy && ((k > 0 && k < vocabSize) || (o.topP ?? 1) < 1);
}

/**
 * Picks the next token from one row of logits [V].
 * Returns the token and its log-prob under softmax(logits / temperature), the full distribution
 * before top-k/top-p truncation; greedy decoding reports the log-prob under softmax(logits).
 * With `keptIds`, also the ids the truncation kept (the support of the distribution sampled from).
 * A `banned` id is never picked (end-of-text before the minimum length; greedy ignores it).
 */
export function sampleToken(
  logits: ArrayLike<number>,
  options: SamplingOptions,
  rng: Rng,
  keptIds = false,
  banned?: number,
): { token: number; logProb: number; kept?: number[] } {
  if (options.greedy) {
    const token = argmax(logits);
    return { token, logProb: logSoftmaxRow(logits)[token], ...(keptIds ? { kept: [token] } : {}) };
  }
  const logp = logSoftmaxRow(logits, options.temperature ?? 1);
  const ids = candidates(logp, options.topK ?? 0, options.topP ?? 1, banned);
  const kept = keptIds ? { kept: ids } : {};
  let total = 0;
  for (const id of ids) total += Math.exp(logp[id]);
  let u = rng.next() * total;
  for (const id of ids) {
    u -= Math.exp(logp[id]);
    if (u <= 0) return { token: id, logProb: logp[id], ...kept };
  }
  const last = ids[ids.length - 1];
  return { token: last, logProb: logp[last], ...kept };
}
