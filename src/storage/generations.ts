/**
 * Generations: responses a model wrote, kept so a person can look back at them and so the same
 * pair can be offered for comparison later. They are the cheapest data to lose, so they are what
 * a user deletes first when space runs out.
 */
import type { PlaygroundDB } from './db';
import { queryRecords, type RecordQuery } from './query';
import type { GenerationRecord, New } from './records';
import { addRecord, writeTransaction } from './write';

/** Stores one generation; resolves with its id. */
export function addGeneration(db: PlaygroundDB, generation: New<GenerationRecord>): Promise<number> {
  return writeTransaction(db, ['generations'], 'generation', (tx) => addRecord(tx, 'generations', generation));
}

/** Generations matching `query` (see RecordQuery; `labeler` matches nothing here). */
export function listGenerations(db: PlaygroundDB, query: RecordQuery = {}): Promise<GenerationRecord[]> {
  return queryRecords(db, 'generations', query);
}

/** Generations written by one model version, oldest first. */
export function generationsByModel(db: PlaygroundDB, model: string): Promise<GenerationRecord[]> {
  return db.getAllFromIndex('generations', 'byModel', model);
}

/** Deletes every generation created before `before` (epoch ms); returns how many. */
export function deleteGenerationsBefore(db: PlaygroundDB, before: number): Promise<number> {
  return writeTransaction(db, ['generations'], 'change', async (tx) => {
    const range = IDBKeyRange.upperBound(before, true);
    let deleted = 0;
    let cursor = await tx.objectStore('generations').index('byTime').openCursor(range);
    while (cursor !== null) {
      await cursor.delete();
      deleted++;
      cursor = await cursor.continue();
    }
    return deleted;
  });
}
