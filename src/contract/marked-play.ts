/**
 * A longer Play when the reward model learned from marked words. A reward model trained on 40
 * labels whose words were marked is right often enough that tuning further pays (the study's
 * `ppo-marks*-iters15` cells, docs/learning.md, "Fine-grained feedback"); without marks the same
 * longer Play lost on `animals`, following a reward model that is often wrong. So the page and
 * `npm run rlhf` at their defaults lengthen the Play only when marks are on a good share of the
 * labels, and only for the algorithm the study measured it on.
 */
import type { Algorithm } from './algorithms';
import type { Comparison } from './labels';
import { DEFAULT_TUNE } from './tune-settings';

export const MARKED_PLAY: Readonly<{
  /** Iterations of the longer Play. */
  iterations: number;
  /** The share of labels carrying at least one mark from which the Play lengthens. */
  minMarkedShare: number;
  /** The algorithms it applies to: those the study measured it on. */
  algorithms: readonly Algorithm[];
}> = Object.freeze({ iterations: 15, minMarkedShare: 1 / 3, algorithms: Object.freeze(['ppo'] as Algorithm[]) });

/**
 * The study's cell that measured the longer Play as autopilot marks (up to three words per
 * response), for each algorithm it applies to (docs/learning.md, "Fine-grained feedback").
 */
export const MARKED_PLAY_CELLS: Readonly<Partial<Record<Algorithm, string>>> = Object.freeze({
  ppo: 'ppo-marks3-iters15',
});

/** How many of the labels a reward model learned from carry marks. */
export interface MarkedLabels {
  /** Labels it trained on (comparisons and ratings). */
  labels: number;
  /** Of those, comparisons with at least one marked word. */
  marked: number;
}

/** The comparisons that carry at least one marked word. */
export function countMarked(comparisons: readonly Pick<Comparison, 'marks'>[]): number {
  return comparisons.filter((c) => (c.marks?.length ?? 0) > 0).length;
}

/** Whether labels marked like `trained` lengthen a Play of `algorithm` (whatever its setting). */
export function marksLengthenPlay(algorithm: Algorithm, trained: MarkedLabels | null): boolean {
  return (
    trained !== null &&
    trained.labels > 0 &&
    MARKED_PLAY.algorithms.includes(algorithm) &&
    trained.marked / trained.labels >= MARKED_PLAY.minMarkedShare
  );
}

/**
 * The iterations one press of Play runs: the setting, or the longer Play when the setting is at its
 * default and the reward model learned from marks on at least a third of its labels. Any other
 * setting is always kept. The page reads the default value as "not chosen" (its link carries only
 * settings that differ from the defaults); `npm run rlhf` asks the rule only when
 * `--policy-iterations` is not given, so there 10 can be fixed too.
 */
export function playIterations(algorithm: Algorithm, iterations: number, trained: MarkedLabels | null): number {
  return iterations === DEFAULT_TUNE.iterations && marksLengthenPlay(algorithm, trained)
    ? MARKED_PLAY.iterations
    : iterations;
}
