/**
 * The app's IndexedDB database, `rlhf-playground`. Each schema version has one migration step;
 * opening at version N runs the steps from the stored version up to N, so a later version adds
 * its stores by appending a step here, and a database saved by any older version still opens.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

export const DB_NAME = 'rlhf-playground';

/** Keys of the `settings` store: small values the page restores on reload. */
export type SettingKey = 'generation' | 'prompt';

export interface PlaygroundSchema extends DBSchema {
  /** Values are `unknown` on purpose: an older version may have written them, so readers check. */
  settings: { key: SettingKey; value: unknown };
}

export type PlaygroundDB = IDBPDatabase<PlaygroundSchema>;
type UpgradeTransaction = IDBPTransaction<PlaygroundSchema, StoreNames<PlaygroundSchema>[], 'versionchange'>;

export type Migration = (db: PlaygroundDB, tx: UpgradeTransaction) => void;

/** MIGRATIONS[i] takes the database from version i to version i + 1; append, never edit. */
export const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: generation settings and the last prompt.
  (db) => {
    db.createObjectStore('settings');
  },
];

export const DB_VERSION = MIGRATIONS.length;

/**
 * Opens the app's database, creating it or running the steps from its stored version up to the
 * newest. `name` and `migrations` are parameters so tests can open a scratch database and check
 * the upgrade path with a step a later version might add.
 */
export function openPlaygroundDB(name = DB_NAME, migrations: readonly Migration[] = MIGRATIONS): Promise<PlaygroundDB> {
  return openDB<PlaygroundSchema>(name, migrations.length, {
    upgrade(db, oldVersion, newVersion, tx) {
      for (let version = oldVersion; version < (newVersion ?? migrations.length); version++) migrations[version](db, tx);
    },
  });
}
