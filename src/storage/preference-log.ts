/**
 * The stored labels as a TRL preference log (engine/interchange/preference-jsonl.ts) and back.
 * Import is all or nothing twice over: the file is checked completely before anything is
 * written, and all its labels are then written in one transaction.
 */
import { parsePreferenceJsonl, toPreferenceJsonl, type PreferenceLabel } from '../engine/interchange/preference-jsonl';
import type { PlaygroundDB } from './db';
import { listComparisons, listRatings } from './labels';
import type { RecordQuery } from './query';
import type { ComparisonRecord, RatingRecord } from './records';
import { addRecord, writeTransaction } from './write';

/** Labeler given to imported lines that name none (a dataset from the Hugging Face Hub). */
export const IMPORTED_LABELER = 'imported';

type Preference = ComparisonRecord & { choice: PreferenceLabel['choice'] };

function ratingKey(labeler: string, prompt: string, response: string): string {
  return JSON.stringify([labeler, prompt, response]);
}

/**
 * Each rating rides on one line: the comparison by the same labeler, of the same prompt, that
 * showed the rated response, nearest in time (ratings are given beside a comparison). Returns
 * the stars per comparison id and side; ratings with no such comparison are not in the log.
 */
function attachRatings(
  comparisons: readonly Preference[],
  ratings: readonly RatingRecord[],
): Map<number, PreferenceLabel['ratings']> {
  const shown = new Map<string, { c: Preference; side: 'a' | 'b' }[]>();
  for (const c of comparisons) {
    for (const side of ['a', 'b'] as const) {
      const key = ratingKey(c.labeler, c.prompt, c[side]);
      shown.set(key, [...(shown.get(key) ?? []), { c, side }]);
    }
  }
  const attached = new Map<number, PreferenceLabel['ratings']>();
  for (const r of [...ratings].sort((x, y) => x.createdAt - y.createdAt)) {
    const candidates = shown.get(ratingKey(r.labeler, r.prompt, r.response)) ?? [];
    const nearest = candidates.reduce<(typeof candidates)[number] | null>(
      (best, x) =>
        best === null || Math.abs(x.c.createdAt - r.createdAt) < Math.abs(best.c.createdAt - r.createdAt) ? x : best,
      null,
    );
    if (nearest !== null) attached.set(nearest.c.id, { ...attached.get(nearest.c.id), [nearest.side]: r.stars });
  }
  return attached;
}

function toLabel(c: Preference, ratings: PreferenceLabel['ratings']): PreferenceLabel {
  return {
    prompt: c.prompt,
    a: c.a,
    b: c.b,
    choice: c.choice,
    labeler: c.labeler,
    time: c.createdAt,
    modelA: c.modelA,
    modelB: c.modelB,
    decisionMs: c.decisionMs,
    ratings,
    ...(c.aEnded === undefined ? {} : { aEnded: c.aEnded }),
    ...(c.bEnded === undefined ? {} : { bEnded: c.bEnded }),
  };
}

/**
 * The comparisons matching `query` (default: all, oldest first) as TRL JSONL. Skips are left
 * out (they state no preference); ratings ride along as described at attachRatings.
 */
export async function exportPreferenceLog(db: PlaygroundDB, query: RecordQuery = { order: 'oldest' }): Promise<string> {
  const [comparisons, ratings] = await Promise.all([listComparisons(db, query), listRatings(db)]);
  const preferences = comparisons.filter((c): c is Preference => c.choice !== 'skip');
  const attached = attachRatings(preferences, ratings);
  return toPreferenceJsonl(preferences.map((c) => toLabel(c, attached.get(c.id) ?? {})));
}

export interface ImportLogOptions {
  /** The file's name, for messages. */
  source?: string;
  labeler?: string;
  now?: number;
}

/**
 * Imports a TRL JSONL preference log: every line becomes a comparison, and the ratings it
 * carries become ratings, timed as their line. Throws ImportError listing every bad line (nothing imported), or
 * StorageError when writing fails (nothing imported either). Returns how many were added.
 */
export async function importPreferenceLog(
  db: PlaygroundDB,
  text: string,
  options: ImportLogOptions = {},
): Promise<{ comparisons: number; ratings: number }> {
  const now = options.now ?? Date.now();
  const labels = parsePreferenceJsonl(text, {
    now,
    defaultLabeler: options.labeler ?? IMPORTED_LABELER,
    source: options.source,
  });
  return writeTransaction(db, ['comparisons', 'ratings'], 'the imported labels', async (tx) => {
    let ratings = 0;
    for (const l of labels) {
      await addRecord(tx, 'comparisons', {
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
      });
      for (const [side, stars] of [
        ['a', l.ratings.a],
        ['b', l.ratings.b],
      ] as const) {
        if (stars === undefined) continue;
        const [response, model, ended] = side === 'a' ? [l.a, l.modelA, l.aEnded] : [l.b, l.modelB, l.bEnded];
        await addRecord(tx, 'ratings', {
          prompt: l.prompt,
          response,
          stars,
          labeler: l.labeler,
          createdAt: l.time,
          model,
          ...(ended === undefined ? {} : { ended }),
        });
        ratings++;
      }
    }
    return { comparisons: labels.length, ratings };
  });
}
