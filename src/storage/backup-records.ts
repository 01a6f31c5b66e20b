/**
 * Reading the records of a backup's manifest back into store records. A backup is a file from a
 * user's disk, so every record is checked field by field, as carefully as any import, and every
 * problem is reported with the store and position where it was found.
 */
import { decodeSafetensors } from '../engine/checkpoint/safetensors';
import { EngineError } from '../engine/errors';
import { FieldReader, isJsonObject, show, type JsonObject } from '../engine/interchange/fields';
import { readMarks } from '../engine/interchange/word-marks';
import type { ImportProblem } from '../contract/file-messages';
import type { Message } from '../contract/messages';
import { SETTING_KEYS, type SettingKey } from './db';
import {
  BLIND_CHOICES,
  CHECKPOINT_KINDS,
  type CheckpointPointer,
  type CheckpointRecord,
  type ComparisonRecord,
  type DemonstrationRecord,
  type GenerationRecord,
  type MetricValue,
  type PromptRecord,
  type RatingRecord,
  type RunPoint,
  type RunRecord,
  type VoteRecord,
} from './records';
import type { Stars } from '../contract/labels';

/** Same cap as the preference log: texts are short here. */
const MAX_TEXT = 100_000;
const MAX_ID_TEXT = 200;
const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A checkpoint record in the manifest: its bytes are the blob it names. */
export type BackupCheckpoint = Omit<CheckpointRecord, 'bytes'> & { blob: string };

/** Reads one record; undefined when it has problems (recorded in the reader). */
type ReadRecord<T> = (r: FieldReader) => T | undefined;

const text = (r: FieldReader, name: string) => r.string(name, { maxChars: MAX_TEXT });
const idText = (r: FieldReader, name: string) => r.string(name, { maxChars: MAX_ID_TEXT });
const time = (r: FieldReader, name = 'createdAt') => r.number(name, { min: 0 });
const id = (r: FieldReader) => r.integer('id', { min: 1, max: MAX_ID });
const nullableId = (r: FieldReader, name: string) => r.string(name, { optional: true, maxChars: MAX_ID_TEXT }) ?? null;

/**
 * The record, or undefined when any of its fields failed since `before` problems: field readers
 * return undefined for a bad field, so a record built from them is only whole when none failed.
 */
function all<T>(r: FieldReader, before: number, record: T): T | undefined {
  return r.problems.length === before ? record : undefined;
}

function metrics(r: FieldReader, name: string): Record<string, MetricValue> {
  const values: Record<string, MetricValue> = {};
  const raw = r.raw(name);
  if (!isJsonObject(raw)) {
    r.bad(name, 'numberMap', raw);
    return values;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || (typeof value === 'number' && Number.isFinite(value))) values[key] = value;
    else r.bad(`${name}.${key}`, 'numberOrNull', value);
  }
  return values;
}

function points(r: FieldReader): RunPoint[] {
  const raw = r.raw('points');
  if (!Array.isArray(raw)) {
    r.bad('points', 'list', raw);
    return [];
  }
  return raw.map((point, i) => {
    const p = new FieldReader(isJsonObject(point) ? point : {}, `points[${i}].`, r.problems);
    if (!isJsonObject(point)) r.bad(`points[${i}]`, 'object', point);
    return { step: p.number('step') ?? 0, values: metrics(p, 'values') };
  });
}

const readPrompt: ReadRecord<PromptRecord> = (r) => {
  const n = r.problems.length;
  return all(r, n, {
    id: id(r)!,
    text: text(r, 'text')!,
    source: r.oneOf('source', ['shipped', 'user'] as const)!,
    split: r.oneOf('split', ['train', 'evaluation'] as const)!,
    createdAt: time(r)!,
  });
};

const readGeneration: ReadRecord<GenerationRecord> = (r) => {
  const n = r.problems.length;
  const settings = r.raw('settings') ?? null;
  if (settings !== null && !isJsonObject(settings)) r.bad('settings', 'objectOrNull', settings);
  const record = {
    id: id(r)!,
    prompt: text(r, 'prompt')!,
    response: text(r, 'response')!,
    model: idText(r, 'model')!,
    createdAt: time(r)!,
    settings: settings as JsonObject | null,
  };
  return all(r, n, record);
};

/** An optional end-of-text flag; a backup made before labels recorded it has none. */
function endedFlag<K extends string>(r: FieldReader, name: K): Partial<Record<K, boolean>> {
  const flag = r.boolean(name, { optional: true });
  return flag === undefined ? {} : ({ [name]: flag } as Record<K, boolean>);
}

/**
 * The words marked on a comparison, checked against its texts (word-marks.ts); a backup made
 * before labels carried marks, or of a label given without any, has none.
 */
function markList(r: FieldReader, a: string | undefined, b: string | undefined): Pick<ComparisonRecord, 'marks'> {
  return r.has('marks') ? { marks: readMarks(r, 'marks', { a, b }) } : {};
}

const readComparison: ReadRecord<ComparisonRecord> = (r) => {
  const n = r.problems.length;
  const decisionMs = r.number('decisionMs', { optional: true, min: 0 }) ?? null;
  const choice = r.oneOf('choice', ['a', 'b', 'tie', 'skip'] as const)!;
  const [a, b] = [text(r, 'a'), text(r, 'b')];
  const record = {
    id: id(r)!,
    prompt: text(r, 'prompt')!,
    a: a!,
    b: b!,
    choice,
    labeler: idText(r, 'labeler')!,
    createdAt: time(r)!,
    modelA: nullableId(r, 'modelA'),
    modelB: nullableId(r, 'modelB'),
    decisionMs,
    ...endedFlag(r, 'aEnded'),
    ...endedFlag(r, 'bEnded'),
    ...markList(r, a, b),
  };
  const secondOpinion = r.boolean('secondOpinion', { optional: true });
  return all(r, n, secondOpinion === true ? { ...record, secondOpinion } : record);
};

const readRating: ReadRecord<RatingRecord> = (r) => {
  const n = r.problems.length;
  const stars = r.integer('stars', { min: 1, max: 5 }) as Stars;
  return all(r, n, {
    id: id(r)!,
    prompt: text(r, 'prompt')!,
    response: text(r, 'response')!,
    stars,
    labeler: idText(r, 'labeler')!,
    createdAt: time(r)!,
    model: nullableId(r, 'model'),
    ...endedFlag(r, 'ended'),
  });
};

const readDemonstration: ReadRecord<DemonstrationRecord> = (r) => {
  const n = r.problems.length;
  return all(r, n, {
    id: id(r)!,
    prompt: text(r, 'prompt')!,
    response: text(r, 'response')!,
    labeler: idText(r, 'labeler')!,
    createdAt: time(r)!,
  });
};

const readCheckpoint: ReadRecord<BackupCheckpoint> = (r) => {
  const n = r.problems.length;
  const record = {
    id: id(r)!,
    kind: r.oneOf('kind', CHECKPOINT_KINDS)!,
    name: text(r, 'name')!,
    named: r.boolean('named')!,
    blob: idText(r, 'blob')!,
    config: r.raw('config'),
    parentId: r.integer('parentId', { optional: true, min: 1, max: MAX_ID }) ?? null,
    metrics: metrics(r, 'metrics'),
    createdAt: time(r)!,
    tokenizer: r.string('tokenizer', { optional: true, maxChars: 100_000_000 }) ?? null,
  };
  return all(r, n, record);
};

const readPointer: ReadRecord<CheckpointPointer> = (r) => {
  const n = r.problems.length;
  return all(r, n, {
    kind: r.oneOf('kind', CHECKPOINT_KINDS)!,
    checkpointId: r.integer('checkpointId', { min: 1, max: MAX_ID })!,
    updatedAt: time(r, 'updatedAt')!,
  });
};

const readRun: ReadRecord<RunRecord> = (r) => {
  const n = r.problems.length;
  const record = {
    id: id(r)!,
    kind: idText(r, 'kind')!,
    name: text(r, 'name')!,
    config: r.raw('config'),
    createdAt: time(r)!,
    updatedAt: time(r, 'updatedAt')!,
    points: points(r),
  };
  return all(r, n, record);
};

const readVote: ReadRecord<VoteRecord> = (r) => {
  const n = r.problems.length;
  return all(r, n, {
    id: id(r)!,
    round: time(r, 'round')!,
    prompt: text(r, 'prompt')!,
    left: idText(r, 'left')!,
    right: idText(r, 'right')!,
    first: text(r, 'first')!,
    second: text(r, 'second')!,
    firstFrom: r.oneOf('firstFrom', ['left', 'right'] as const)!,
    choice: r.oneOf('choice', BLIND_CHOICES)!,
    createdAt: time(r)!,
  });
};

const readSetting: ReadRecord<{ key: SettingKey; value: unknown }> = (r) => {
  const n = r.problems.length;
  return all(r, n, { key: r.oneOf('key', SETTING_KEYS)!, value: r.raw('value') });
};

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
