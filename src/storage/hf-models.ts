/**
 * Hugging Face GPT-2 directories in and out of the checkpoint store: the conversion itself is
 * engine/interchange/hf-gpt2.ts; this file only reads and writes the records.
 */
import { exportHfGpt2, importHfGpt2, type FileMap } from '../engine/interchange/hf-gpt2';
import { Tokenizer } from '../engine/tokenizer/tokenizer';
import { saveCheckpoint, type SaveOptions } from './checkpoints';
import type { PlaygroundDB } from './db';
import { StorageError } from './errors';

/**
 * Imports a GPT-2 directory (file name -> bytes) as a named policy checkpoint (kept forever)
 * with its own tokenizer, and makes it current unless told otherwise. Everything is checked
 * before anything is stored; returns the new checkpoint's id.
 */
export async function importHfModel(
  db: PlaygroundDB,
  files: FileMap,
  options: SaveOptions & { name: string; source?: string; now?: number },
): Promise<number> {
  const now = options.now ?? Date.now();
  const imported = importHfGpt2(files, {
    name: options.name,
    createdAt: new Date(now).toISOString(),
    source: options.source,
  });
  return saveCheckpoint(
    db,
    'policy',
    {
      name: options.name,
      named: true,
      bytes: imported.checkpoint,
      config: imported.config,
      metrics: {},
      tokenizer: JSON.stringify(imported.tokenizer.toJSON()),
      createdAt: now,
    },
    options,
  );
}

/**
 * A stored policy checkpoint as the files of a GPT-2 directory, tokenizer.json included: the
 * checkpoint's own tokenizer, or `loadedTokenizer` (the loaded model's tokenizer.json) for one
 * that carries none. The tokenizer must be the one the checkpoint records (its fingerprint): any
 * other is refused with BAD_TOKENIZER, since its token ids would mean other words.
 */
export async function exportHfModel(
  db: PlaygroundDB,
  checkpointId: number,
  loadedTokenizer: unknown,
): Promise<Map<string, Uint8Array>> {
  const record = await db.get('checkpoints', checkpointId);
  if (record === undefined) throw new StorageError('NOT_FOUND', `There is no checkpoint ${checkpointId}.`);
  if (record.kind !== 'policy')
    throw new StorageError(
      'NOT_FOUND',
      `Checkpoint "${record.name}" is a ${record.kind} model; only policies export as GPT-2 language models.`,
    );
  const tokenizer = Tokenizer.fromJSON(record.tokenizer === null ? loadedTokenizer : JSON.parse(record.tokenizer));
  return exportHfGpt2(new Uint8Array(record.bytes), tokenizer, `checkpoint "${record.name}"`);
}
