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
  pairsHeading: (labels: number): string =>
    `Held-out pairs of the reward model trained on ${formatCount(labels)} labels`,
  pairsHint:
    'The labelled pairs kept out of training, as this reward model judged them; the worst-judged first. A loss above 0.69 (ln 2) means it leaned the wrong way.',
  close: 'Close',
  noPairs: (labels: number, kept: number): string =>
    `No pairs are stored for the training on ${formatCount(labels)} labels: pairs are kept from now on, for the last ${formatCount(kept)} trainings.`,
  noHeldOut: 'This training had no held-out pairs: label a few more.',
  columns: {
    prompt: 'Prompt',
    chosen: 'Preferred response',
    rejected: 'Other response',
    pChosen: 'P(preferred is better)',
    loss: 'Loss',
  },
  /** A tie's two responses are both shown as "tie". */
  tie: (response: string): string => `${response} (tie)`,
  probability: (p: number): string => `${(p * 100).toFixed(0)}%`,
};
