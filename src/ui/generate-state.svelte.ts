/**
 * The prompt box: prompt, sampling settings, the running generation and its result. Settings
 * and prompt are saved to IndexedDB a moment after each change, so a reload keeps them.
 */
import type { EngineClient } from '../workers/client';
import type { GenerationResult, Progress } from '../contract/protocol';
import { DEFAULT_SETTINGS, sanitizeSettings, type GenerationSettings } from '../contract/generation-settings';
import type { SettingsStore } from '../storage/settings';
import { toProblem, type Problem } from './problem';

/** Waiting this long after the last keystroke before saving keeps typing from writing each key. */
const SAVE_DELAY_MS = 300;

export class GenerateState {
  prompt = $state('');
  settings = $state<GenerationSettings>({ ...DEFAULT_SETTINGS });
  running = $state(false);
  progress = $state.raw<Progress | null>(null);
  result = $state.raw<GenerationResult | null>(null);
  problem = $state.raw<Problem | null>(null);
  /** Mean log-probability per token of the last continuation, or null before there is one. */
  readonly meanLogProb = $derived.by(() => {
    const lps = this.result?.logProbs ?? [];
    return lps.length === 0 ? null : lps.reduce((a, b) => a + b, 0) / lps.length;
  });
  /** Why settings will not survive a reload (storage unavailable), or null when they will. */
  storageProblem = $state<string | null>(null);
  private abort: AbortController | null = null;
  private stopAutosave: (() => void) | null = null;

  constructor(
    private readonly client: EngineClient,
    private readonly store: SettingsStore | null,
    storageProblem: string | null = null,
  ) {
    this.storageProblem = storageProblem;
  }

  /** Puts back the saved settings and prompt, then saves every later change. */
  async restore(): Promise<void> {
    if (this.store !== null) {
      try {
        const saved = await this.store.load();
        this.settings = saved.settings;
        if (saved.prompt !== null) this.prompt = saved.prompt;
      } catch (err) {
        this.storageProblem = toProblem(err).message;
      }
    }
    this.stopAutosave = $effect.root(() => {
      $effect(() => {
        const box = { settings: $state.snapshot(this.settings), prompt: this.prompt };
        const timer = setTimeout(() => void this.save(box), SAVE_DELAY_MS);
        return () => clearTimeout(timer);
      });
    });
  }

  async generate(): Promise<void> {
    if (this.running) return;
    // Number inputs can be emptied or typed out of range; what runs is the clamped value.
    const settings = sanitizeSettings($state.snapshot(this.settings));
    this.settings = settings;
    this.running = true;
    this.problem = null;
    this.result = null;
    this.abort = new AbortController();
    try {
      this.result = await this.client.generate(this.prompt, settings, {
        signal: this.abort.signal,
        onProgress: (progress) => (this.progress = progress),
      });
    } catch (err) {
      this.problem = toProblem(err);
    } finally {
      this.running = false;
      this.progress = null;
      this.abort = null;
    }
  }

  stop(): void {
    this.abort?.abort();
  }

  dispose(): void {
    this.stop();
    this.stopAutosave?.();
  }

  private async save(box: { settings: GenerationSettings; prompt: string }): Promise<void> {
    if (this.store === null) return;
    try {
      await this.store.save({ settings: sanitizeSettings(box.settings), prompt: box.prompt });
    } catch (err) {
      this.storageProblem = toProblem(err).message;
    }
  }
}
