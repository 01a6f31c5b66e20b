// The longer Play marked labels earn: one rule (contract/marked-play.ts) read by the page's Tune
// stage and by `npm run rlhf`'s loop, checked here against the cases it names.
import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../../src/contract/algorithms';
import { MARKED_PLAY, countMarked, marksLengthenPlay, playIterations } from '../../src/contract/marked-play';
import { DEFAULT_TUNE } from '../../src/contract/tune-settings';

const plain = DEFAULT_TUNE.iterations;

describe('the longer Play for marked labels', () => {
  it('counts the comparisons with at least one mark', () => {
    const mark = { side: 'a' as const, start: 0, end: 3, polarity: 1 as const };
    expect(countMarked([])).toBe(0);
    expect(countMarked([{}, { marks: [] }, { marks: [mark] }, { marks: [mark, mark] }])).toBe(2);
  });

  it('lengthens PPO at its default setting from a third of the labels marked, and nothing else', () => {
    expect(MARKED_PLAY.iterations).toBeGreaterThan(plain);
    // The boundary: 10 of 30 is a third; 13 of 40 is under it, 14 of 40 over.
    expect(playIterations('ppo', plain, { labels: 30, marked: 10 })).toBe(MARKED_PLAY.iterations);
    expect(playIterations('ppo', plain, { labels: 40, marked: 13 })).toBe(plain);
    expect(playIterations('ppo', plain, { labels: 40, marked: 14 })).toBe(MARKED_PLAY.iterations);
    expect(playIterations('ppo', plain, { labels: 40, marked: 40 })).toBe(MARKED_PLAY.iterations);
    // No reward model yet, or one trained on nothing.
    expect(playIterations('ppo', plain, null)).toBe(plain);
    expect(playIterations('ppo', plain, { labels: 0, marked: 0 })).toBe(plain);
    // A setting the person chose, shorter or longer, is kept.
    for (const chosen of [1, 7, 11, 40]) expect(playIterations('ppo', chosen, { labels: 40, marked: 40 })).toBe(chosen);
    // Only the algorithms it was measured on.
    for (const algorithm of ALGORITHMS)
      expect(marksLengthenPlay(algorithm, { labels: 40, marked: 40 })).toBe(MARKED_PLAY.algorithms.includes(algorithm));
  });
});
