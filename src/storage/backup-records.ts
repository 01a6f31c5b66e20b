/**
 * Reading the stores of a backup's manifest back into store records: each store's list is read
 * record by record (backup-record-readers.ts), then keys must be unique within a store and
 * references between records must hold. Every problem is reported with the store and position
 * where it was found.
 */
import { decodeSafetensors } from '../engine/checkpoint/safetensors';
import { EngineError } from '../engine/errors';
import { FieldReader, isJsonObject, show, type JsonObject } from '../engine/interchange/fields';
import type { ImportProblem } from '../contract/file-messages';
import type { Message } from '../contract/messages';
import type { SettingKey } from './db';
import type {
  CheckpointPointer,
  ComparisonRecord,
  DemonstrationRecord,
  GenerationRecord,
  PromptRecord,
  RatingRecord,
  RunRecord,
  VoteRecord,
} from './records';
import {
  readCheckpoint,
  readComparison,
  readDemonstration,
  readGeneration,
  readPointer,
  readPrompt,
  readRating,
  readRun,
  readSetting,
  readVote,
  type BackupCheckpoint,
  type ReadRecord,
} from './backup-record-readers';

export interface BackupRecords {
  settings: { key: SettingKey; value: unknown }[];
  prompts: PromptRecord[];
  generations: GenerationRecord[];
  comparisons: ComparisonRecord[];
  ratings: RatingRecord[];
  demonstrations: DemonstrationRecord[];
  checkpoints: BackupCheckpoint[];
  checkpointPointers: CheckpointPointer[];
  runs: RunRecord[];
  votes: VoteRecord[];
}

const READERS: { [S in keyof BackupRecords]: ReadRecord<BackupRecords[S][number]> } = {
  settings: readSetting,
  prompts: readPrompt,
  generations: readGeneration,
  comparisons: readComparison,
  ratings: readRating,
  demonstrations: readDemonstration,
  checkpoints: readCheckpoint,
  checkpointPointers: readPointer,
  runs: readRun,
  votes: readVote,
};

/** One store's list; a missing store is an empty one (a backup of a fresh workspace). */
function readStore<S extends keyof BackupRecords>(
  stores: JsonObject,
  name: S,
  problems: ImportProblem[],
): BackupRecords[S] {
  const raw = stores[name] ?? [];
  if (!Array.isArray(raw)) {
    const got = show(raw);
    problems.push({
      message: { code: 'FIELD_TYPE', params: { field: `stores.${name}`, expected: 'list', choices: [], got } },
    });
    return [];
  }
  const out: BackupRecords[S][number][] = [];
  raw.forEach((value, i) => {
    const local: Message[] = [];
    const record = isJsonObject(value) ? READERS[name](new FieldReader(value, '', local)) : undefined;
    if (!isJsonObject(value)) local.push({ code: 'NOT_AN_OBJECT', params: { what: 'record', got: show(value) } });
    problems.push(...local.map((message) => ({ message, record: `stores.${name}[${i}]` })));
    if (record !== undefined) out.push(record);
  });
  return out as BackupRecords[S];
}

/** Keys that must be unique within a store. */
function checkUnique(problems: ImportProblem[], name: string, keys: unknown[]): void {
  const seen = new Set<unknown>();
  for (const key of keys) {
    if (seen.has(key))
      problems.push({ message: { code: 'BACKUP_KEY_TWICE', params: { store: name, key: show(key) } } });
    seen.add(key);
  }
}

/** References between records: pointers to existing checkpoints of their kind, blobs that exist and parse. */
function checkReferences(
  records: BackupRecords,
  blobs: ReadonlyMap<string, Uint8Array>,
  problems: ImportProblem[],
): void {
  const byId = new Map(records.checkpoints.map((c) => [c.id, c]));
  for (const p of records.checkpointPointers) {
    if (byId.get(p.checkpointId)?.kind !== p.kind)
      problems.push({ message: { code: 'BACKUP_POINTER', params: { kind: p.kind, checkpoint: p.checkpointId } } });
  }
  for (const c of records.checkpoints) {
    const bytes = blobs.get(c.blob);
    if (bytes === undefined) {
      const params = { checkpoint: c.id, attachment: show(c.blob) };
      problems.push({ message: { code: 'BACKUP_ATTACHMENT_MISSING', params } });
      continue;
    }
    try {
      decodeSafetensors(bytes, `checkpoint ${c.id}`);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      problems.push({ message: error.detail });
    }
  }
}

/** Reads and checks every store of a manifest; returns the records and the problems found. */
export function readBackupRecords(
  stores: JsonObject,
  blobs: ReadonlyMap<string, Uint8Array>,
): { records: BackupRecords; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const records = Object.fromEntries(
    Object.keys(READERS).map((name) => [name, readStore(stores, name as keyof BackupRecords, problems)]),
  ) as unknown as BackupRecords;
  for (const name of [
    'prompts',
    'generations',
    'comparisons',
    'ratings',
    'demonstrations',
    'checkpoints',
    'runs',
    'votes',
  ] as const) {
    checkUnique(
      problems,
      name,
      records[name].map((r) => r.id),
    );
  }
  checkUnique(
    problems,
    'prompts (text)',
    records.prompts.map((p) => p.text),
  );
  checkUnique(
    problems,
    'settings',
    records.settings.map((s) => s.key),
  );
  checkUnique(
    problems,
    'checkpointPointers',
    records.checkpointPointers.map((p) => p.kind),
  );
  if (problems.length === 0) checkReferences(records, blobs, problems);
  return { records, problems };
}
