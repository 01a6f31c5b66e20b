import { describe, expect, it } from 'vitest';
import {
  addKProb,
  countNgrams,
  interpolatedProb,
  ngramBaseline,
  type NgramBaselineResult,
  type NgramOrder,
} from '../../src/engine/eval/ngram';
import { thrownDetail } from '../helpers/sentence';
import { Rng } from '../../src/engine/rng';

// Hand corpus: V = 5, eos = 0, two documents, each ending with eos.
const EOS = 0;
const V = 5;
const HAND_TRAIN = [
  [1, 2, 3, 0],
  [1, 2, 2, 0],
];

describe('n-gram probabilities on a hand corpus', () => {
  const counts = countNgrams(HAND_TRAIN, V, EOS);

  it('add-k unigram and bigram match hand arithmetic', () => {
    // Unigram counts: c(0)=2, c(1)=2, c(2)=3, c(3)=1, c(4)=0; N = 8.
    // k = 0.5: P(2) = (3 + 0.5) / (8 + 0.5*5) = 3.5 / 10.5; P(4) = 0.5 / 10.5.
    expect(addKProb(counts, 1, [], 2, 0.5)).toBeCloseTo(3.5 / 10.5, 12);
    expect(addKProb(counts, 1, [3, 1], 4, 0.5)).toBeCloseTo(0.5 / 10.5, 12);
    // Bigram context 1 occurs twice, both times followed by 2; k = 1: (2 + 1) / (2 + 1*5).
    expect(addKProb(counts, 2, [1], 2, 1)).toBeCloseTo(3 / 7, 12);
    // Unseen bigram context 4: uniform, (0 + 1) / (0 + 5).
    expect(addKProb(counts, 2, [4], 2, 1)).toBeCloseTo(1 / 5, 12);
  });

  it('interpolated trigram matches hand arithmetic', () => {
    const lambdas = [0.2, 0.3, 0.5];
    const k1 = 0.5;
    // P(3 | 1 2): trigram context (1,2) seen twice (-> 3, -> 2): ML = 1/2.
    // Bigram context 2 seen three times (-> 3, -> 2, -> 0): ML = 1/3.
    // Unigram add-k: (1 + 0.5) / (8 + 2.5) = 1/7.
    const expected = 0.2 * (1 / 7) + 0.3 * (1 / 3) + 0.5 * (1 / 2);
    expect(interpolatedProb(counts, lambdas, k1, [1, 2], 3)).toBeCloseTo(expected, 12);
    // P(3 | 3 2): trigram context (3,2) never seen, so its weight is spread over the others.
    const unseen = (0.2 * (1 / 7) + 0.3 * (1 / 3)) / (0.2 + 0.3);
    expect(interpolatedProb(counts, lambdas, k1, [3, 2], 3)).toBeCloseTo(unseen, 12);
    // P(1 | document start): context (eos, eos) and eos both seen twice, always -> 1.
    const start = 0.2 * (2.5 / 10.5) + 0.3 * 1 + 0.5 * 1;
    expect(interpolatedProb(counts, lambdas, k1, [], 1)).toBeCloseTo(start, 12);
  });

  it('every model is a distribution over the whole vocabulary, in seen and unseen contexts', () => {
    const contexts = [[], [1], [1, 2], [3, 2], [4, 4], [2, 2, 3], [0]];
    const sumOver = (prob: (next: number) => number) =>
      Array.from({ length: V }, (_, next) => prob(next)).reduce((a, b) => a + b, 0);
    for (const history of contexts) {
      for (const order of [1, 2, 3] as NgramOrder[]) {
        for (const k of [0.01, 0.5, 2]) {
          expect(sumOver((w) => addKProb(counts, order, history, w, k))).toBeCloseTo(1, 9);
        }
      }
      for (const lambdas of [[1], [0.4, 0.6], [0.2, 0.3, 0.5], [0.01, 0, 0.99]]) {
        expect(sumOver((w) => interpolatedProb(counts, lambdas, 0.1, history, w))).toBeCloseTo(1, 9);
      }
    }
  });

  it('rejects tokens outside the vocabulary and bad lambdas', () => {
    const outside = (source: string, document: number | null, position: number | null, token: number) => ({
      code: 'TOKEN_ID_OUT_OF_RANGE',
      params: { source, document, position, token, vocabSize: V },
    });
    expect(thrownDetail(() => countNgrams([[1, 5, 0]], V, EOS))).toEqual(outside('ngramTraining', 0, 1, 5));
    expect(thrownDetail(() => ngramBaseline(HAND_TRAIN, [[1, 2, 7]], V, EOS))).toEqual(
      outside('ngramValidation', 0, 2, 7),
    );
    expect(thrownDetail(() => countNgrams(HAND_TRAIN, V, 9))).toEqual(outside('ngramEndOfText', null, null, 9));
    expect(thrownDetail(() => addKProb(counts, 2, [1], V, 0.1))).toEqual(outside('ngramNext', null, null, V));
    expect(thrownDetail(() => countNgrams([], V, EOS))).toEqual({
      code: 'NGRAM_NO_TOKENS',
      params: { source: 'ngramTraining', reason: 'noDocuments' },
    });
    expect(thrownDetail(() => ngramBaseline(HAND_TRAIN, [[]], V, EOS))).toEqual({
      code: 'NGRAM_NO_TOKENS',
      params: { source: 'ngramValidation', reason: 'noTokens' },
    });
    expect(thrownDetail(() => interpolatedProb(counts, [0.5, 0.6], 0.1, [1], 2))).toEqual({
      code: 'NGRAM_LAMBDAS',
      params: { lambdas: [0.5, 0.6], problem: 'sum', sum: 1.1, maxOrder: 3 },
    });
    expect(thrownDetail(() => interpolatedProb(counts, [0, 1], 0.1, [1], 2))).toMatchObject({
      code: 'NGRAM_LAMBDAS',
      params: { problem: 'shape' },
    });
    expect(thrownDetail(() => countNgrams(HAND_TRAIN, 300000, EOS))).toEqual({
      code: 'NGRAM_VOCAB',
      params: { vocabSize: 300000, order: 3 },
    });
  });
});

/** A random order-2 Markov chain over symbols 1..S (0 is eos): next[a][b] = P(. | a, b) over 1..S. */
function randomChain(rng: Rng, S: number): number[][][] {
  return Array.from({ length: S + 1 }, () =>
    Array.from({ length: S + 1 }, () => {
      // Cubing uniform draws makes rows peaked, so two tokens of context matter.
      const weights = Array.from({ length: S }, () => rng.next() ** 3 + 0.01);
      const total = weights.reduce((a, b) => a + b, 0);
      return weights.map((w) => w / total);
    }),
  );
}

function sampleFrom(rng: Rng, probs: number[]): number {
  let u = rng.next();
  for (let i = 0; i < probs.length - 1; i++) {
    u -= probs[i];
    if (u < 0) return i;
  }
  return probs.length - 1;
}

/** Documents of `length` chain symbols plus eos, each started from a burnt-in chain state. */
function sampleDocs(rng: Rng, chain: number[][][], count: number, length: number): number[][] {
  const S = chain.length - 1;
  return Array.from({ length: count }, () => {
    let [a, b] = [1 + rng.int(S), 1 + rng.int(S)];
    const doc: number[] = [];
    for (let i = 0; i < length + 50; i++) {
      const c = 1 + sampleFrom(rng, chain[a][b]);
      if (i >= 50) doc.push(c);
      [a, b] = [b, c];
    }
    doc.push(EOS);
    return doc;
  });
}

/** Exact entropy rate: sum over pair states of stationary pi(a,b) * H(P(. | a,b)), in nats. */
function entropyRate(chain: number[][][]): number {
  const S = chain.length - 1;
  let pi = Array.from({ length: S + 1 }, (_, a) => Array.from({ length: S + 1 }, (_, b) => (a && b ? 1 / (S * S) : 0)));
  for (let iter = 0; iter < 2000; iter++) {
    const nextPi = pi.map((row) => row.map(() => 0));
    for (let a = 1; a <= S; a++)
      for (let b = 1; b <= S; b++) for (let c = 1; c <= S; c++) nextPi[b][c] += pi[a][b] * chain[a][b][c - 1];
    pi = nextPi;
  }
  let rate = 0;
  for (let a = 1; a <= S; a++)
    for (let b = 1; b <= S; b++) rate -= pi[a][b] * chain[a][b].reduce((h, p) => h + p * Math.log(p), 0);
  return rate;
}

function bestOfOrder(all: NgramBaselineResult[], order: number): number {
  return Math.min(...all.filter((r) => r.order === order).map((r) => r.valNatsPerToken));
}

describe('ngramBaseline on an order-2 Markov chain', () => {
  const rng = new Rng(1234);
  const S = 5;
  const chain = randomChain(rng, S);
  const train = sampleDocs(rng, chain, 20, 2000);
  const val = sampleDocs(rng, chain, 5, 2000);
  const report = ngramBaseline(train, val, S + 1, EOS);

  it('ranks trigram < bigram < unigram, and the trigram reaches the entropy rate', () => {
    const [uni, bi, tri] = [1, 2, 3].map((n) => bestOfOrder(report.all, n));
    expect(tri).toBeLessThan(bi - 0.05);
    expect(bi).toBeLessThan(uni - 0.05);
    const rate = entropyRate(chain);
    // Finite validation sample (about 1% noise), document starts and eos cost a little.
    expect(Math.abs(tri - rate)).toBeLessThan(0.04);
    expect(report.best.order).toBe(3);
  });

  it('reports every model, the minimum as best, token counts and tuned params', () => {
    expect(report.all.map((r) => `${r.order}/${r.smoothing}`)).toEqual([
      '1/add-k',
      '2/add-k',
      '3/add-k',
      '2/interpolated',
      '3/interpolated',
    ]);
    const minimum = Math.min(...report.all.map((r) => r.valNatsPerToken));
    expect(report.best.valNatsPerToken).toBe(minimum);
    expect(report.trainTokens).toBe(20 * 2001);
    expect(report.valTokens).toBe(5 * 2001);
    for (const r of report.all) {
      expect(r.name).toContain('tuned on val');
      if (r.smoothing === 'interpolated') {
        const lambdas = Array.from({ length: r.order }, (_, i) => r.params[`l${i + 1}`]);
        expect(lambdas.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        expect(r.params.k1).toBe(report.all[0].params.k);
      }
    }
  });
});

describe('ngramBaseline at the project scale', () => {
  it('fits 250k training tokens over a 2048 vocabulary in a few seconds', () => {
    const rng = new Rng(7);
    const Vbig = 2048;
    // Zipf-like tokens with a repeated-bigram habit, so that counts are sparse as in real text.
    const draw = () => Math.min(Vbig - 1, 1 + Math.floor(Math.exp(rng.next() * Math.log(Vbig))));
    const docs = (count: number) =>
      Array.from({ length: count }, () => {
        const doc = Array.from({ length: 250 }, draw);
        for (let i = 1; i < doc.length; i += 2) if (rng.next() < 0.5) doc[i] = (doc[i - 1] * 7) % Vbig;
        return [...doc, EOS];
      });
    const started = performance.now();
    const report = ngramBaseline(docs(1000), docs(100), Vbig, EOS);
    const seconds = (performance.now() - started) / 1000;
    expect(report.trainTokens).toBe(251_000);
    expect(report.all.every((r) => Number.isFinite(r.valNatsPerToken))).toBe(true);
    expect(report.best.valNatsPerToken).toBeLessThan(Math.log(Vbig));
    expect(seconds).toBeLessThan(15);
  });
});
