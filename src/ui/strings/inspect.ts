/** Strings of opening a chart point: the samples of one tuning iteration. */
import { formatCount } from './format';

export const inspect = {
  /** The chart's accessible name when its points can be opened. */
  chartLabel: (title: string, xLabel: string): string =>
    `${title}. Click a point, or use the left and right arrow keys and Enter, to see the samples of that ${xLabel}.`,
  /** Read out as the keyboard moves along the x axis. */
  at: (xLabel: string, x: number, values: string): string => `${xLabel} ${formatCount(x)}: ${values}`,
  heading: (iteration: number): string => `Samples of iteration ${formatCount(iteration)}`,
  latest: 'Back to the latest samples',
  none: (iteration: number, kept: number): string =>
    `No samples are stored for iteration ${formatCount(iteration)}: each run keeps those of its last ${formatCount(kept)} iterations.`,
};
