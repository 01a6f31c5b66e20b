/**
 * The labels as files other tools read: an export is up to three JSON Lines files, so that each
 * can be handed to TRL as it is.
 *
 *   preferences.jsonl       strict preferences only, TRL's preference format (preference-jsonl.ts):
 *                           what DPOTrainer and RewardTrainer train on
 *   preferences-ties.jsonl  the ties, in the same line format with "tie": true. A tie has no chosen
 *                           and no rejected, so it must not reach a trainer that reads every row as
 *                           one; it is kept in its own file so it still comes back on import
 *   ratings.jsonl           star ratings in TRL's unpaired preference format (rating-jsonl.ts):
 *                           what KTOTrainer trains on
 *
 * Import reads any of them, or a file mixing their lines: a line with "completion" is a rating,
 * any other a comparison.
 */
import type { FieldReader } from './fields';
import { parseJsonlLines, type Lined, type ParseOptions, type PreferenceLimits } from './jsonl-lines';
import { readPreferenceLabel, toPreferenceJsonl, type PreferenceLabel } from './preference-jsonl';
import { readRatingLabel, toRatingJsonl, type RatingLabel } from './rating-jsonl';

export const PREFERENCES_FILE = 'preferences.jsonl';
export const TIES_FILE = 'preferences-ties.jsonl';
export const RATINGS_FILE = 'ratings.jsonl';

export interface LabelFile {
  name: string;
  text: string;
}

/** The export's files; a file with nothing to hold is left out. */
export function toLabelFiles(preferences: readonly PreferenceLabel[], ratings: readonly RatingLabel[]): LabelFile[] {
  const files: LabelFile[] = [
    { name: PREFERENCES_FILE, text: toPreferenceJsonl(preferences.filter((p) => p.choice !== 'tie')) },
    { name: TIES_FILE, text: toPreferenceJsonl(preferences.filter((p) => p.choice === 'tie')) },
    { name: RATINGS_FILE, text: toRatingJsonl(ratings) },
  ];
  return files.filter((f) => f.text !== '');
}

type AnyLabel = { kind: 'preference'; label: PreferenceLabel } | { kind: 'rating'; label: RatingLabel };

function readAnyLabel(reader: FieldReader, options: ParseOptions, limits: PreferenceLimits): AnyLabel | null {
  if (reader.has('completion')) {
    const label = readRatingLabel(reader, options, limits);
    return label === null ? null : { kind: 'rating', label };
  }
  const label = readPreferenceLabel(reader, options, limits);
  return label === null ? null : { kind: 'preference', label };
}

export interface ParsedLabels {
  preferences: Lined<PreferenceLabel>[];
  ratings: Lined<RatingLabel>[];
}

/**
 * Parses one label file of any of the three kinds. All or nothing: throws ImportError listing
 * every bad line; returns the labels, each with its line number, only when all lines are good.
 */
export function parseLabelJsonl(text: string, options: ParseOptions): ParsedLabels {
  const parsed: ParsedLabels = { preferences: [], ratings: [] };
  for (const { line, value } of parseJsonlLines(text, options, readAnyLabel)) {
    if (value.kind === 'preference') parsed.preferences.push({ line, value: value.label });
    else parsed.ratings.push({ line, value: value.label });
  }
  return parsed;
}
