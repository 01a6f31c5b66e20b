/**
 * Hugging Face GPT-2 models in and out of the checkpoint store. The conversion itself runs in the
 * engine worker (engine/interchange/hf-gpt2.ts, through the `importHf` and `exportHf` requests);
 * this file only reads and writes the records.
 */
import type { HfModel } from '../contract/hf-model';
import { saveCheckpoint, type SaveOptions } from './checkpoints';
import type { PlaygroundDB } from './db';
import { StorageError } from './errors';

/**
 * Stores a converted GPT-2 directory as a named policy checkpoint (kept forever) with its own
 * tokenizer, and makes it current unless told otherwise; returns the new checkpoint's id.
 */
export async function saveHfModel(
  db: PlaygroundDB,
  model: HfModel,
  options: SaveOptions & { name: string; now?: number },
): Promise<number> {
  return saveCheckpoint(
    db,
    'policy',
    {
      name: options.name,
      named: true,
      bytes: model.checkpoint,
      config: model.config,
      metrics: {},
      tokenizer: model.tokenizer,
      createdAt: options.now ?? Date.now(),
    },
    options,
  );
}

/** What exporting a stored policy as a GPT-2 directory starts from. */
export interface HfExportSource {
  name: string;
  bytes: ArrayBuffer;
  /** The checkpoint's own tokenizer.json text, or null when it uses the loaded model's. */
  tokenizer: string | null;
}

/** A stored policy checkpoint to export; only policies export as GPT-2 language models. */
export async function hfExportSource(db: PlaygroundDB, checkpointId: number): Promise<HfExportSource> {
  const record = await db.get('checkpoints', checkpointId);
  if (record === undefined)
    throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'checkpoint', id: checkpointId } });
  if (record.kind !== 'policy')
    throw new StorageError('NOT_FOUND', { code: 'NOT_A_POLICY', params: { name: record.name, kind: record.kind } });
  return { name: record.name, bytes: record.bytes, tokenizer: record.tokenizer };
}
