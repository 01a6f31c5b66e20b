/**
 * The stored labels as TRL files (engine/interchange/label-jsonl.ts) and back. Import is all or
 * nothing twice over: every file is checked completely before anything is written, and all their
 * labels are then written in one transaction. Before writing, it says which labels were already
 * stored (those are skipped) and which contradict a stored label of the same labeler (kept).
 */
import { parseLabelJsonl, toLabelFiles, type LabelFile } from '../engine/interchange/label-jsonl';
import type { PreferenceLabel } from '../engine/interchange/preference-jsonl';
import type { RatingLabel } from '../engine/interchange/rating-jsonl';
import type { PlaygroundDB } from './db';
import { listComparisons, listRatings } from './labels';
import { checkComparisons, checkRatings, type ImportNotice, type Sourced } from './label-matches';
import type { RecordQuery } from './query';
import type { ComparisonRecord, RatingRecord } from './records';
import { addRecord, writeTransaction } from './write';

export type { LabelFile };

/** Labeler given to imported lines that name none (a dataset from the Hugging Face Hub). */
export const IMPORTED_LABELER = 'imported';

type Preference = ComparisonRecord & { choice: PreferenceLabel['choice'] };

function toPreferenceLabel(c: Preference): PreferenceLabel {
  const label: PreferenceLabel = {
    prompt: c.prompt,
    a: c.a,
    b: c.b,
    choice: c.choice,
    labeler: c.labeler,
    time: c.createdAt,
    modelA: c.modelA,
    modelB: c.modelB,
    decisionMs: c.decisionMs,
    ratings: {},
    ...(c.aEnded === undefined ? {} : { aEnded: c.aEnded }),
    ...(c.bEnded === undefined ? {} : { bEnded: c.bEnded }),
  };
  if (c.secondOpinion === true) label.secondOpinion = true;
  if (c.marks !== undefined && c.marks.length > 0) label.marks = c.marks;
  return label;
}

function toRatingLabel(r: RatingRecord): RatingLabel {
  return {
    prompt: r.prompt,
    response: r.response,
    stars: r.stars,
    labeler: r.labeler,
    time: r.createdAt,
    model: r.model,
    ...(r.ended === undefined ? {} : { ended: r.ended }),
  };
}

/**
 * The comparisons matching `query` (default: all, oldest first) and every rating, as the export's
 * files: strict preferences, ties and ratings each in their own (label-jsonl.ts). Skips are left
 * out: they state no preference.
 */
export async function exportLabelFiles(
  db: PlaygroundDB,
  query: RecordQuery = { order: 'oldest' },
): Promise<LabelFile[]> {
  const [comparisons, ratings] = await Promise.all([listComparisons(db, query), listRatings(db, { order: 'oldest' })]);
  const preferences = comparisons.filter((c): c is Preference => c.choice !== 'skip');
  return toLabelFiles(preferences.map(toPreferenceLabel), ratings.map(toRatingLabel));
}

export interface ImportLogOptions {
  labeler?: string;
  now?: number;
}

export interface ImportReport {
  /** How many were written. */
  comparisons: number;
  ratings: number;
  /** Identical labels skipped and conflicting ones kept, with file and line. */
  notices: ImportNotice[];
}

/** Stars carried on a comparison line (an older export, or another tool) become ratings of that line. */
function ratingsOnLine(item: Sourced<PreferenceLabel>): Sourced<RatingLabel>[] {
  const l = item.value;
  const sides = [
    ['a', l.ratings.a],
    ['b', l.ratings.b],
  ] as const;
  return sides.flatMap(([side, stars]) => {
    if (stars === undefined) return [];
    const [response, model, ended] = side === 'a' ? [l.a, l.modelA, l.aEnded] : [l.b, l.modelB, l.bEnded];
    const value = {
      prompt: l.prompt,
      response,
      stars,
      labeler: l.labeler,
      time: l.time,
      model,
      ...(ended === undefined ? {} : { ended }),
    };
    return [{ file: item.file, line: item.line, value }];
  });
}

function toComparisonRecord(l: PreferenceLabel): Omit<ComparisonRecord, 'id'> {
  const record = {
    prompt: l.prompt,
    a: l.a,
    b: l.b,
    choice: l.choice,
    labeler: l.labeler,
    createdAt: l.time,
    modelA: l.modelA,
    modelB: l.modelB,
    decisionMs: l.decisionMs,
    ...(l.aEnded === undefined ? {} : { aEnded: l.aEnded }),
    ...(l.bEnded === undefined ? {} : { bEnded: l.bEnded }),
    ...(l.marks === undefined ? {} : { marks: l.marks }),
  };
  return l.secondOpinion === true ? { ...record, secondOpinion: true } : record;
}

/** Parses every file (all or nothing) and sorts its labels against the stored ones; writes nothing. */
async function checkLabelFiles(db: PlaygroundDB, files: readonly LabelFile[], options: ImportLogOptions) {
  const now = options.now ?? Date.now();
  const preferences: Sourced<PreferenceLabel>[] = [];
  const ratings: Sourced<RatingLabel>[] = [];
  for (const file of files) {
    const parsed = parseLabelJsonl(file.text, {
      now,
      defaultLabeler: options.labeler ?? IMPORTED_LABELER,
      source: file.name,
    });
    for (const p of parsed.preferences) {
      preferences.push({ ...p, file: file.name });
      ratings.push(...ratingsOnLine({ ...p, file: file.name }));
    }
    ratings.push(...parsed.ratings.map((r) => ({ ...r, file: file.name })));
  }
  const [storedComparisons, storedRatings] = await Promise.all([listComparisons(db), listRatings(db)]);
  const comparisons = checkComparisons(storedComparisons, preferences);
  const rated = checkRatings(storedRatings, ratings);
  const order = (file: string) => files.findIndex((f) => f.name === file);
  const notices = [...comparisons.notices, ...rated.notices].sort(
    (x, y) => order(x.file) - order(y.file) || x.line - y.line,
  );
  return { comparisons: comparisons.keep, ratings: rated.keep, marks: comparisons.marks, notices };
}

/**
 * What importing the files would do, without writing: how many labels are new and which are
 * already stored or conflict. Throws ImportError as the import does.
 */
export async function previewLabelFiles(
  db: PlaygroundDB,
  files: readonly LabelFile[],
  options: ImportLogOptions = {},
): Promise<ImportReport> {
  const checked = await checkLabelFiles(db, files, options);
  return { comparisons: checked.comparisons.length, ratings: checked.ratings.length, notices: checked.notices };
}

/**
 * Imports label files (any of the export's three, or TRL files from elsewhere). Throws
 * ImportError listing every bad line of the first bad file, or StorageError when writing fails;
 * either way nothing is imported. Returns what was added and what was noticed.
 */
export async function importLabelFiles(
  db: PlaygroundDB,
  files: readonly LabelFile[],
  options: ImportLogOptions = {},
): Promise<ImportReport> {
  const checked = await checkLabelFiles(db, files, options);
  await writeTransaction(db, ['comparisons', 'ratings'], 'importedLabels', async (tx) => {
    for (const { value } of checked.comparisons) await addRecord(tx, 'comparisons', toComparisonRecord(value));
    const comparisons = tx.objectStore('comparisons');
    for (const { id, marks } of checked.marks) {
      const record = await comparisons.get(id);
      if (record !== undefined) await comparisons.put({ ...record, marks });
    }
    for (const { value: r } of checked.ratings) {
      const record = { prompt: r.prompt, response: r.response, stars: r.stars, labeler: r.labeler };
      const ended = r.ended === undefined ? {} : { ended: r.ended };
      await addRecord(tx, 'ratings', { ...record, createdAt: r.time, model: r.model, ...ended });
    }
  });
  return { comparisons: checked.comparisons.length, ratings: checked.ratings.length, notices: checked.notices };
}
