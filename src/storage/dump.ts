/**
 * Every record of every data store, as [key, value] pairs in key order: what a backup holds, and
 * what tests compare before and after an import to prove a rejected file changed nothing.
 */
import { DATA_STORES, type DataStore, type PlaygroundDB } from './db';

export type DatabaseDump = Record<DataStore, [IDBValidKey, unknown][]>;

/** Reads all data stores in one readonly transaction, so the dump is one consistent moment. */
export async function dumpDatabase(db: PlaygroundDB): Promise<DatabaseDump> {
  const tx = db.transaction([...DATA_STORES], 'readonly');
  const entries = await Promise.all(
    DATA_STORES.map(async (name) => {
      const store = tx.objectStore(name);
      const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()]);
      return [name, keys.map((key, i): [IDBValidKey, unknown] => [key, values[i]])] as const;
    }),
  );
  await tx.done;
  return Object.fromEntries(entries) as DatabaseDump;
}
