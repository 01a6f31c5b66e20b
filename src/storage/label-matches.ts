/**
 * What an import says before it writes: which of its labels a labeler already gave (identical,
 * skipped) and which contradict a stored label of the same labeler (both kept). Said as codes with
 * their file and line; the page words them.
 *
 * Comparisons match when labeler, prompt and the two responses (in either order) match; identical
 * when the answer is the same too (time, models and decision time do not count), conflicting when
 * it differs. Ratings match on labeler, prompt and response; identical with the same stars. Skips
 * state nothing and match nothing. Lines are checked against what was stored before the import
 * only, so a file may hold the same pair twice (a pair asked again) and both come in.
 *
 * Marked words are part of a comparison but not of its identity: an identical comparison that
 * carries marks where the stored one has none (a label exported with its marks, imported back
 * over a copy stored without them) is still skipped, and its marks are given to the stored one.
 */
import type { Lined } from '../engine/interchange/jsonl-lines';
import type { PreferenceLabel } from '../engine/interchange/preference-jsonl';
import type { RatingLabel } from '../engine/interchange/rating-jsonl';
import { samePair, type PairAnswer } from '../engine/interchange/same-pair';
import type { Stars, WordMark } from '../contract/labels';
import type { ComparisonRecord, RatingRecord } from './records';

export type ImportNotice =
  | {
      code: 'DUPLICATE_LABEL';
      kind: 'comparison' | 'rating';
      file: string;
      line: number;
      labeler: string;
      /** How many marked words the skipped comparison gave the stored one (none when absent). */
      marksAdded?: number;
    }
  | { code: 'CONFLICTING_COMPARISON'; file: string; line: number; labeler: string }
  | { code: 'CONFLICTING_RATING'; file: string; line: number; labeler: string; stored: Stars; imported: Stars };

/** A parsed label and the file and line it came from. */
export interface Sourced<T> extends Lined<T> {
  file: string;
}

export interface Checked<T> {
  /** The labels to write: everything but the identical ones. */
  keep: Sourced<T>[];
  notices: ImportNotice[];
}

/** Marks an identical imported comparison gives a stored one that has none, in its sides. */
export interface MarksForStored {
  id: number;
  marks: WordMark[];
}

const keyOf = (labeler: string, pairKey: string) => JSON.stringify([labeler, pairKey]);

/**
 * Sorts the file's comparisons into new, identical (dropped) and conflicting (kept) ones, and
 * lists the marks identical ones give stored comparisons that have none.
 */
export function checkComparisons(
  stored: readonly ComparisonRecord[],
  incoming: readonly Sourced<PreferenceLabel>[],
): Checked<PreferenceLabel> & { marks: MarksForStored[] } {
  // Per labeler and pair: each answer given, with the first stored record that gave it.
  const answers = new Map<string, Map<PairAnswer, ComparisonRecord>>();
  for (const c of stored) {
    if (c.choice === 'skip') continue;
    const { key, answer } = samePair(c, c.choice);
    const k = keyOf(c.labeler, key);
    const given = answers.get(k) ?? new Map<PairAnswer, ComparisonRecord>();
    if (!given.has(answer)) given.set(answer, c);
    answers.set(k, given);
  }
  const out: Checked<PreferenceLabel> & { marks: MarksForStored[] } = { keep: [], notices: [], marks: [] };
  const marked = new Set<number>();
  for (const item of incoming) {
    const { key, answer } = samePair(item.value, item.value.choice);
    const given = answers.get(keyOf(item.value.labeler, key));
    const where = { file: item.file, line: item.line, labeler: item.value.labeler };
    const same = given?.get(answer);
    if (same !== undefined) {
      const marks = item.value.marks ?? [];
      const gives = marks.length > 0 && (same.marks ?? []).length === 0 && !marked.has(same.id);
      if (gives) {
        // The stored record may show the pair the other way round.
        const swap = same.a !== item.value.a;
        out.marks.push({
          id: same.id,
          marks: marks.map((m) => (swap ? { ...m, side: m.side === 'a' ? 'b' : 'a' } : m)),
        });
        marked.add(same.id);
      }
      out.notices.push({
        code: 'DUPLICATE_LABEL',
        kind: 'comparison',
        ...where,
        ...(gives ? { marksAdded: marks.length } : {}),
      });
      continue;
    }
    if (given !== undefined) out.notices.push({ code: 'CONFLICTING_COMPARISON', ...where });
    out.keep.push(item);
  }
  return out;
}

/** Sorts the file's ratings the same way. */
export function checkRatings(
  stored: readonly RatingRecord[],
  incoming: readonly Sourced<RatingLabel>[],
): Checked<RatingLabel> {
  const given = new Map<string, Stars[]>();
  for (const r of stored) {
    const k = JSON.stringify([r.labeler, r.prompt, r.response]);
    given.set(k, [...(given.get(k) ?? []), r.stars]);
  }
  const out: Checked<RatingLabel> = { keep: [], notices: [] };
  for (const item of incoming) {
    const { labeler, prompt, response, stars } = item.value;
    const before = given.get(JSON.stringify([labeler, prompt, response])) ?? [];
    const where = { file: item.file, line: item.line, labeler };
    if (before.includes(stars)) {
      out.notices.push({ code: 'DUPLICATE_LABEL', kind: 'rating', ...where });
      continue;
    }
    if (before.length > 0)
      out.notices.push({ code: 'CONFLICTING_RATING', ...where, stored: before[0], imported: stars });
    out.keep.push(item);
  }
  return out;
}
