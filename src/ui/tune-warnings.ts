/**
 * The two ways a tuning run goes wrong that a student should be told about at once:
 *  - KL runs away: the policy has moved far from the reference, so its text degrades and the
 *    reward model is judging text unlike anything it was trained on;
 *  - reward hacking: the reward model's score keeps rising while the simulated labeler's gold
 *    score falls, so the policy is exploiting the reward model's mistakes.
 * Each warning carries the numbers that triggered it, so the page can show them in the text.
 */
export interface MetricPoint {
  iteration: number;
  metrics: Record<string, number>;
}

export type TuneWarning =
  | { kind: 'klRunaway'; kl: number; limit: number }
  | { kind: 'rewardHacking'; rewardChange: number; goldChange: number; window: number };

/** With no adaptive target, a response this many nats from the reference is far gone. */
export const KL_LIMIT = 10;
/** With a target, this many times it means the controller has lost hold. */
export const KL_TARGET_FACTOR = 3;
/** Iterations compared for a trend: the mean of the newer half against the older half. */
export const TREND_WINDOW = 6;
/** Trends smaller than this (in score units) are noise. */
export const TREND_MIN = 0.05;

function meanOf(points: MetricPoint[], key: string): number | null {
  const values = points
    .map((p) => p.metrics[key])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Newer-half mean minus older-half mean of `key` over the last TREND_WINDOW points. */
function trend(points: MetricPoint[], key: string): number | null {
  const recent = points.slice(-TREND_WINDOW);
  if (recent.length < TREND_WINDOW) return null;
  const half = TREND_WINDOW / 2;
  const older = meanOf(recent.slice(0, half), key);
  const newer = meanOf(recent.slice(half), key);
  return older === null || newer === null ? null : newer - older;
}

/** Warnings for a run's metric history (oldest first); `klTarget` 0 means β is fixed. */
export function tuneWarnings(points: MetricPoint[], klTarget: number): TuneWarning[] {
  const warnings: TuneWarning[] = [];
  const kl = points.at(-1)?.metrics['objective/kl'];
  const limit = klTarget > 0 ? KL_TARGET_FACTOR * klTarget : KL_LIMIT;
  if (typeof kl === 'number' && (kl > limit || !Number.isFinite(kl))) warnings.push({ kind: 'klRunaway', kl, limit });
  const rewardChange = trend(points, 'objective/scores');
  const goldChange = trend(points, 'gold/score');
  if (rewardChange !== null && goldChange !== null && rewardChange > TREND_MIN && goldChange < -TREND_MIN) {
    warnings.push({ kind: 'rewardHacking', rewardChange, goldChange, window: TREND_WINDOW });
  }
  return warnings;
}
