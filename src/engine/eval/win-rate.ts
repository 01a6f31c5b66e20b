/**
 * The win-rate of one policy over another, and how sure it is: every win-rate the product reports
 * (the Compare stage, the blind A/B tally, `npm run rlhf`) comes from `winRate`.
 *
 * Each pair scores 1 for a win, ½ for a tie and 0 for a loss; the win-rate is the mean. The 95%
 * interval is a percentile bootstrap over prompts, not over pairs: several samples of one prompt
 * share that prompt's difficulty, so they are not independent, and resampling them one by one
 * would make the interval too narrow. Each bootstrap draw picks as many prompts as there are, with
 * replacement, keeps all the pairs of each prompt drawn, and computes the same win-rate on them.
 */
import { check, outOfRange } from '../errors';
import { Rng } from '../rng';

export type PairResult = 'win' | 'tie' | 'loss';

/** One judged pair: the prompt it answers (pairs of one prompt are resampled together) and its result. */
export interface PairOutcome {
  group: string | number;
  result: PairResult;
}

export interface WinRateConfig {
  /** Bootstrap draws; 2000 puts the ends of a 95% interval within about half a point of their limit. */
  resamples: number;
  /** Coverage of the interval; 0.95 is the convention every report uses. */
  confidence: number;
  /** Seed of the draws, so the same outcomes always give the same interval. */
  seed: number;
}

export const DEFAULT_WIN_RATE: WinRateConfig = { resamples: 2000, confidence: 0.95, seed: 0 };

export interface WinRate {
  /** (wins + ½ · ties) / pairs. */
  rate: number;
  /** The ends of the bootstrap interval. */
  low: number;
  high: number;
  wins: number;
  ties: number;
  losses: number;
  pairs: number;
  /** Distinct prompts: the units the bootstrap resamples. */
  groups: number;
}

const POINTS: Record<PairResult, number> = { win: 1, tie: 0.5, loss: 0 };

/** The result of a pair judged by score: higher wins, equal scores tie. */
export function pairResult(score: number, other: number): PairResult {
  return score > other ? 'win' : score === other ? 'tie' : 'loss';
}

/** The q-quantile of sorted values, interpolating linearly between neighbours (NumPy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function checkConfig(c: WinRateConfig): void {
  check(
    Number.isInteger(c.resamples) && c.resamples >= 1,
    'BAD_ARGUMENT',
    outOfRange(null, 'resamples', c.resamples, 'positiveInteger'),
  );
  check(c.confidence > 0 && c.confidence < 1, 'BAD_ARGUMENT', outOfRange(null, 'confidence', c.confidence, 'openUnit'));
}

/** The win-rate of `outcomes` with its bootstrap interval over groups (prompts). */
export function winRate(outcomes: readonly PairOutcome[], config: Partial<WinRateConfig> = {}): WinRate {
  const c = { ...DEFAULT_WIN_RATE, ...config };
  checkConfig(c);
  check(outcomes.length > 0, 'BAD_ARGUMENT', { code: 'WIN_RATE_NO_PAIRS', params: {} });
  // Each group's points and pairs, so a draw adds whole prompts at once.
  const byGroup = new Map<string | number, { points: number; pairs: number }>();
  for (const o of outcomes) {
    const g = byGroup.get(o.group) ?? { points: 0, pairs: 0 };
    g.points += POINTS[o.result];
    g.pairs += 1;
    byGroup.set(o.group, g);
  }
  const groups = [...byGroup.values()];
  const rng = new Rng(c.seed);
  const rates = new Float64Array(c.resamples);
  for (let b = 0; b < c.resamples; b++) {
    let points = 0;
    let pairs = 0;
    for (let k = 0; k < groups.length; k++) {
      const drawn = groups[rng.int(groups.length)];
      points += drawn.points;
      pairs += drawn.pairs;
    }
    rates[b] = points / pairs;
  }
  rates.sort();
  const tail = (1 - c.confidence) / 2;
  const count = (r: PairResult) => outcomes.filter((o) => o.result === r).length;
  const [wins, ties, losses] = [count('win'), count('tie'), count('loss')];
  return {
    rate: (wins + 0.5 * ties) / outcomes.length,
    low: quantile(rates, tail),
    high: quantile(rates, 1 - tail),
    wins,
    ties,
    losses,
    pairs: outcomes.length,
    groups: groups.length,
  };
}
