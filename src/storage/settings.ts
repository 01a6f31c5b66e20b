/**
 * Small values kept between visits in the `settings` store: the prompt box (generation settings
 * and the last prompt), which saved checkpoint is the base model, and the name the person labels
 * under. What is read back is checked, because an older version may have saved it.
 */
import { DEFAULT_SETTINGS, sanitizeSettings, type GenerationSettings } from '../workers/settings';
import type { PlaygroundDB } from './db';

export interface SavedPromptBox {
  settings: GenerationSettings;
  /** The last prompt, or null on a first visit. */
  prompt: string | null;
}

export class SettingsStore {
  constructor(private readonly db: PlaygroundDB) {}

  /** The saved settings and prompt; defaults for anything missing, clamped where out of range. */
  async load(): Promise<SavedPromptBox> {
    const [settings, prompt] = await Promise.all([
      this.db.get('settings', 'generation'),
      this.db.get('settings', 'prompt'),
    ]);
    return {
      settings: settings === undefined ? { ...DEFAULT_SETTINGS } : sanitizeSettings(settings),
      prompt: typeof prompt === 'string' ? prompt : null,
    };
  }

  /** Saves both in one transaction, so a reload never sees one without the other. */
  async save(box: SavedPromptBox): Promise<void> {
    const tx = this.db.transaction('settings', 'readwrite');
    await Promise.all([
      tx.store.put({ ...box.settings }, 'generation'),
      box.prompt === null ? tx.store.delete('prompt') : tx.store.put(box.prompt, 'prompt'),
      tx.done,
    ]);
  }
}

/** The checkpoint id chosen as the base model, or null while the shipped model is the base. */
export async function loadBaseModel(db: PlaygroundDB): Promise<number | null> {
  const value: unknown = await db.get('settings', 'baseModel');
  if (typeof value !== 'object' || value === null) return null;
  const { checkpointId }: { checkpointId?: unknown } = value;
  return typeof checkpointId === 'number' && Number.isSafeInteger(checkpointId) && checkpointId > 0
    ? checkpointId
    : null;
}

/** Remembers the base model's checkpoint id; null goes back to the shipped model. */
export async function saveBaseModel(db: PlaygroundDB, checkpointId: number | null): Promise<void> {
  if (checkpointId === null) await db.delete('settings', 'baseModel');
  else await db.put('settings', { checkpointId }, 'baseModel');
}

/** The labeler name of a person who has not set one. */
export const DEFAULT_LABELER_NAME = 'human';
/** As long as an imported file's labeler field may be. */
export const MAX_LABELER_NAME_CHARS = 200;

/** A labeler name as stored: trimmed; null when empty or too long. */
export function cleanLabelerName(name: string): string | null {
  const trimmed = name.trim();
  return trimmed === '' || trimmed.length > MAX_LABELER_NAME_CHARS ? null : trimmed;
}

/** The name the person labels under; "human" until they set one (or when the saved one is unusable). */
export async function loadLabelerName(db: PlaygroundDB): Promise<string> {
  const value: unknown = await db.get('settings', 'labeler');
  return (typeof value === 'string' ? cleanLabelerName(value) : null) ?? DEFAULT_LABELER_NAME;
}

/** Remembers the labeler name (already cleaned); the default is stored as no setting. */
export async function saveLabelerName(db: PlaygroundDB, name: string): Promise<void> {
  if (name === DEFAULT_LABELER_NAME) await db.delete('settings', 'labeler');
  else await db.put('settings', name, 'labeler');
}
