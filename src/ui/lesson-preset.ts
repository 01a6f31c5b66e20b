/**
 * A lesson's preset on the page's setup: what it sets where the link did not say, and how to take
 * it back when the guide is skipped or turned off, so the page returns to what it was before the
 * guide (a setting the student changed since is theirs and stays).
 */
import { TUNE_KEYS, type TuneKey, type TuneSettings } from '../contract/tune-settings';
import type { LessonPreset } from './lesson-steps';
import { linkSetsHide, linkSetsTune, type Hideable } from './page-setup';

/** What a preset changed: each tuning setting's value before it, and the controls it hid. */
export interface PresetTrace {
  tune: Partial<TuneSettings>;
  /** The values the preset set, to tell them from the student's own changes since. */
  set: Partial<TuneSettings>;
  hidden: Hideable[];
}

export const NO_TRACE: Readonly<PresetTrace> = Object.freeze({ tune: {}, set: {}, hidden: [] });

function put<K extends TuneKey>(into: Partial<TuneSettings>, key: K, value: TuneSettings[K]): void {
  into[key] = value;
}

/** The setup with `preset` applied where the link in `search` does not set a value, and its trace. */
export function applyPreset(
  tune: TuneSettings,
  hide: readonly Hideable[],
  preset: LessonPreset,
  search: string,
): { tune: TuneSettings; hide: Hideable[]; trace: PresetTrace } {
  const next = { ...tune };
  const trace: PresetTrace = { tune: {}, set: {}, hidden: [] };
  for (const key of TUNE_KEYS) {
    const value = preset.tune[key];
    if (value === undefined || linkSetsTune(search, key) || value === tune[key]) continue;
    put(trace.tune, key, tune[key]);
    put(trace.set, key, value);
    put(next, key, value);
  }
  const hidden = linkSetsHide(search) ? [] : preset.hide.filter((h) => !hide.includes(h));
  trace.hidden = hidden;
  return { tune: next, hide: [...hide, ...hidden], trace };
}

/** The setup with a preset taken back: each value it set that still holds goes back to the one before. */
export function releasePreset(
  tune: TuneSettings,
  hide: readonly Hideable[],
  trace: PresetTrace,
): { tune: TuneSettings; hide: Hideable[] } {
  const next = { ...tune };
  for (const key of TUNE_KEYS) {
    const before = trace.tune[key];
    if (before !== undefined && next[key] === trace.set[key]) put(next, key, before);
  }
  return { tune: next, hide: hide.filter((h) => !trace.hidden.includes(h)) };
}
