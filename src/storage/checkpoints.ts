/**
 * Checkpoints of the policy, the reward model and the value model, with one "current" pointer
 * per kind. Saving is atomic in the sense that matters: the checkpoint is written in one
 * transaction, and only once it is safely stored does a second transaction move the pointer, so
 * a crash or a full disk mid-save leaves the previous checkpoint current and intact.
 *
 * Keep-last-N: after each save, the newest N unnamed checkpoints of that kind are kept and older
 * unnamed ones deleted; named checkpoints (the user gave them a name) are kept forever.
 */
import type { PlaygroundDB } from './db';
import { StorageError } from './errors';
import { metricValue, type CheckpointKind, type CheckpointRecord } from './records';
import { addRecord, writeTransaction, type WriteTx } from './write';

/** Unnamed checkpoints kept per kind unless the caller says otherwise. */
export const DEFAULT_KEEP_LAST = 3;

export interface CheckpointInput {
  name: string;
  /** Named checkpoints are never pruned. */
  named?: boolean;
  /** The checkpoint file as the engine writes it; copied when given as a view. */
  bytes: ArrayBuffer | Uint8Array;
  config: unknown;
  parentId?: number | null;
  metrics?: Record<string, number>;
  /** tokenizer.json text when the model does not use the shipped tokenizer. */
  tokenizer?: string | null;
  createdAt?: number;
}

export interface SaveOptions {
  /** Unnamed checkpoints of this kind to keep, at least 1 (the new one). */
  keepLast?: number;
  /** Move the kind's pointer to the new checkpoint (default true). */
  makeCurrent?: boolean;
}

/** A checkpoint without its bytes, for lists. */
export type CheckpointSummary = Omit<CheckpointRecord, 'bytes'> & { byteLength: number; current: boolean };

function toRecord(kind: CheckpointKind, input: CheckpointInput): Omit<CheckpointRecord, 'id'> {
  const bytes = input.bytes instanceof ArrayBuffer ? input.bytes : input.bytes.slice().buffer;
  const metrics = Object.fromEntries(Object.entries(input.metrics ?? {}).map(([k, v]) => [k, metricValue(v)]));
  return {
    kind,
    name: input.name,
    named: input.named ?? false,
    bytes,
    config: input.config,
    parentId: input.parentId ?? null,
    metrics,
    createdAt: input.createdAt ?? Date.now(),
    tokenizer: input.tokenizer ?? null,
  };
}

/**
 * Saves a checkpoint of `kind` and returns its id: 1. write the record; 2. in a second
 * transaction, move the pointer to it and prune old unnamed checkpoints. A failure in 1 changes
 * nothing; a failure in 2 leaves the old pointer and every old checkpoint in place.
 */
export async function saveCheckpoint(
  db: PlaygroundDB,
  kind: CheckpointKind,
  input: CheckpointInput,
  options: SaveOptions = {},
): Promise<number> {
  const keepLast = options.keepLast ?? DEFAULT_KEEP_LAST;
  if (!Number.isInteger(keepLast) || keepLast < 1)
    throw new RangeError(`keepLast must be a positive integer, got ${keepLast}`);
  const record = toRecord(kind, input);
  const id = await writeTransaction(db, ['checkpoints'], `${kind}Checkpoint`, (tx) =>
    addRecord(tx, 'checkpoints', record),
  );
  try {
    await writeTransaction(db, ['checkpoints', 'checkpointPointers'], `${kind}Checkpoint`, async (tx) => {
      if (options.makeCurrent ?? true)
        await tx.objectStore('checkpointPointers').put({ kind, checkpointId: id, updatedAt: Date.now() });
      await pruneUnnamed(tx, kind, keepLast);
    });
  } catch (error) {
    await deleteQuietly(db, id);
    throw error;
  }
  return id;
}

/** Deletes unnamed checkpoints of `kind` beyond the newest `keepLast`, never the current one. */
async function pruneUnnamed(
  tx: WriteTx<['checkpoints', 'checkpointPointers']>,
  kind: CheckpointKind,
  keepLast: number,
): Promise<void> {
  const current = (await tx.objectStore('checkpointPointers').get(kind))?.checkpointId;
  let unnamed = 0;
  let cursor = await tx.objectStore('checkpoints').index('byKind').openCursor(IDBKeyRange.only(kind), 'prev');
  while (cursor !== null) {
    const { id, named } = cursor.value;
    if (!named && ++unnamed > keepLast && id !== current) await cursor.delete();
    cursor = await cursor.continue();
  }
}

/** Removes a checkpoint whose pointer move failed; if even that fails, the next save prunes it. */
async function deleteQuietly(db: PlaygroundDB, id: number): Promise<void> {
  try {
    await db.delete('checkpoints', id);
  } catch {
    // left for pruning
  }
}

/** The current checkpoint of `kind`, bytes included, or null when none was saved yet. */
export async function currentCheckpoint(db: PlaygroundDB, kind: CheckpointKind): Promise<CheckpointRecord | null> {
  const tx = db.transaction(['checkpointPointers', 'checkpoints'], 'readonly');
  const pointer = await tx.objectStore('checkpointPointers').get(kind);
  const record = pointer === undefined ? undefined : await tx.objectStore('checkpoints').get(pointer.checkpointId);
  await tx.done;
  return record ?? null;
}

export async function getCheckpoint(db: PlaygroundDB, id: number): Promise<CheckpointRecord | null> {
  return (await db.get('checkpoints', id)) ?? null;
}

/** Every checkpoint (of one kind, or all), oldest first, without bytes. */
export async function listCheckpoints(db: PlaygroundDB, kind?: CheckpointKind): Promise<CheckpointSummary[]> {
  const tx = db.transaction(['checkpointPointers', 'checkpoints'], 'readonly');
  const pointers = await tx.objectStore('checkpointPointers').getAll();
  const store = tx.objectStore('checkpoints');
  const records = kind === undefined ? await store.getAll() : await store.index('byKind').getAll(kind);
  await tx.done;
  const current = new Set(pointers.map((p) => p.checkpointId));
  return records.map(({ bytes, ...rest }) => ({
    ...rest,
    byteLength: bytes.byteLength,
    current: current.has(rest.id),
  }));
}

/** Moves the pointer of the checkpoint's kind to it (going back to an earlier checkpoint). */
export function setCurrentCheckpoint(db: PlaygroundDB, id: number): Promise<void> {
  return writeTransaction(db, ['checkpoints', 'checkpointPointers'], 'change', async (tx) => {
    const record = await tx.objectStore('checkpoints').get(id);
    if (record === undefined)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'checkpoint', id } });
    await tx.objectStore('checkpointPointers').put({ kind: record.kind, checkpointId: id, updatedAt: Date.now() });
  });
}

/** Names a checkpoint, which keeps it forever; null removes the name, so pruning may take it. */
export function setCheckpointName(db: PlaygroundDB, id: number, name: string | null): Promise<void> {
  return writeTransaction(db, ['checkpoints'], 'change', async (tx) => {
    const record = await tx.objectStore('checkpoints').get(id);
    if (record === undefined)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'checkpoint', id } });
    await tx.objectStore('checkpoints').put({ ...record, name: name ?? record.name, named: name !== null });
  });
}

/** Deletes a checkpoint; the current one of its kind cannot be deleted. */
export function deleteCheckpoint(db: PlaygroundDB, id: number): Promise<void> {
  return writeTransaction(db, ['checkpoints', 'checkpointPointers'], 'change', async (tx) => {
    const record = await tx.objectStore('checkpoints').get(id);
    if (record === undefined)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'checkpoint', id } });
    const pointer = await tx.objectStore('checkpointPointers').get(record.kind);
    if (pointer?.checkpointId === id)
      throw new StorageError('IN_USE', { code: 'CHECKPOINT_IN_USE', params: { name: record.name, kind: record.kind } });
    await tx.objectStore('checkpoints').delete(id);
  });
}
