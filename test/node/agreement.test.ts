// The reward model's agreement with a gold score: against a plain count over the pairs, pair by pair.
import { describe, expect, it } from 'vitest';
import { agreement, type ScoredPair } from '../../src/engine/eval/agreement';
import { Rng } from '../../src/engine/rng';

describe('agreement', () => {
  it('counts the pairs the reference tells apart, a judged tie as half', () => {
    const gold: ScoredPair[] = [
      [1, 0], // told apart: judged the same way
      [0, 2], // told apart: judged the other way
      [3, 3], // a gold tie: left out whatever the judge says
      [0.5, 0.2], // told apart: the judge ties, half
    ];
    const judged: ScoredPair[] = [
      [0.9, -0.3],
      [1, 0],
      [5, -5],
      [0.1, 0.1],
    ];
    expect(agreement(gold, judged)).toEqual({ pairs: 3, agree: 1.5, rate: 0.5 });
  });

  it('leaves out the pairs whose reference scores differ by less than the least difference asked', () => {
    const gold: ScoredPair[] = [
      [1, 0.95], // 0.05 apart: a tie at 0.25
      [1, 0.5], // 0.5 apart: told apart
      [0, 0.25], // 0.25 apart: exactly the least difference, told apart
    ];
    const judged: ScoredPair[] = [
      [0, 1],
      [2, 1],
      [1, 0],
    ];
    expect(agreement(gold, judged, 0.25)).toEqual({ pairs: 2, agree: 1, rate: 0.5 });
    expect(agreement(gold, judged)).toEqual({ pairs: 3, agree: 1, rate: 1 / 3 });
  });

  it('has no rate when the reference ties every pair, and refuses lists of different lengths', () => {
    expect(agreement([[1, 1]], [[0, 2]])).toEqual({ pairs: 0, agree: 0, rate: null });
    expect(() => agreement([[1, 0]], [])).toThrow(/1 reference pairs, 0 judged/);
  });

  it('matches a plain loop over random pairs with ties on both sides', () => {
    const rng = new Rng(7);
    const draw = (): ScoredPair => [Math.floor(rng.next() * 3), Math.floor(rng.next() * 3)];
    const gold = Array.from({ length: 500 }, draw);
    const judged = Array.from({ length: 500 }, draw);
    let pairs = 0;
    let agree = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = Math.sign(gold[i][0] - gold[i][1]);
      const j = Math.sign(judged[i][0] - judged[i][1]);
      if (g === 0) continue;
      pairs += 1;
      agree += j === 0 ? 0.5 : j === g ? 1 : 0;
    }
    const a = agreement(gold, judged);
    expect(a.pairs).toBe(pairs);
    expect(a.agree).toBe(agree);
    expect(a.rate).toBeCloseTo(agree / pairs, 12);
  });
});
