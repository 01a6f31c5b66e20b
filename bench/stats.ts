/**
 * Timing with warm-up and medians. One timed run on a shared machine can be off by 2x, so the
 * bench reports the median of several runs, their spread, and ratios of medians from one process.
 *
 * Two clocks: 'wall' is what a user waits; 'cpu' is the time this process ran (user + system), which
 * on a machine shared with other work is close to what the wall time would be on an idle one,
 * because single-threaded WASM spends its waiting time off the CPU. GPU backends need 'wall'.
 */

export interface Timing {
  /** Median wall time of one run, in milliseconds. */
  medianMs: number;
  /** (slowest - fastest) / median: how noisy the runs were. */
  spread: number;
  /** Every timed run, in milliseconds, in the order they ran. */
  samplesMs: number[];
}

export type Clock = 'wall' | 'cpu';

/** Milliseconds on the chosen clock, from an arbitrary origin. */
export function now(clock: Clock): number {
  if (clock === 'wall') return performance.now();
  if (typeof process === 'undefined')
    throw new Error("the 'cpu' clock needs Node's process.cpuUsage(); use 'wall' in a browser");
  const { user, system } = process.cpuUsage(); // microseconds
  return (user + system) / 1000;
}

export interface Repeats {
  /** Untimed runs first: kernel compilation, buffer pools and JIT warm up here. */
  warmup: number;
  /** Timed runs; the median of these is reported. */
  repeats: number;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timing(samplesMs: number[]): Timing {
  const medianMs = median(samplesMs);
  const spread = (Math.max(...samplesMs) - Math.min(...samplesMs)) / medianMs;
  return { medianMs, spread, samplesMs };
}

/** Runs `fn` warmup + repeats times, awaiting each run, and times the repeats. */
export async function measure(fn: () => unknown, r: Repeats, clock: Clock): Promise<Timing> {
  return (await measureTogether([fn], r, clock))[0];
}

/**
 * Times several functions in alternation (a, b, a, b, ...) after their warm-ups, so that a burst
 * of other work on the machine slows all of them alike and the ratio of their medians holds.
 */
export async function measureTogether(fns: (() => unknown)[], r: Repeats, clock: Clock): Promise<Timing[]> {
  for (let i = 0; i < r.warmup; i++) for (const fn of fns) await fn();
  const samples: number[][] = fns.map(() => []);
  for (let i = 0; i < Math.max(1, r.repeats); i++) {
    for (const [k, fn] of fns.entries()) {
      const start = now(clock);
      await fn();
      samples[k].push(now(clock) - start);
    }
  }
  return samples.map(timing);
}
