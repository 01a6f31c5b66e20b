import { describe, expect, it } from 'vitest';
import { distinctN } from '../../src/engine/eval/distinct';
import { EngineError } from '../../src/engine/errors';
import { thrownDetail } from '../helpers/sentence';

describe('distinctN', () => {
  it('counts unique n-grams over total n-grams on hand cases', () => {
    // Bigrams of [1,2,1,2]: (1,2) (2,1) (1,2): 2 unique of 3.
    expect(distinctN([[1, 2, 1, 2]], 2)).toBeCloseTo(2 / 3, 12);
    // Unigrams: 1, 2 unique of 4 tokens.
    expect(distinctN([[1, 2, 1, 2]], 1)).toBeCloseTo(2 / 4, 12);
    // Across samples: bigrams (1,2) (2,3) | (1,2): 2 unique of 3; n-grams never span samples.
    expect(
      distinctN(
        [
          [1, 2, 3],
          [1, 2],
        ],
        2,
      ),
    ).toBeCloseTo(2 / 3, 12);
    // All distinct.
    expect(distinctN([[5, 6, 7, 8]], 3)).toBe(1);
  });

  it('works on words, keeping words that contain separators apart', () => {
    const words = [
      ['the', 'cat', 'sat'],
      ['the', 'cat', 'ran'],
    ];
    // Bigrams: the cat, cat sat, the cat, cat ran: 3 unique of 4.
    expect(distinctN(words, 2)).toBeCloseTo(3 / 4, 12);
    // "a,b" + "c" must not collide with "a" + "b,c".
    expect(
      distinctN(
        [
          ['a,b', 'c'],
          ['a', 'b,c'],
        ],
        2,
      ),
    ).toBe(1);
  });

  it('gives 0 on empty input and skips samples shorter than n', () => {
    expect(distinctN([], 2)).toBe(0);
    expect(distinctN([[1], []], 2)).toBe(0);
    // Only [3,3,3,3] has trigrams: (3,3,3) twice: 1 unique of 2.
    expect(
      distinctN(
        [
          [1, 2],
          [3, 3, 3, 3],
        ],
        3,
      ),
    ).toBeCloseTo(1 / 2, 12);
  });

  it('rejects n that is not a positive integer', () => {
    expect(() => distinctN([[1, 2]], 0)).toThrow(EngineError);
    expect(() => distinctN([[1, 2]], 1.5)).toThrow(EngineError);
    expect(thrownDetail(() => distinctN([[1, 2]], 0))).toEqual({
      code: 'OUT_OF_RANGE',
      params: { file: null, field: 'distinctN n', got: '0', rule: 'positiveInteger' },
    });
  });
});
