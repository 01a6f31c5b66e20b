/**
 * Every write goes through one helper, so every write is one transaction that lands whole or not
 * at all, and every failure becomes a StorageError saying so.
 */
import type { IDBPTransaction } from 'idb';
import type { PlaygroundDB, PlaygroundSchema, PlaygroundStore } from './db';
import type { StoredThing } from '../contract/messages';
import { toStorageError } from './errors';

export type WriteTx<S extends PlaygroundStore[]> = IDBPTransaction<PlaygroundSchema, S, 'readwrite'>;

/**
 * Runs `body` in one readwrite transaction over `stores` and waits until it has committed.
 * Any error, thrown by `body`, by a request or by the commit, aborts the transaction (so none of
 * its writes land) and is rethrown as a StorageError naming `what`. Labels use strict durability:
 * the promise resolves only once the browser has flushed the write to disk.
 *
 * `body` must await every request it makes: after an abort, a request promise nobody awaits
 * would reject unobserved.
 */
export async function writeTransaction<S extends PlaygroundStore[], T>(
  db: PlaygroundDB,
  stores: S,
  what: StoredThing,
  body: (tx: WriteTx<S>) => Promise<T>,
): Promise<T> {
  const tx = db.transaction(stores, 'readwrite', { durability: 'strict' });
  // Observed here so an abort is never an unhandled rejection; awaited below.
  const done = tx.done.then(
    () => null,
    (error: unknown) => error ?? new DOMException('transaction aborted', 'AbortError'),
  );
  try {
    const result = await body(tx);
    const failure = await done;
    if (failure !== null) throw failure;
    return result;
  } catch (error) {
    abortQuietly(tx);
    await done;
    throw toStorageError(error, what, tx.error);
  }
}

/** Aborting a transaction that already finished throws; that case needs nothing undone. */
function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // already committed or aborted
  }
}

/**
 * Adds a record without an id to an autoIncrement store and returns the id it was given. The cast
 * is the one place where a record without its key is handed to a store whose type includes it.
 */
export async function addRecord<
  S extends PlaygroundStore[],
  N extends S[number],
  T extends PlaygroundSchema[N]['value'],
>(tx: WriteTx<S>, store: N, record: Omit<T, 'id'>): Promise<number> {
  const key = await tx.objectStore(store).add(record as T);
  return key as number;
}
