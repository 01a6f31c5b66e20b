// winRate against a plain reference: the same percentile bootstrap over prompts written as the
// simplest loops, with the same seeded draws; plus the cases a reader can check by hand.
import { describe, expect, it } from 'vitest';
import { pairResult, winRate, type PairOutcome, type PairResult } from '../../src/engine/eval/win-rate';
import { Rng } from '../../src/engine/rng';
import { thrownDetail } from '../helpers/sentence';

/** The reference: list the distinct prompts, draw prompts, and walk every outcome of each drawn one. */
function referenceWinRate(outcomes: PairOutcome[], resamples: number, confidence: number, seed: number) {
  const prompts: (string | number)[] = [];
  for (const o of outcomes) if (!prompts.includes(o.group)) prompts.push(o.group);
  const value = (r: PairResult) => (r === 'win' ? 1 : r === 'tie' ? 0.5 : 0);
  let total = 0;
  for (const o of outcomes) total += value(o.result);
  const rng = new Rng(seed);
  const rates: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let points = 0;
    let pairs = 0;
    for (let k = 0; k < prompts.length; k++) {
      const drawn = prompts[rng.int(prompts.length)];
      for (const o of outcomes) {
        if (o.group !== drawn) continue;
        points += value(o.result);
        pairs += 1;
      }
    }
    rates.push(points / pairs);
  }
  rates.sort((a, b) => a - b);
  const at = (q: number) => {
    const pos = q * (rates.length - 1);
    const i = Math.floor(pos);
    const j = Math.min(rates.length - 1, i + 1);
    return rates[i] * (1 - (pos - i)) + rates[j] * (pos - i);
  };
  const tail = (1 - confidence) / 2;
  return { rate: total / outcomes.length, low: at(tail), high: at(1 - tail) };
}

function randomOutcomes(seed: number, prompts: number, perPrompt: number): PairOutcome[] {
  const rng = new Rng(seed);
  const results: PairResult[] = ['win', 'tie', 'loss'];
  return Array.from({ length: prompts * perPrompt }, (_, i) => ({
    group: `prompt ${i % prompts}`,
    result: results[rng.int(3)],
  }));
}

describe('winRate', () => {
  it('matches the plain reference on random outcomes, prompts interleaved', () => {
    for (const [seed, prompts, perPrompt] of [
      [1, 12, 8],
      [2, 3, 5],
      [3, 40, 1],
    ]) {
      const outcomes = randomOutcomes(seed, prompts, perPrompt);
      const got = winRate(outcomes, { resamples: 500, seed: seed * 7 });
      const want = referenceWinRate(outcomes, 500, 0.95, seed * 7);
      expect(got.rate).toBe(want.rate);
      expect(got.low).toBeCloseTo(want.low, 12);
      expect(got.high).toBeCloseTo(want.high, 12);
      expect(got.pairs).toBe(prompts * perPrompt);
      expect(got.groups).toBe(prompts);
      expect(got.wins + got.ties + got.losses).toBe(got.pairs);
      expect(got.low).toBeLessThanOrEqual(got.high);
    }
  });

  it('all wins is [1, 1]; all losses [0, 0]; all ties [½, ½]', () => {
    const all = (result: PairResult) => Array.from({ length: 10 }, (_, i) => ({ group: i % 4, result }));
    expect(winRate(all('win'))).toMatchObject({ rate: 1, low: 1, high: 1, wins: 10 });
    expect(winRate(all('loss'))).toMatchObject({ rate: 0, low: 0, high: 0, losses: 10 });
    expect(winRate(all('tie'))).toMatchObject({ rate: 0.5, low: 0.5, high: 0.5, ties: 10 });
  });

  it('a tie counts half', () => {
    const r = winRate([
      { group: 'a', result: 'win' },
      { group: 'b', result: 'tie' },
      { group: 'c', result: 'tie' },
      { group: 'd', result: 'loss' },
    ]);
    expect(r.rate).toBe(0.5);
    expect(winRate([{ group: 'a', result: 'tie' }]).rate).toBe(0.5);
  });

  it('resamples prompts, not samples: samples of one prompt that agree widen the interval', () => {
    // 12 prompts x 8 samples; each prompt's samples all win or all lose (7 prompts win).
    const clustered = Array.from({ length: 96 }, (_, i) => ({
      group: i % 12,
      result: (i % 12 < 7 ? 'win' : 'loss') as PairResult,
    }));
    const asIfIndependent = clustered.map((o, i) => ({ ...o, group: i }));
    const grouped = winRate(clustered);
    const naive = winRate(asIfIndependent);
    expect(grouped.rate).toBe(naive.rate);
    expect(grouped.high - grouped.low).toBeGreaterThan(2 * (naive.high - naive.low));
  });

  it('with one pair per prompt, the interval is about the normal one, ±1.96 standard errors', () => {
    const outcomes = Array.from({ length: 400 }, (_, i) => ({
      group: i,
      result: (i % 2 === 0 ? 'win' : 'loss') as PairResult,
    }));
    const r = winRate(outcomes, { resamples: 4000 });
    const halfWidth = 1.96 * Math.sqrt((0.5 * 0.5) / 400);
    expect(r.low).toBeCloseTo(0.5 - halfWidth, 2);
    expect(r.high).toBeCloseTo(0.5 + halfWidth, 2);
  });

  it('is the same for the same seed, and refuses nothing to judge or a bad config', () => {
    const outcomes = randomOutcomes(5, 6, 3);
    expect(winRate(outcomes, { seed: 3 })).toEqual(winRate(outcomes, { seed: 3 }));
    expect(thrownDetail(() => winRate([]))).toEqual({ code: 'WIN_RATE_NO_PAIRS', params: {} });
    expect(thrownDetail(() => winRate(outcomes, { confidence: 1 }))).toMatchObject({
      code: 'OUT_OF_RANGE',
      params: { field: 'confidence', got: '1', rule: 'openUnit' },
    });
    expect(thrownDetail(() => winRate(outcomes, { resamples: 0 }))).toMatchObject({
      code: 'OUT_OF_RANGE',
      params: { field: 'resamples', got: '0', rule: 'positiveInteger' },
    });
  });

  it('pairResult: higher wins, equal ties', () => {
    expect([pairResult(2, 1), pairResult(1, 1), pairResult(0, 1)]).toEqual(['win', 'tie', 'loss']);
  });
});
