/**
 * The app's IndexedDB database, `rlhf-playground`. Each schema version has one migration step;
 * opening at version N runs the steps from the stored version up to N, so a later version adds
 * its stores by appending a step here, and a database saved by any older version still opens.
 *
 * Version 2 holds everything a session produces: prompts, generations, the labels (comparisons,
 * ratings, demonstrations), checkpoints with a current-checkpoint pointer per kind, training
 * runs, and the lease that keeps two tabs from training at once. Version 3 adds the votes of
 * blind A/B rounds; version 4 the samples of a run's recent iterations, so a chart point opens to
 * the text that made it after a reload. Types are in records.ts.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type {
  CheckpointKind,
  CheckpointPointer,
  CheckpointRecord,
  ComparisonRecord,
  DemonstrationRecord,
  GenerationRecord,
  LeaseRecord,
  PromptRecord,
  RatingRecord,
  RunRecord,
  RunSamplesRecord,
  VoteRecord,
} from './records';

export const DB_NAME = 'rlhf-playground';

/**
 * Keys of the `settings` store: small values the page restores on reload. `baseModel` is the
 * run's base (see RunBase in settings.ts): a shipped model or a saved checkpoint, with its hash.
 * `labeler` is the name the person labels under, absent while it is the default "human".
 * `lesson` is where the guided first run stands (see SavedLesson in settings.ts).
 * `locale` is the interface language the person chose (`en`, `zh-CN`), absent until they choose.
 */
export const SETTING_KEYS = ['generation', 'prompt', 'baseModel', 'labeler', 'lesson', 'locale'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Indexes of the three label stores, where the UI searches: by time, labeler and prompt. */
type LabelIndexes = { byTime: number; byLabeler: string; byPrompt: string };

export interface PlaygroundSchema extends DBSchema {
  /** Values are `unknown` on purpose: an older version may have written them, so readers check. */
  settings: { key: SettingKey; value: unknown };
  prompts: { key: number; value: PromptRecord; indexes: { byText: string; bySplit: string } };
  generations: { key: number; value: GenerationRecord; indexes: { byTime: number; byPrompt: string; byModel: string } };
  comparisons: { key: number; value: ComparisonRecord; indexes: LabelIndexes };
  ratings: { key: number; value: RatingRecord; indexes: LabelIndexes };
  demonstrations: { key: number; value: DemonstrationRecord; indexes: LabelIndexes };
  /** Listed per kind in id order, which is save order. */
  checkpoints: { key: number; value: CheckpointRecord; indexes: { byKind: CheckpointKind } };
  checkpointPointers: { key: CheckpointKind; value: CheckpointPointer };
  runs: { key: number; value: RunRecord; indexes: { byTime: number } };
  leases: { key: string; value: LeaseRecord };
  /** Blind A/B votes, each stored the moment it is given. */
  votes: { key: number; value: VoteRecord; indexes: { byRound: number; byTime: number } };
  /** The samples of a run's last iterations, keyed [run id, step]. */
  runSamples: { key: [number, number]; value: RunSamplesRecord };
}

export type PlaygroundDB = IDBPDatabase<PlaygroundSchema>;
export type PlaygroundStore = StoreNames<PlaygroundSchema>;
type UpgradeTransaction = IDBPTransaction<PlaygroundSchema, PlaygroundStore[], 'versionchange'>;

export type Migration = (db: PlaygroundDB, tx: UpgradeTransaction) => void;

function createLabelStore(db: PlaygroundDB, name: 'comparisons' | 'ratings' | 'demonstrations'): void {
  const store = db.createObjectStore(name, { keyPath: 'id', autoIncrement: true });
  store.createIndex('byTime', 'createdAt');
  store.createIndex('byLabeler', 'labeler');
  store.createIndex('byPrompt', 'prompt');
}

/** MIGRATIONS[i] takes the database from version i to version i + 1; append, never edit. */
export const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: generation settings and the last prompt.
  (db) => {
    db.createObjectStore('settings');
  },
  // 1 -> 2: labels, checkpoints, runs. Settings are left as they are.
  (db) => {
    const prompts = db.createObjectStore('prompts', { keyPath: 'id', autoIncrement: true });
    prompts.createIndex('byText', 'text', { unique: true });
    prompts.createIndex('bySplit', 'split');
    const generations = db.createObjectStore('generations', { keyPath: 'id', autoIncrement: true });
    generations.createIndex('byTime', 'createdAt');
    generations.createIndex('byPrompt', 'prompt');
    generations.createIndex('byModel', 'model');
    createLabelStore(db, 'comparisons');
    createLabelStore(db, 'ratings');
    createLabelStore(db, 'demonstrations');
    db.createObjectStore('checkpoints', { keyPath: 'id', autoIncrement: true }).createIndex('byKind', 'kind');
    db.createObjectStore('checkpointPointers', { keyPath: 'kind' });
    db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true }).createIndex('byTime', 'createdAt');
    db.createObjectStore('leases', { keyPath: 'name' });
  },
  // 2 -> 3: the votes of blind A/B rounds. Everything else is left as it is.
  (db) => {
    const votes = db.createObjectStore('votes', { keyPath: 'id', autoIncrement: true });
    votes.createIndex('byRound', 'round');
    votes.createIndex('byTime', 'createdAt');
  },
  // 3 -> 4: the samples of each run's last iterations. Everything else is left as it is.
  (db) => {
    db.createObjectStore('runSamples', { keyPath: ['run', 'step'] });
  },
];

export const DB_VERSION = MIGRATIONS.length;

/**
 * Stores with user data, in the order a backup lists them (leases are transient, not data).
 * `runSamples` is evidence drawn again by any new run: backups leave it out, a restore clears it.
 */
export const DATA_STORES = [
  'settings',
  'prompts',
  'generations',
  'comparisons',
  'ratings',
  'demonstrations',
  'checkpoints',
  'checkpointPointers',
  'runs',
  'votes',
  'runSamples',
] as const satisfies readonly PlaygroundStore[];
export type DataStore = (typeof DATA_STORES)[number];

/**
 * Opens the app's database, creating it or running the steps from its stored version up to the
 * newest. `name` and `migrations` are parameters so tests can open a scratch database and check
 * the upgrade path with a step a later version might add.
 *
 * When a newer version of the app opens the database in another tab, this connection closes
 * itself so that tab's upgrade is not blocked; this tab's next write then fails loudly.
 */
export async function openPlaygroundDB(
  name = DB_NAME,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<PlaygroundDB> {
  const db = await openDB<PlaygroundSchema>(name, migrations.length, {
    upgrade(db, oldVersion, newVersion, tx) {
      for (let version = oldVersion; version < (newVersion ?? migrations.length); version++)
        migrations[version](db, tx);
    },
    blocking() {
      db.close();
    },
  });
  return db;
}
