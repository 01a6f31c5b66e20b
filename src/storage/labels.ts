/**
 * The labels: comparisons, star ratings and demonstrations. Each is committed the moment it is
 * given, in its own transaction with strict durability, so a reload, a crash or another tab
 * training never costs a label; ids come from the database, so tabs labelling at once never clash.
 */
import type { Comparison, Rating } from '../engine/rl/preferences';
import type { PlaygroundDB } from './db';
import { StorageError } from './errors';
import { queryRecords, type RecordQuery } from './query';
import type { ComparisonRecord, DemonstrationRecord, New, RatingRecord } from './records';
import { addRecord, writeTransaction } from './write';

export type LabelStore = 'comparisons' | 'ratings' | 'demonstrations';

/** Stores one comparison; resolves with its id once it is on disk. */
export function addComparison(db: PlaygroundDB, comparison: New<ComparisonRecord>): Promise<number> {
  return writeTransaction(db, ['comparisons'], 'comparison', (tx) => addRecord(tx, 'comparisons', comparison));
}

/** Stores one star rating; resolves with its id once it is on disk. */
export function addRating(db: PlaygroundDB, rating: New<RatingRecord>): Promise<number> {
  return writeTransaction(db, ['ratings'], 'rating', (tx) => addRecord(tx, 'ratings', rating));
}

/** Stores one demonstration; resolves with its id once it is on disk. */
export function addDemonstration(db: PlaygroundDB, demonstration: New<DemonstrationRecord>): Promise<number> {
  return writeTransaction(db, ['demonstrations'], 'demonstration', (tx) =>
    addRecord(tx, 'demonstrations', demonstration),
  );
}

export function listComparisons(db: PlaygroundDB, query: RecordQuery = {}): Promise<ComparisonRecord[]> {
  return queryRecords(db, 'comparisons', query);
}

export function listRatings(db: PlaygroundDB, query: RecordQuery = {}): Promise<RatingRecord[]> {
  return queryRecords(db, 'ratings', query);
}

export function listDemonstrations(db: PlaygroundDB, query: RecordQuery = {}): Promise<DemonstrationRecord[]> {
  return queryRecords(db, 'demonstrations', query);
}

/** How many labels a store holds. */
export function countLabels(db: PlaygroundDB, store: LabelStore): Promise<number> {
  return db.count(store);
}

/** Deletes one label; a label that does not exist is a NOT_FOUND error, not silence. */
export function deleteLabel(db: PlaygroundDB, store: LabelStore, id: number): Promise<void> {
  return writeTransaction(db, [store], 'change', async (tx) => {
    const objects = tx.objectStore(store);
    if ((await objects.getKey(id)) === undefined)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'label', id, store } });
    await objects.delete(id);
  });
}

/**
 * A stored comparison as the reward model trains on it, its marked words included; null for a
 * skip, which says nothing.
 */
export function toComparison(record: ComparisonRecord): Comparison | null {
  if (record.choice === 'skip') return null;
  const { id, prompt, a, b, choice, labeler, aEnded, bEnded, marks } = record;
  const comparison: Comparison = {
    id,
    prompt,
    a,
    b,
    choice,
    labeler,
    ...ended('aEnded', aEnded),
    ...ended('bEnded', bEnded),
  };
  if (marks !== undefined && marks.length > 0) comparison.marks = marks;
  return comparison;
}

/** A stored rating as the reward model trains on it. */
export function toRating(record: RatingRecord): Rating {
  const { id, prompt, response, stars, labeler } = record;
  return { id, prompt, response, stars, labeler, ...ended('ended', record.ended) };
}

/** An end-of-text flag, left out when the record has none (an older or imported label). */
function ended<K extends string>(name: K, flag: boolean | undefined): Partial<Record<K, boolean>> {
  return flag === undefined ? {} : ({ [name]: flag } as Record<K, boolean>);
}
