/**
 * The readers of single records in a backup's manifest, one per store. A backup is a file from a
 * user's disk, so each reader checks its record field by field, as carefully as any import: every
 * problem goes into its field reader, and a record with any problem reads as undefined.
 */
import { FieldReader, isJsonObject, type JsonObject } from '../engine/interchange/fields';
import { readMarks } from '../engine/interchange/word-marks';
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
export type ReadRecord<T> = (r: FieldReader) => T | undefined;

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

export const readPrompt: ReadRecord<PromptRecord> = (r) => {
  const n = r.problems.length;
  return all(r, n, {
    id: id(r)!,
    text: text(r, 'text')!,
    source: r.oneOf('source', ['shipped', 'user'] as const)!,
    split: r.oneOf('split', ['train', 'evaluation'] as const)!,
    createdAt: time(r)!,
  });
};

export const readGeneration: ReadRecord<GenerationRecord> = (r) => {
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

export const readComparison: ReadRecord<ComparisonRecord> = (r) => {
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

export const readRating: ReadRecord<RatingRecord> = (r) => {
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

export const readDemonstration: ReadRecord<DemonstrationRecord> = (r) => {
  const n = r.problems.length;
  return all(r, n, {
    id: id(r)!,
    prompt: text(r, 'prompt')!,
    response: text(r, 'response')!,
    labeler: idText(r, 'labeler')!,
    createdAt: time(r)!,
  });
};

export const readCheckpoint: ReadRecord<BackupCheckpoint> = (r) => {
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

export const readPointer: ReadRecord<CheckpointPointer> = (r) => {
  const n = r.problems.length;
  return all(r, n, {
    kind: r.oneOf('kind', CHECKPOINT_KINDS)!,
    checkpointId: r.integer('checkpointId', { min: 1, max: MAX_ID })!,
    updatedAt: time(r, 'updatedAt')!,
  });
};

export const readRun: ReadRecord<RunRecord> = (r) => {
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

export const readVote: ReadRecord<VoteRecord> = (r) => {
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

export const readSetting: ReadRecord<{ key: SettingKey; value: unknown }> = (r) => {
  const n = r.problems.length;
  return all(r, n, { key: r.oneOf('key', SETTING_KEYS)!, value: r.raw('value') });
};
