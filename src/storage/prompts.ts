/**
 * Prompts: the shipped story openings and the user's own, each in the training or evaluation
 * split. A prompt's text is unique, so seeding the shipped ones on every start adds nothing twice.
 */
import type { PlaygroundDB } from './db';
import { StorageError } from './errors';
import type { PromptRecord, PromptSource, PromptSplit } from './records';
import { addRecord, writeTransaction } from './write';

export interface PromptInput {
  text: string;
  source: PromptSource;
  split: PromptSplit;
}

/** Adds the prompts whose text is not stored yet, in one transaction; returns how many were new. */
export function addPrompts(db: PlaygroundDB, prompts: readonly PromptInput[], now = Date.now()): Promise<number> {
  return writeTransaction(db, ['prompts'], 'prompts', async (tx) => {
    const byText = tx.objectStore('prompts').index('byText');
    const seen = new Set<string>();
    let added = 0;
    for (const p of prompts) {
      if (seen.has(p.text) || (await byText.getKey(p.text)) !== undefined) continue;
      seen.add(p.text);
      await addRecord(tx, 'prompts', { text: p.text, source: p.source, split: p.split, createdAt: now });
      added++;
    }
    return added;
  });
}

/** Stores the shipped openings (public/prompts/story-openings.json) if they are not there yet. */
export function seedShippedPrompts(
  db: PlaygroundDB,
  openings: { train: readonly string[]; evaluation: readonly string[] },
): Promise<number> {
  const prompts: PromptInput[] = [
    ...openings.train.map((text) => ({ text, source: 'shipped' as const, split: 'train' as const })),
    ...openings.evaluation.map((text) => ({ text, source: 'shipped' as const, split: 'evaluation' as const })),
  ];
  return addPrompts(db, prompts);
}

/** The prompts of one split (or all), in the order they were added, optionally of one source. */
export async function listPrompts(
  db: PlaygroundDB,
  filter: { split?: PromptSplit; source?: PromptSource } = {},
): Promise<PromptRecord[]> {
  const all =
    filter.split === undefined
      ? await db.getAll('prompts')
      : await db.getAllFromIndex('prompts', 'bySplit', filter.split);
  return filter.source === undefined ? all : all.filter((p) => p.source === filter.source);
}

/** Deletes one prompt; labels that quote its text keep their copy. */
export function deletePrompt(db: PlaygroundDB, id: number): Promise<void> {
  return writeTransaction(db, ['prompts'], 'change', async (tx) => {
    if ((await tx.objectStore('prompts').getKey(id)) === undefined)
      throw new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'prompt', id } });
    await tx.objectStore('prompts').delete(id);
  });
}
