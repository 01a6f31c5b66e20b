/**
 * Small values kept between visits in the `settings` store: the prompt box (generation settings
 * and the last prompt), the run's base model, the name the person labels under, and where the
 * guided first run stands. What is read
 * back is checked, because an older version may have saved it.
 */
import { DEFAULT_SETTINGS, sanitizeSettings, type GenerationSettings } from '../contract/generation-settings';
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

/** Where a run's base model comes from: a model of the shipped manifest, or a saved checkpoint. */
export type BaseSource = { kind: 'shipped'; modelId: string } | { kind: 'checkpoint'; checkpointId: number };

/**
 * The run: the base model it started from, and when it started. The base's frozen copy is the KL
 * anchor; a reload rebuilds it from `source` and checks it against `weightsHash`. A new run starts
 * only on "Reset to reference", another base, or a restored backup.
 */
export interface RunBase {
  source: BaseSource;
  /** SHA-256 of the base weights; null for a base chosen before hashes were kept (taken on the next load). */
  weightsHash: string | null;
  /** When the run started (ms since 1970): policies and charts saved before belong to an earlier run. */
  startedAt: number;
}

function isPositiveId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A stored run base, checked; null when absent or unreadable. Reads the older `{ checkpointId }` form too. */
export function parseRunBase(value: unknown): RunBase | null {
  if (typeof value !== 'object' || value === null) return null;
  const fields: Record<string, unknown> = { ...value };
  const hash = typeof fields.weightsHash === 'string' && fields.weightsHash !== '' ? fields.weightsHash : null;
  const startedAt = typeof fields.startedAt === 'number' && Number.isFinite(fields.startedAt) ? fields.startedAt : 0;
  // The older form: only the id of a saved checkpoint chosen with "use as base".
  if (fields.source === undefined)
    return isPositiveId(fields.checkpointId)
      ? { source: { kind: 'checkpoint', checkpointId: fields.checkpointId }, weightsHash: hash, startedAt }
      : null;
  if (typeof fields.source !== 'object' || fields.source === null) return null;
  const source: Record<string, unknown> = { ...fields.source };
  if (source.kind === 'checkpoint' && isPositiveId(source.checkpointId))
    return { source: { kind: 'checkpoint', checkpointId: source.checkpointId }, weightsHash: hash, startedAt };
  if (source.kind === 'shipped' && typeof source.modelId === 'string' && source.modelId !== '')
    return { source: { kind: 'shipped', modelId: source.modelId }, weightsHash: hash, startedAt };
  return null;
}

/** The run's base, or null when none was recorded (a first visit, or storage was cleared). */
export async function loadRunBase(db: PlaygroundDB): Promise<RunBase | null> {
  return parseRunBase(await db.get('settings', 'baseModel'));
}

/** Records the run's base; null forgets it. */
export async function saveRunBase(db: PlaygroundDB, run: RunBase | null): Promise<void> {
  if (run === null) await db.delete('settings', 'baseModel');
  else
    await db.put(
      'settings',
      { source: { ...run.source }, weightsHash: run.weightsHash, startedAt: run.startedAt },
      'baseModel',
    );
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

/** Where the guided first run stands: under way, skipped, finished, or turned off in the settings. */
export type LessonStatus = 'active' | 'skipped' | 'done' | 'off';
const LESSON_STATUSES: readonly LessonStatus[] = ['active', 'skipped', 'done', 'off'];

export interface SavedLesson {
  /** The step shown (its id), so a reload resumes it. */
  step: string;
  status: LessonStatus;
  /** Counts taken when the step began (trainings, iterations), so "done since" survives a reload. */
  baseline: Record<string, number>;
}

/** A stored lesson state, checked; null when absent or unreadable (the guide then starts afresh). */
export function parseSavedLesson(value: unknown): SavedLesson | null {
  if (typeof value !== 'object' || value === null) return null;
  const fields: Record<string, unknown> = { ...value };
  const status = LESSON_STATUSES.find((s) => s === fields.status);
  if (status === undefined || typeof fields.step !== 'string') return null;
  const raw: Record<string, unknown> =
    typeof fields.baseline === 'object' && fields.baseline !== null ? { ...fields.baseline } : {};
  const baseline: Record<string, number> = {};
  for (const [key, v] of Object.entries(raw)) if (typeof v === 'number' && Number.isFinite(v)) baseline[key] = v;
  return { step: fields.step, status, baseline };
}

/** Where the guide stands; null on a first visit. */
export async function loadLesson(db: PlaygroundDB): Promise<SavedLesson | null> {
  return parseSavedLesson(await db.get('settings', 'lesson'));
}

export async function saveLesson(db: PlaygroundDB, lesson: SavedLesson): Promise<void> {
  await db.put('settings', { step: lesson.step, status: lesson.status, baseline: { ...lesson.baseline } }, 'lesson');
}

/** The interface language chosen in this browser as saved (the page checks it), or null when none was chosen. */
export async function loadLocale(db: PlaygroundDB): Promise<string | null> {
  const value: unknown = await db.get('settings', 'locale');
  return typeof value === 'string' ? value : null;
}

/** Remembers the interface language chosen (a tag such as `zh-CN`). */
export async function saveLocale(db: PlaygroundDB, locale: string): Promise<void> {
  await db.put('settings', locale, 'locale');
}
