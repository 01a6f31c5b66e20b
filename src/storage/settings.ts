/**
 * Saving the prompt box between visits: the generation settings and the last prompt, in the
 * `settings` store. What is read back is checked, because an older version may have saved it.
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
    const [settings, prompt] = await Promise.all([this.db.get('settings', 'generation'), this.db.get('settings', 'prompt')]);
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
