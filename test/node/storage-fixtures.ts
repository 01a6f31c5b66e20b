import { encodeCheckpoint } from '../../src/engine/checkpoint/checkpoint';
// Shared by the storage-* and interchange-* tests: scratch databases, sample records, a tiny
// model's checkpoint built without tfjs, and a way to make a store's writes fail as a full disk does.
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterAll, afterEach, expect } from 'vitest';
import { EngineError } from '../../src/engine/errors';
import { type Weights } from '../../src/engine/interchange/weights';
import { GPT_PRESETS, type GPTConfig } from '../../src/engine/model/config';
import { gptParamSpecs } from '../../src/engine/model/params';
import { Rng } from '../../src/engine/rng';
import { fnv1a64 } from '../../src/engine/tokenizer/fingerprint';
import { Tokenizer } from '../../src/engine/tokenizer/tokenizer';
import { openPlaygroundDB, type Migration, type PlaygroundDB } from '../../src/storage/db';
import { dumpDatabase, type DatabaseDump } from '../../src/storage/dump';
import { StorageError } from '../../src/storage/errors';
import { saveCheckpoint } from '../../src/storage/checkpoints';
import { addGeneration } from '../../src/storage/generations';
import { addComparison, addDemonstration, addRating } from '../../src/storage/labels';
import { addPrompts } from '../../src/storage/prompts';
import type { ComparisonRecord, New, VoteRecord } from '../../src/storage/records';
import { appendRunPoints, createRun } from '../../src/storage/runs';
import { addVote } from '../../src/storage/votes';
import { sentenceOf } from '../helpers/sentence';

let counter = 0;
const opened: { db: PlaygroundDB; name: string }[] = [];

/** A fresh scratch database, closed and deleted after the test. */
export async function scratchDB(
  migrations?: readonly Migration[],
  name = `storage-test-${++counter}`,
): Promise<PlaygroundDB> {
  const db = await openPlaygroundDB(name, migrations);
  opened.push({ db, name });
  return db;
}

/** Like scratchDB, but kept for every test of the file (opened in beforeAll). */
export async function suiteDB(name: string): Promise<PlaygroundDB> {
  const db = await openPlaygroundDB(name);
  suite.push({ db, name });
  return db;
}

const suite: { db: PlaygroundDB; name: string }[] = [];

async function closeAll(list: { db: PlaygroundDB; name: string }[]): Promise<void> {
  const names = new Set(list.map((o) => o.name));
  for (const { db } of list.splice(0)) db.close();
  for (const name of names) await deleteDB(name);
}

afterEach(() => closeAll(opened));
afterAll(() => closeAll(suite));

export function comparison(overrides: Partial<New<ComparisonRecord>> = {}): New<ComparisonRecord> {
  return {
    prompt: 'Once upon a time',
    a: ' there was a cat.',
    b: ' a dog ran away.',
    choice: 'a',
    labeler: 'human',
    createdAt: 1_700_000_000_000,
    modelA: 'policy-1',
    modelB: 'policy-2',
    decisionMs: 1234,
    ...overrides,
  };
}

let tokenizerMemo: Tokenizer | null = null;

/** A 262-token BPE (256 bytes, 4 merges, end-of-text and pad). */
export function tinyTokenizer(): Tokenizer {
  tokenizerMemo ??= Tokenizer.train('a small cat sat on a small mat. the cat ran. '.repeat(20), { vocabSize: 262 });
  return tokenizerMemo;
}

export function tinyConfig(): GPTConfig {
  return { ...GPT_PRESETS.tiny, vocabSize: tinyTokenizer().vocabSize };
}

/** Seeded random weights for a GPT with `config`: N(0, std²) everywhere, LayerNorms included. */
export function randomWeights(config: GPTConfig, seed: number, std = 0.02): Weights {
  const rng = new Rng(seed);
  const weights: Weights = new Map();
  for (const spec of gptParamSpecs(config)) {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    weights.set(spec.name, { shape: spec.shape, data });
  }
  return weights;
}

/** Our checkpoint bytes for the tiny model, trained (so to speak) with tinyTokenizer(). */
export function tinyCheckpoint(seed = 1, name = `tiny-${seed}`): Uint8Array {
  const config = tinyConfig();
  const meta = {
    name,
    tokenizerFingerprint: tinyTokenizer().fingerprint(),
    createdAt: '2025-01-01T00:00:00.000Z',
    info: { seed },
  };
  return encodeCheckpoint(randomWeights(config, seed), config, meta);
}

/**
 * Makes put and add on the object store `store` throw a QuotaExceededError DOMException, as a
 * browser does when the disk is full: after `after` calls succeed, the next `times` calls fail
 * (by default every call fails). `restore` puts the real methods back; `calls` counts calls.
 */
export function failWritesWithQuota(
  store: string,
  opts: { after?: number; times?: number } = {},
): { restore: () => void; calls: () => number } {
  const proto = IDBObjectStore.prototype;
  const original = { put: proto.put, add: proto.add };
  const after = opts.after ?? 0;
  const last = after + (opts.times ?? Infinity);
  let calls = 0;
  for (const method of ['put', 'add'] as const) {
    proto[method] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === store && ++calls > after && calls <= last)
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original[method].apply(this, args);
    };
  }
  return {
    restore: () => {
      proto.put = original.put;
      proto.add = original.add;
    },
    calls: () => calls,
  };
}

/**
 * Every store's records, with each ArrayBuffer replaced by its length and hash, so that two
 * dumps compare by content.
 */
export async function snapshot(db: PlaygroundDB): Promise<DatabaseDump> {
  const dump = await dumpDatabase(db);
  const plain = (value: unknown): unknown => {
    if (value instanceof ArrayBuffer) return { byteLength: value.byteLength, fnv1a64: fnv1a64(new Uint8Array(value)) };
    if (Array.isArray(value)) return value.map(plain);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return value;
  };
  return plain(dump) as DatabaseDump;
}

export interface RawTensor {
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/**
 * A safetensors file written by hand from raw tensors of any dtype (the engine's encoder writes
 * F32 only), for F16/BF16 imports and for broken files: `tweak` may change the header object
 * before it is written, and the header is not padded unless `pad` says so.
 */
export function rawSafetensors(
  tensors: Iterable<[string, RawTensor]>,
  metadata: Record<string, string> | null = { format: 'pt' },
  tweak: (header: Record<string, unknown>) => void = () => undefined,
): Uint8Array {
  const header: Record<string, unknown> = metadata === null ? {} : { __metadata__: metadata };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    parts.push(t.data);
    offset += t.data.byteLength;
  }
  tweak(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  let cursor = 8 + json.length;
  for (const part of parts) {
    out.set(part, cursor);
    cursor += part.byteLength;
  }
  return out;
}

/** The tensors of a safetensors file as raw entries, in file order, each a copy. */
export function rawTensors(bytes: Uint8Array): [string, RawTensor][] {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const start = 8 + length;
  return Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, e]) => [
      name,
      { dtype: e.dtype, shape: e.shape, data: bytes.slice(start + e.data_offsets[0], start + e.data_offsets[1]) },
    ]);
}

/**
 * Runs an import that must fail on a bad file: expects an EngineError (or StorageError) whose
 * sentence (through the message table) matches `pattern`, and the database exactly as it was before.
 */
export async function expectRejectedUnchanged(
  db: PlaygroundDB,
  attempt: () => Promise<unknown>,
  pattern: RegExp,
): Promise<void> {
  const before = await snapshot(db);
  const outcome = await attempt().then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome, 'the bad input was accepted').toBeInstanceOf(Error);
  const error = outcome as Error;
  expect(
    error instanceof EngineError || error instanceof StorageError,
    `unexpected ${error.name}: ${error.message}`,
  ).toBe(true);
  expect(sentenceOf(error)).toMatch(pattern);
  expect(await snapshot(db)).toEqual(before);
}

/** A workspace with something in every store: what backups and rejected imports are checked on. */
export async function seedWorkspace(db: PlaygroundDB, seed = 1): Promise<void> {
  await seedReleaseTwo(db, seed);
  await addVote(db, vote({ createdAt: 1000 + seed }));
}

export function vote(overrides: Partial<New<VoteRecord>> = {}): New<VoteRecord> {
  return {
    round: 999,
    prompt: 'Once upon a time',
    left: 'base',
    right: 'current',
    first: ' the fox slept.',
    second: ' the fox ran home happy.',
    firstFrom: 'right',
    choice: 'second',
    createdAt: 1000,
    ...overrides,
  };
}

/**
 * Something in every store that version 2 of the schema has (settings, prompts, generations,
 * labels, checkpoints with pointers, runs), written through the current storage functions: what a
 * database made by that release holds, for the migration test.
 */
export async function seedReleaseTwo(db: PlaygroundDB, seed = 1): Promise<void> {
  await db.put(
    'settings',
    { temperature: 0.7, topK: 40, topP: 0.9, maxNewTokens: 50, seed, greedy: false },
    'generation',
  );
  await db.put('settings', `last prompt ${seed}`, 'prompt');
  await addPrompts(
    db,
    [
      { text: `Once upon a time ${seed}`, source: 'shipped', split: 'train' },
      { text: `My own ${seed}`, source: 'user', split: 'evaluation' },
    ],
    10,
  );
  await addComparison(db, comparison({ createdAt: 100 + seed, aEnded: true, bEnded: false }));
  await addComparison(db, comparison({ createdAt: 200 + seed, choice: 'skip', modelA: null, decisionMs: null }));
  await addRating(db, {
    prompt: 'p',
    response: `r${seed}`,
    stars: 3,
    labeler: 'human',
    createdAt: 300,
    model: null,
    ended: true,
  });
  await addDemonstration(db, { prompt: 'p', response: 'written by hand', labeler: 'human', createdAt: 400 });
  await addGeneration(db, {
    prompt: 'p',
    response: 'sampled',
    model: 'policy-1',
    createdAt: 500,
    settings: { temperature: 0.8 },
  });
  await saveCheckpoint(db, 'policy', {
    name: 'named one',
    named: true,
    bytes: tinyCheckpoint(seed),
    config: tinyConfig(),
    createdAt: 600,
  });
  await saveCheckpoint(db, 'policy', {
    name: 'latest',
    bytes: tinyCheckpoint(seed + 1),
    config: tinyConfig(),
    parentId: 1,
    metrics: { reward: 0.5, kl: NaN },
    createdAt: 700,
  });
  await saveCheckpoint(db, 'reward', {
    name: 'rm',
    bytes: tinyCheckpoint(seed + 2),
    config: { heads: 3 },
    createdAt: 800,
  });
  const run = await createRun(db, { kind: 'ppo', name: 'run', config: { lr: 3e-4 } }, 900);
  await appendRunPoints(
    db,
    run,
    [
      { step: 0, values: { reward: 0.1 } },
      { step: 1, values: { reward: Infinity } },
    ],
    901,
  );
}
