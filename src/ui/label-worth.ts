/**
 * What a reward-model training says about the person's labels, in numbers the Reward stage words
 * plainly: how often it sided with them on held-out pairs, the 95% interval so few pairs allow,
 * and how many more labels would halve that interval.
 */
import { ALGORITHM_FACTS, type Algorithm } from '../contract/algorithms';
import { wilsonInterval } from './lesson-steps';
import type { RewardCheck } from './reward-state.svelte';

export interface LabelWorth {
  /** Held-out pairs with a winner the reward model sided with the person on, and of how many. */
  agreed: number;
  pairs: number;
  /** The 95% Wilson interval of the agreement. */
  low: number;
  high: number;
  /** The interval still includes 50%: the reward model may be no better than a coin toss. */
  coinToss: boolean;
  /**
   * More labels that would halve the interval: its width shrinks as one over the square root of
   * the held-out pairs, and a fixed share of labels is held out, so four times the labels.
   */
  moreLabels: number;
}

/** The worth of the labels behind `check`; null while no held-out pair has a winner. */
export function labelWorth(check: Omit<RewardCheck, 'marked'>): LabelWorth | null {
  const pairs = check.decided ?? check.heldOut;
  if (pairs === 0 || !Number.isFinite(check.accuracy)) return null;
  const { low, high } = wilsonInterval(check.accuracy, pairs);
  return {
    agreed: Math.round(check.accuracy * pairs),
    pairs,
    low,
    high,
    coinToss: low <= 0.5,
    moreLabels: 3 * check.labels,
  };
}

/**
 * The Tune stage's caution before a Play: the reward model behind it may still be no better than
 * a coin toss on the person's held-out labels, and an online algorithm (PPO, GRPO, RLOO) follows
 * it wherever it points. Null when the algorithm learns from the labels themselves (DPO, SFT),
 * before any training, or once the interval excludes 50%.
 */
export function coinTossCaution(
  algorithm: Algorithm,
  check: Omit<RewardCheck, 'marked'> | null,
): Pick<LabelWorth, 'low' | 'high'> | null {
  if (check === null || !ALGORITHM_FACTS[algorithm].needsRewardModel) return null;
  const worth = labelWorth(check);
  return worth === null || !worth.coinToss ? null : { low: worth.low, high: worth.high };
}
