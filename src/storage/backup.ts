/**
 * The whole workspace as one file, and restoring it. The file is the container of
 * engine/interchange/workspace.ts; its manifest is
 *
 *   { "app": "rlhf-playground", "schemaVersion": 3, "createdAt": "<ISO time>",
 *     "stores": { "settings": [{ "key", "value" }], "prompts": [...], "generations": [...],
 *                 "comparisons": [...], "ratings": [...], "demonstrations": [...],
 *                 "checkpoints": [{ ...record without bytes, "blob": "checkpoint-<id>" }],
 *                 "checkpointPointers": [...], "runs": [...], "votes": [...] } }
 *
 * with records exactly as the stores hold them (see records.ts), and each checkpoint's bytes as
 * the attachment its `blob` names. A backup of an older version lacks the stores added since
 * (version 2 has no votes); they restore empty. Restoring replaces the whole workspace in one transaction:
 * the file is checked completely first, and if writing fails (a full disk) nothing changes.
 */
import { decodeWorkspace, encodeWorkspace } from '../engine/interchange/workspace';
import { isJsonObject, show } from '../engine/interchange/fields';
import { inFile, throwIfProblems } from '../engine/interchange/import-error';
import type { Message } from '../contract/messages';
import { readBackupRecords, type BackupRecords } from './backup-records';
import { DATA_STORES, DB_VERSION, SETTING_KEYS, type PlaygroundDB } from './db';
import { writeTransaction } from './write';

const APP = 'rlhf-playground';
/** The oldest database version a backup can be restored from. */
const OLDEST_RESTORED = 2;

function blobName(checkpointId: number): string {
  return `checkpoint-${checkpointId}`;
}

/** Reads every data store in one readonly transaction: the backup is one consistent moment. */
async function readAll(db: PlaygroundDB): Promise<{ records: BackupRecords; blobs: Map<string, Uint8Array> }> {
  const tx = db.transaction([...DATA_STORES], 'readonly');
  const get = <S extends Exclude<(typeof DATA_STORES)[number], 'settings'>>(name: S) => tx.objectStore(name).getAll();
  const settingValues = await Promise.all(SETTING_KEYS.map((key) => tx.objectStore('settings').get(key)));
  const [prompts, generations, comparisons, ratings, demonstrations, checkpoints, checkpointPointers, runs, votes] =
    await Promise.all([
      get('prompts'),
      get('generations'),
      get('comparisons'),
      get('ratings'),
      get('demonstrations'),
      get('checkpoints'),
      get('checkpointPointers'),
      get('runs'),
      get('votes'),
    ]);
  await tx.done;
  const settings = SETTING_KEYS.map((key, i) => ({ key, value: settingValues[i] })).filter(
    (s) => s.value !== undefined,
  );
  const blobs = new Map(checkpoints.map((c) => [blobName(c.id), new Uint8Array(c.bytes)]));
  const stripped = checkpoints.map(({ bytes: _bytes, ...rest }) => ({ ...rest, blob: blobName(rest.id) }));
  return {
    records: {
      settings,
      prompts,
      generations,
      comparisons,
      ratings,
      demonstrations,
      checkpoints: stripped,
      checkpointPointers,
      runs,
      votes,
    },
    blobs,
  };
}

/** The whole workspace (labels, prompts, generations, checkpoints, runs, votes, settings) as one file. */
export async function exportWorkspace(db: PlaygroundDB, now = Date.now()): Promise<Uint8Array> {
  const { records, blobs } = await readAll(db);
  const manifest = { app: APP, schemaVersion: DB_VERSION, createdAt: new Date(now).toISOString(), stores: records };
  return encodeWorkspace(manifest, blobs);
}

export type RestoreSummary = { [S in keyof BackupRecords]: number };

/** Checks a backup completely; returns its records and attachments, or throws ImportError. */
function readBackup(bytes: Uint8Array, source: string): { records: BackupRecords; blobs: Map<string, Uint8Array> } {
  const { manifest, blobs } = decodeWorkspace(bytes, source);
  const problems: Message[] = [];
  if (manifest.app !== APP)
    problems.push({ code: 'FIELD_VALUE', params: { field: 'app', got: show(manifest.app), expected: show(APP) } });
  const version = manifest.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < OLDEST_RESTORED || version > DB_VERSION) {
    problems.push({
      code: 'BACKUP_SCHEMA',
      params: { got: show(version), oldest: OLDEST_RESTORED, newest: DB_VERSION },
    });
  }
  if (!isJsonObject(manifest.stores)) {
    const got = show(manifest.stores);
    problems.push({ code: 'FIELD_TYPE', params: { field: 'stores', expected: 'object', choices: [], got } });
  }
  throwIfProblems('BAD_ARGUMENT', source, inFile(problems));
  const { records, problems: recordProblems } = readBackupRecords(manifest.stores as Record<string, unknown>, blobs);
  throwIfProblems('BAD_ARGUMENT', source, recordProblems);
  return { records, blobs };
}

/**
 * Replaces the whole workspace with a backup's contents. The file is checked first (any problem
 * throws ImportError listing all of them, and nothing changes); then every store is cleared and
 * refilled in one transaction, so a failure while writing (StorageError 'QUOTA') also changes nothing.
 */
export async function restoreWorkspace(
  db: PlaygroundDB,
  bytes: Uint8Array,
  source = 'backup',
): Promise<RestoreSummary> {
  const { records, blobs } = readBackup(bytes, source);
  await writeTransaction(db, [...DATA_STORES], 'restoredWorkspace', async (tx) => {
    // One request at a time, each awaited: a request left unawaited would reject unobserved on abort.
    for (const name of DATA_STORES) await tx.objectStore(name).clear();
    for (const s of records.settings) await tx.objectStore('settings').put(s.value, s.key);
    for (const r of records.prompts) await tx.objectStore('prompts').put(r);
    for (const r of records.generations) await tx.objectStore('generations').put(r);
    for (const r of records.comparisons) await tx.objectStore('comparisons').put(r);
    for (const r of records.ratings) await tx.objectStore('ratings').put(r);
    for (const r of records.demonstrations) await tx.objectStore('demonstrations').put(r);
    for (const r of records.checkpointPointers) await tx.objectStore('checkpointPointers').put(r);
    for (const r of records.runs) await tx.objectStore('runs').put(r);
    for (const r of records.votes) await tx.objectStore('votes').put(r);
    for (const { blob, ...record } of records.checkpoints) {
      await tx.objectStore('checkpoints').put({ ...record, bytes: blobs.get(blob)!.slice().buffer });
    }
  });
  return Object.fromEntries(Object.entries(records).map(([name, list]) => [name, list.length])) as RestoreSummary;
}
