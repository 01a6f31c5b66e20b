/**
 * Running mean and standard deviation of every score seen so far, merged batch by batch (Chan,
 * Golub and LeVeque's parallel update, the update TRL's RunningMoments uses; the standard
 * deviation here is the population one, TRL's the sample one). PPO
 * can normalise its scores with them, so the score's scale follows the policy's own samples as it
 * moves, rather than staying fixed on the reference policy's.
 */
export interface Moments {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

export const NO_MOMENTS: Moments = { count: 0, mean: 0, m2: 0 };

/** The moments of everything in `m` and `batch` together. */
export function mergeMoments(m: Moments, batch: readonly number[]): Moments {
  const n = batch.length;
  if (n === 0) return m;
  const mean = batch.reduce((a, x) => a + x, 0) / n;
  const m2 = batch.reduce((a, x) => a + (x - mean) ** 2, 0);
  const count = m.count + n;
  const delta = mean - m.mean;
  return {
    count,
    mean: m.mean + (delta * n) / count,
    m2: m.m2 + m2 + (delta * delta * m.count * n) / count,
  };
}

/** The population standard deviation of what `m` has seen (1 until two values differ). */
export function momentsStd(m: Moments): number {
  const std = m.count > 0 ? Math.sqrt(m.m2 / m.count) : 0;
  return std > 1e-6 ? std : 1;
}
