/**
 * Smoothed n-gram baselines for the pretraining loss.
 *
 * A transformer's validation loss in nats/token means little on its own; beside the best of a few
 * count-based models fitted on the same training tokens it says how much the network learned
 * beyond local statistics. Every token of every document is predicted from the tokens before it
 * in the same document; positions before the start read as the end-of-text id, which is what the
 * GPT sees too, since documents are separated by end-of-text.
 *
 * Smoothing constants are tuned on the validation split, on purpose. That makes the
 * baseline slightly optimistic, which is the conservative direction for a claim that the
 * transformer beats it; names and params say so.
 */
import type { Message, NgramDocs } from '../../contract/messages';
import { check, outOfRange } from '../errors';

export type NgramOrder = 1 | 2 | 3;

export interface NgramBaselineResult {
  name: string; // e.g. "trigram, interpolated (l1=0.1, l2=0.3, l3=0.6, k1=0.01; tuned on val)"
  order: NgramOrder;
  smoothing: 'add-k' | 'interpolated';
  params: Record<string, number>; // the tuned k, or the lambdas and the unigram's k1
  valNatsPerToken: number;
}

export interface BaselineReport {
  best: NgramBaselineResult;
  all: NgramBaselineResult[];
  trainTokens: number;
  valTokens: number;
}

/** Event counts per order, from training documents. Keys pack token ids in base V. */
export interface NgramCounts {
  vocabSize: number;
  eosId: number;
  /** joint[n-1]: (contextKey * V + next) -> count, for order n. */
  joint: Map<number, number>[];
  /** context[n-1]: contextKey -> number of events with that context, for order n. */
  context: Map<number, number>[];
}

const MAX_ORDER = 3;
const ORDER_NAMES = ['unigram', 'bigram', 'trigram'];
// 1-2-5 steps over five decades: k from "almost maximum likelihood" to "almost uniform". The top
// (k > 1) matters for large vocabularies, where the unigram level of an interpolated model wants
// more mass on types the training split never saw.
const K_GRID = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
// Lambdas are searched in hundredths: a coarse grid, then a fine one around the coarse best.
const LAMBDA_TOTAL = 100;
const COARSE_STEP = 5;
const FINE_RADIUS = 4;

/** Checks that every document is an array of integer token ids in [0, V). */
function checkDocs(docs: readonly (readonly number[])[], vocabSize: number, source: NgramDocs): void {
  check(Array.isArray(docs) && docs.length > 0, 'BAD_ARGUMENT', {
    code: 'NGRAM_NO_TOKENS',
    params: { source, reason: 'noDocuments' },
  });
  docs.forEach((doc, d) => {
    for (let i = 0; i < doc.length; i++) {
      const t = doc[i];
      check(Number.isInteger(t) && t >= 0 && t < vocabSize, 'BAD_ARGUMENT', {
        code: 'TOKEN_ID_OUT_OF_RANGE',
        params: { source, document: d, position: i, token: t, vocabSize },
      });
    }
  });
}

function checkVocab(vocabSize: number, eosId: number): void {
  check(
    Number.isInteger(vocabSize) && vocabSize > 0 && vocabSize ** MAX_ORDER <= Number.MAX_SAFE_INTEGER,
    'BAD_ARGUMENT',
    { code: 'NGRAM_VOCAB', params: { vocabSize, order: MAX_ORDER } },
  );
  check(Number.isInteger(eosId) && eosId >= 0 && eosId < vocabSize, 'BAD_ARGUMENT', {
    code: 'TOKEN_ID_OUT_OF_RANGE',
    params: { source: 'ngramEndOfText', document: null, position: null, token: eosId, vocabSize },
  });
}

function countTokens(docs: readonly (readonly number[])[]): number {
  return docs.reduce((sum, doc) => sum + doc.length, 0);
}

/**
 * The order-n context of position i, the n-1 previous tokens packed in base V (0 for unigrams).
 * Positions before the document's start read as eosId. With i = history.length it is the
 * context that follows a whole history.
 */
function contextKey(history: readonly number[], i: number, order: number, V: number, eosId: number): number {
  let key = 0;
  for (let back = order - 1; back >= 1; back--) {
    const pos = i - back;
    key = key * V + (pos >= 0 ? history[pos] : eosId);
  }
  return key;
}

function increment(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Counts every (context, next) event of orders 1..3 in the documents. */
export function countNgrams(docs: readonly (readonly number[])[], vocabSize: number, eosId: number): NgramCounts {
  checkVocab(vocabSize, eosId);
  checkDocs(docs, vocabSize, 'ngramTraining');
  const joint = Array.from({ length: MAX_ORDER }, () => new Map<number, number>());
  const context = Array.from({ length: MAX_ORDER }, () => new Map<number, number>());
  for (const doc of docs) {
    for (let i = 0; i < doc.length; i++) {
      for (let n = 1; n <= MAX_ORDER; n++) {
        const ctx = contextKey(doc, i, n, vocabSize, eosId);
        increment(context[n - 1], ctx);
        increment(joint[n - 1], ctx * vocabSize + doc[i]);
      }
    }
  }
  return { vocabSize, eosId, joint, context };
}

/** Add-k (Lidstone): (c(ctx, w) + k) / (c(ctx) + kV); uniform over V for an unseen context. */
export function addK(jointCount: number, contextCount: number, k: number, vocabSize: number): number {
  return (jointCount + k) / (contextCount + k * vocabSize);
}

/**
 * One level of the interpolation: level 0 is the add-k unigram (never zero), level n > 0 the
 * maximum-likelihood estimate of order n+1, or NaN when its context was never seen.
 */
function levelProb(level: number, jointCount: number, contextCount: number, k1: number, V: number): number {
  if (level === 0) return addK(jointCount, contextCount, k1, V);
  return contextCount > 0 ? jointCount / contextCount : NaN;
}

/**
 * Jelinek-Mercer: sum_n lambda_n P_n. A level whose context was never seen drops out and the
 * others are renormalised, so the mixture stays a distribution over the whole vocabulary.
 */
function interpolate(lambdas: readonly number[], levelAt: (level: number) => number): number {
  let mass = 0;
  let weight = 0;
  for (let level = 0; level < lambdas.length; level++) {
    const p = levelAt(level);
    if (Number.isNaN(p)) continue;
    mass += lambdas[level] * p;
    weight += lambdas[level];
  }
  return mass / weight;
}

/** [c(ctx, next), c(ctx)] for order n after the given history (most recent token last). */
function lookup(counts: NgramCounts, order: number, history: readonly number[], next: number): [number, number] {
  const V = counts.vocabSize;
  const ctx = contextKey(history, history.length, order, V, counts.eosId);
  return [counts.joint[order - 1].get(ctx * V + next) ?? 0, counts.context[order - 1].get(ctx) ?? 0];
}

function checkQuery(counts: NgramCounts, history: readonly number[], next: number): void {
  checkDocs([history], counts.vocabSize, 'ngramHistory');
  const vocabSize = counts.vocabSize;
  check(Number.isInteger(next) && next >= 0 && next < vocabSize, 'BAD_ARGUMENT', {
    code: 'TOKEN_ID_OUT_OF_RANGE',
    params: { source: 'ngramNext', document: null, position: null, token: next, vocabSize },
  });
}

/** P(next | history) under add-k smoothing of the given order; history is most-recent-last. */
export function addKProb(
  counts: NgramCounts,
  order: NgramOrder,
  history: readonly number[],
  next: number,
  k: number,
): number {
  check(k > 0 && Number.isFinite(k), 'BAD_ARGUMENT', outOfRange(null, 'addKProb k', k, 'positiveNumber'));
  checkQuery(counts, history, next);
  const [joint, context] = lookup(counts, order, history, next);
  return addK(joint, context, k, counts.vocabSize);
}

/**
 * P(next | history) under Jelinek-Mercer interpolation; lambdas = [l1, l2(, l3)] weigh the
 * unigram (add-k with k1), bigram and trigram levels, and must sum to 1 with l1 > 0.
 */
export function interpolatedProb(
  counts: NgramCounts,
  lambdas: readonly number[],
  k1: number,
  history: readonly number[],
  next: number,
): number {
  const sum = lambdas.reduce((a, b) => a + b, 0);
  const lambdasWrong = (problem: 'shape' | 'sum'): Message => ({
    code: 'NGRAM_LAMBDAS',
    params: { lambdas: [...lambdas], problem, sum, maxOrder: MAX_ORDER },
  });
  check(
    lambdas.length >= 1 && lambdas.length <= MAX_ORDER && lambdas.every((l) => l >= 0) && lambdas[0] > 0,
    'BAD_ARGUMENT',
    lambdasWrong('shape'),
  );
  check(Math.abs(sum - 1) < 1e-9, 'BAD_ARGUMENT', lambdasWrong('sum'));
  check(k1 > 0 && Number.isFinite(k1), 'BAD_ARGUMENT', outOfRange(null, 'interpolatedProb k1', k1, 'positiveNumber'));
  checkQuery(counts, history, next);
  return interpolate(lambdas, (level) => {
    const [joint, context] = lookup(counts, level + 1, history, next);
    return levelProb(level, joint, context, k1, counts.vocabSize);
  });
}

/** Training counts looked up once for every validation event: joint[n-1][i], context[n-1][i]. */
interface EventCounts {
  size: number;
  joint: Float64Array[];
  context: Float64Array[];
}

function eventCounts(counts: NgramCounts, docs: readonly (readonly number[])[]): EventCounts {
  const size = countTokens(docs);
  const joint = Array.from({ length: MAX_ORDER }, () => new Float64Array(size));
  const context = Array.from({ length: MAX_ORDER }, () => new Float64Array(size));
  const { vocabSize: V, eosId } = counts;
  let e = 0;
  for (const doc of docs) {
    for (let i = 0; i < doc.length; i++, e++) {
      for (let n = 1; n <= MAX_ORDER; n++) {
        const ctx = contextKey(doc, i, n, V, eosId);
        joint[n - 1][e] = counts.joint[n - 1].get(ctx * V + doc[i]) ?? 0;
        context[n - 1][e] = counts.context[n - 1].get(ctx) ?? 0;
      }
    }
  }
  return { size, joint, context };
}

/** Mean negative log-likelihood in nats of events 0..size-1. */
function meanNats(size: number, probAt: (e: number) => number): number {
  let total = 0;
  for (let e = 0; e < size; e++) total -= Math.log(probAt(e));
  return total / size;
}

function tuneAddK(events: EventCounts, order: NgramOrder, V: number): NgramBaselineResult {
  const joint = events.joint[order - 1];
  const context = events.context[order - 1];
  let best = { k: K_GRID[0], nats: Infinity };
  for (const k of K_GRID) {
    const nats = meanNats(events.size, (e) => addK(joint[e], context[e], k, V));
    if (nats < best.nats) best = { k, nats };
  }
  return {
    name: `${ORDER_NAMES[order - 1]}, add-k (k=${best.k}; tuned on val)`,
    order,
    smoothing: 'add-k',
    params: { k: best.k },
    valNatsPerToken: best.nats,
  };
}

/**
 * Every way to split `total` into `parts` multiples of `step`, first part (the unigram weight,
 * which keeps unseen tokens possible) at least 1.
 */
function compositions(total: number, parts: number, step: number): number[][] {
  if (parts === 1) return total >= 1 ? [[total]] : [];
  const out: number[][] = [];
  for (let last = 0; last <= total; last += step) {
    for (const rest of compositions(total - last, parts - 1, step)) out.push([...rest, last]);
  }
  return out;
}

/** Best lambdas in hundredths (coarse grid, then every hundredth near the coarse best). */
function searchLambdas(order: number, natsOf: (hundredths: number[]) => number): { h: number[]; nats: number } {
  const searchBest = (grid: number[][], start: { h: number[]; nats: number }) =>
    grid.reduce((best, h) => {
      const nats = natsOf(h);
      return nats < best.nats ? { h, nats } : best;
    }, start);
  const coarse = searchBest(compositions(LAMBDA_TOTAL, order, COARSE_STEP), { h: [], nats: Infinity });
  const near = compositions(LAMBDA_TOTAL, order, 1).filter((h) =>
    h.every((x, i) => Math.abs(x - coarse.h[i]) <= FINE_RADIUS),
  );
  return searchBest(near, coarse);
}

function tuneInterpolated(events: EventCounts, order: NgramOrder, k1: number, V: number): NgramBaselineResult {
  // Level probabilities do not depend on the lambdas: compute them once. levels[level][e].
  const levels = Array.from({ length: order }, (_, level) =>
    events.joint[level].map((j, e) => levelProb(level, j, events.context[level][e], k1, V)),
  );
  const best = searchLambdas(order, (hundredths) => {
    const lambdas = hundredths.map((h) => h / LAMBDA_TOTAL);
    return meanNats(events.size, (e) => interpolate(lambdas, (level) => levels[level][e]));
  });
  const params: Record<string, number> = {};
  best.h.forEach((x, i) => (params[`l${i + 1}`] = x / LAMBDA_TOTAL));
  params.k1 = k1;
  const shown = Object.entries(params).map(([key, value]) => `${key}=${value}`);
  return {
    name: `${ORDER_NAMES[order - 1]}, interpolated (${shown.join(', ')}; tuned on val)`,
    order,
    smoothing: 'interpolated',
    params,
    valNatsPerToken: best.nats,
  };
}

/**
 * Fits unigram/bigram/trigram models with add-k smoothing (k tuned over a grid) and bigram/trigram
 * Jelinek-Mercer interpolation (lambdas tuned by a coarse-then-fine grid; the lowest level is the
 * tuned add-k unigram, so an interpolated unigram would only repeat it), and returns the best by
 * validation nats/token.
 * @param train training documents, token ids, each ending with eosId (the caller appends it)
 * @param val validation documents, same form
 */
export function ngramBaseline(train: number[][], val: number[][], vocabSize: number, eosId: number): BaselineReport {
  const counts = countNgrams(train, vocabSize, eosId);
  checkDocs(val, vocabSize, 'ngramValidation');
  const events = eventCounts(counts, val);
  check(events.size > 0, 'BAD_ARGUMENT', {
    code: 'NGRAM_NO_TOKENS',
    params: { source: 'ngramValidation', reason: 'noTokens' },
  });
  const addKResults = ([1, 2, 3] as const).map((order) => tuneAddK(events, order, vocabSize));
  const k1 = addKResults[0].params.k;
  const interpolated = ([2, 3] as const).map((order) => tuneInterpolated(events, order, k1, vocabSize));
  const all = [...addKResults, ...interpolated];
  const best = all.reduce((a, b) => (b.valNatsPerToken < a.valNatsPerToken ? b : a));
  return { best, all, trainTokens: countTokens(train), valTokens: events.size };
}
