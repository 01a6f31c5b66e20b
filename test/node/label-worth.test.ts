// The Reward stage's "what your labels are worth": the agreement's interval and the labels that halve it.
import { describe, expect, it } from 'vitest';
import { coinTossCaution, labelWorth } from '../../src/ui/label-worth';
import { wilsonInterval } from '../../src/ui/lesson-steps';

describe('what the labels are worth', () => {
  it('gives the agreement with its Wilson interval, and flags a range that includes chance', () => {
    const w = labelWorth({ labels: 40, accuracy: 0.75, loss: 0.6, heldOut: 5, decided: 4 })!;
    expect(w).toMatchObject({ agreed: 3, pairs: 4, coinToss: true, moreLabels: 120 });
    expect([w.low, w.high]).toEqual(Object.values(wilsonInterval(0.75, 4)));
    const sure = labelWorth({ labels: 400, accuracy: 0.9, loss: 0.3, heldOut: 40, decided: 40 })!;
    expect(sure.coinToss).toBe(false);
    expect(sure.low).toBeGreaterThan(0.5);
  });

  it('four times the labels, at the same agreement, about halves the interval', () => {
    const now = labelWorth({ labels: 100, accuracy: 0.7, loss: 0.6, heldOut: 10, decided: 10 })!;
    const later = labelWorth({
      labels: 100 + now.moreLabels,
      accuracy: 0.7,
      loss: 0.6,
      heldOut: 40,
      decided: 40,
    })!;
    const ratio = (later.high - later.low) / (now.high - now.low);
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.6);
  });

  it('says nothing while no held-out pair has a winner', () => {
    expect(labelWorth({ labels: 8, accuracy: NaN, loss: 0.7, heldOut: 1, decided: 0 })).toBeNull();
    expect(labelWorth({ labels: 3, accuracy: 0, loss: 0.7, heldOut: 0, decided: null })).toBeNull();
  });

  it('cautions before an online Play while the agreement could still be a coin toss, and only then', () => {
    const unsure = { labels: 40, accuracy: 0.75, loss: 0.6, heldOut: 4, decided: 4 };
    const sure = { labels: 400, accuracy: 0.9, loss: 0.3, heldOut: 40, decided: 40 };
    const { low, high } = labelWorth(unsure)!;
    for (const algorithm of ['ppo', 'grpo', 'rloo'] as const)
      expect(coinTossCaution(algorithm, unsure)).toEqual({ low, high });
    // DPO and SFT learn from the labels, not from the reward model.
    expect(coinTossCaution('dpo', unsure)).toBeNull();
    expect(coinTossCaution('sft', unsure)).toBeNull();
    expect(coinTossCaution('ppo', sure)).toBeNull();
    expect(coinTossCaution('ppo', null)).toBeNull();
    expect(coinTossCaution('ppo', { ...unsure, accuracy: NaN, decided: 0 })).toBeNull();
  });
});
