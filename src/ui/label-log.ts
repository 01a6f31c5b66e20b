/**
 * The label log as the worker and the page's counters read it: the stored comparisons (skips
 * left out), ratings and demonstrations, oldest first, with how many of each there are and how
 * many labels each labeler gave.
 */
import { toComparison, toRating } from '../storage/labels';
import type { LabelLog } from '../contract/labels';
import type { Workspace } from './workspace';

export interface LabelCounts {
  comparisons: number;
  skips: number;
  ratings: number;
  demonstrations: number;
}

export const EMPTY_LOG: LabelLog = { comparisons: [], ratings: [], demonstrations: [] };

export interface StoredLabels {
  log: LabelLog;
  counts: LabelCounts;
  /** How many comparisons and ratings each labeler gave: "human" or a simulated labeler's id. */
  labelledBy: Record<string, number>;
}

/** Reads every stored label of `workspace`. */
export async function readLabels(workspace: Workspace): Promise<StoredLabels> {
  const [comparisons, ratings, demonstrations] = await Promise.all([
    workspace.listComparisons({ order: 'oldest' }),
    workspace.listRatings({ order: 'oldest' }),
    workspace.listDemonstrations({ order: 'oldest' }),
  ]);
  const decided = comparisons.flatMap((c) => toComparison(c) ?? []);
  const log: LabelLog = {
    comparisons: decided,
    ratings: ratings.map(toRating),
    demonstrations: demonstrations.map((d) => ({ prompt: d.prompt, response: d.response })),
  };
  const labelledBy: Record<string, number> = {};
  for (const { labeler } of [...decided, ...log.ratings]) labelledBy[labeler] = (labelledBy[labeler] ?? 0) + 1;
  const counts = {
    comparisons: decided.length,
    skips: comparisons.length - decided.length,
    ratings: ratings.length,
    demonstrations: demonstrations.length,
  };
  return { log, counts, labelledBy };
}
