/**
 * The run's base model, the one owner of it on the page: a shipped model, or a saved checkpoint
 * chosen with "use as base" (an imported Hugging Face model, or one pretrained here). The worker
 * builds the session's frozen reference (the KL anchor) from the loaded model, so the run is kept
 * by making sure the loaded model *is* the run's base: the choice and a hash of its weights are
 * kept in storage (and the page address), a reload loads that base again before the session
 * starts, and a base that cannot be found again (deleted, storage cleared, a shipped model
 * changed) is said so, never silently replaced: the page then offers to start a new run.
 *
 * A new run starts only when the person chooses another base, presses "Reset to reference", or
 * restores a backup (which brings its own run).
 */
import type { BaseSource, RunBase } from '../storage/settings';
import { SAVED_MODEL_PREFIX, type SessionInfo } from '../contract/protocol';
import type { CheckpointWorkspace } from './workspace';

export interface BaseDeps {
  workspace: CheckpointWorkspace;
  /** Makes a saved model the loaded model; the session then starts again on it. Resolves with success. */
  useModel?: (name: string, bytes: ArrayBuffer, tokenizer: string | null) => Promise<boolean>;
  /** Loads a shipped model (the manifest's default without an id); the session then starts again on it. */
  useShipped?: (modelId?: string) => Promise<boolean>;
  /** The base the page address names, used when storage records no run (a shared link, cleared storage). */
  addressBase?: BaseSource | null;
  /** Shows a failure (storage, mostly) without stopping what called. */
  report: (err: unknown) => void;
}

/** Why the run's base cannot be rebuilt: its checkpoint is gone, or the weights found differ. */
export type BaseGone = { reason: 'deleted' | 'changed' | 'unavailable'; source: BaseSource };

/** What a session start found: the run's base, a run that starts now, or a base that is gone. */
export type BaseVerdict = 'same' | 'new' | 'gone';

type Loaded = SessionInfo['base'];

export class BaseState {
  /** The run: its base and the hash of the base weights, as stored. */
  run = $state.raw<RunBase | null>(null);
  /** Set when the run's base could not be loaded again: nothing is restored and tuning waits. */
  gone = $state.raw<BaseGone | null>(null);
  /** The saved checkpoint that is the base model, or null for a shipped one. */
  readonly id = $derived(this.run?.source.kind === 'checkpoint' ? this.run.source.checkpointId : null);
  /** Whether the stored run was applied since the page loaded (or a backup was restored). */
  private checked = false;
  /** A run started on this page whose first session has not started yet. */
  private starting = false;
  /** Whether the address's base applies (at page load, not after a backup was restored). */
  private useAddress = true;

  constructor(private readonly deps: BaseDeps) {}

  /**
   * Once per page load, before the session's checks: loads the stored run's base when the loaded
   * model is not it. Resolves true when it switched models, in which case the session was already
   * started again on the base. A base checkpoint that is no longer stored makes the run `gone`.
   */
  async applyStored(loaded: Loaded): Promise<boolean> {
    if (this.checked) return false;
    this.checked = true;
    try {
      const stored = await this.deps.workspace.runBase();
      const address = this.useAddress ? (this.deps.addressBase ?? null) : null;
      this.run = stored ?? (address === null ? null : { source: address, weightsHash: null, startedAt: 0 });
      // No run recorded while a saved model is loaded (a restored backup without one): back to
      // the shipped default, as a reload would, and the run starts there.
      if (this.run === null && loaded.modelId.startsWith(SAVED_MODEL_PREFIX) && this.deps.useShipped !== undefined)
        return await this.deps.useShipped();
      if (this.run === null || this.run.weightsHash === loaded.weightsHash) return false;
      const { source } = this.run;
      if (source.kind === 'shipped') {
        if (source.modelId === loaded.modelId) return false;
        if (this.deps.useShipped === undefined) return false;
        const switched = await this.deps.useShipped(source.modelId);
        if (!switched) this.gone = { reason: 'unavailable', source };
        return switched;
      }
      const record = await this.deps.workspace.getCheckpoint(source.checkpointId);
      if (record === null) {
        this.gone = { reason: 'deleted', source };
        return false;
      }
      return (
        this.deps.useModel !== undefined && (await this.deps.useModel(record.name, record.bytes, record.tokenizer))
      );
    } catch (err) {
      this.deps.report(err);
      return false;
    }
  }

  /**
   * After each session start: is the loaded model the run's base? A run with no hash yet (just
   * chosen, or recorded before hashes were kept) takes the loaded model's; a first visit records
   * the loaded model as the run's base. Another hash means the base is gone: nothing re-anchors.
   */
  async check(loaded: Loaded): Promise<BaseVerdict> {
    if (this.gone !== null) return 'gone';
    const run = this.run;
    const starting = this.starting;
    this.starting = false;
    if (run !== null && run.weightsHash === loaded.weightsHash) return starting ? 'new' : 'same';
    if (run !== null && run.weightsHash !== null) {
      this.gone = { reason: 'changed', source: run.source };
      return 'gone';
    }
    const source: BaseSource = run?.source ?? { kind: 'shipped', modelId: loaded.modelId };
    await this.store({ source, weightsHash: loaded.weightsHash, startedAt: run?.startedAt ?? Date.now() });
    return starting ? 'new' : 'same';
  }

  /** Applies the stored run again at the next start (a restored backup brings its own). */
  recheck(): void {
    this.checked = false;
    this.gone = null;
    this.useAddress = false;
  }

  /**
   * A new run on shipped model `modelId`: loads it (the session then starts again on it). On
   * failure the run stays what it was. Resolves with whether it was loaded.
   */
  async chooseShipped(modelId: string): Promise<boolean> {
    const useShipped = this.deps.useShipped;
    if (useShipped === undefined) return false;
    try {
      return await this.startRun({ kind: 'shipped', modelId }, null, () => useShipped(modelId));
    } catch (err) {
      this.deps.report(err);
      return false;
    }
  }

  /**
   * A new run on saved checkpoint `id`, which becomes the current policy too (the session that
   * starts on it restores the same weights into the policy). An unnamed checkpoint is named, so
   * keep-last-N never prunes a base. Resolves with whether it was used.
   */
  async use(id: number): Promise<boolean> {
    const ws = this.deps.workspace;
    const useModel = this.deps.useModel;
    try {
      const record = await ws.getCheckpoint(id);
      if (record === null || useModel === undefined) return false;
      await ws.setCurrentCheckpoint(id);
      if (!record.named) await ws.setCheckpointName(id, record.name);
      return await this.startRun({ kind: 'checkpoint', checkpointId: id }, null, () =>
        useModel(record.name, record.bytes, record.tokenizer),
      );
    } catch (err) {
      this.deps.report(err);
      return false;
    }
  }

  /**
   * The loaded model was trained further in the tab: it is a new run's base, whose weights hash
   * `weightsHash` (null when training stopped early: the next session start takes it). Until it
   * is saved (`saved`), the run names the base it was trained from.
   */
  async pretrained(weightsHash: string | null): Promise<void> {
    const source = this.run?.source ?? { kind: 'shipped', modelId: '' };
    await this.store({ source, weightsHash, startedAt: Date.now() });
    this.gone = null;
    this.starting = true;
  }

  /** The run's base was saved as checkpoint `id` (a model pretrained here): a reload loads it from there. */
  async saved(id: number): Promise<void> {
    const run = this.run;
    if (run === null) return;
    try {
      await this.deps.workspace.setCheckpointName(id, (await this.deps.workspace.getCheckpoint(id))?.name ?? 'base');
      await this.store({ ...run, source: { kind: 'checkpoint', checkpointId: id } });
    } catch (err) {
      this.deps.report(err);
    }
  }

  /** "Reset to reference": the same base, a new run from now on. */
  async restart(): Promise<void> {
    const run = this.run;
    if (run !== null) await this.store({ ...run, startedAt: Date.now() });
  }

  /**
   * The offer made when the base is gone: a new run whose base is the current policy (the last
   * policy checkpoint, when there is one that is not the missing base), or else the loaded model.
   * Resolves 'switched' when the checkpoint was loaded (the session started again on it),
   * 'recorded' when the loaded model is the new base (the caller starts the session), or 'failed'.
   */
  async startFromCurrent(loaded: Loaded): Promise<'switched' | 'recorded' | 'failed'> {
    const gone = this.gone;
    try {
      const current = await this.deps.workspace.currentCheckpoint('policy');
      const missing = gone?.source.kind === 'checkpoint' ? gone.source.checkpointId : null;
      this.gone = null;
      if (current !== null && current.id !== missing && (await this.use(current.id))) return 'switched';
      const source: BaseSource = { kind: 'shipped', modelId: loaded.modelId };
      await this.store({ source, weightsHash: loaded.weightsHash, startedAt: Date.now() });
      this.starting = true;
      return 'recorded';
    } catch (err) {
      this.gone = gone;
      this.deps.report(err);
      return 'failed';
    }
  }

  /** Records `source` as a new run, then runs `load`; on failure the run goes back to what it was. */
  private async startRun<T>(
    source: BaseSource,
    weightsHash: string | null,
    load: () => Promise<T | false>,
  ): Promise<T | false> {
    const previous = { run: this.run, gone: this.gone };
    // A run chosen on this page replaces whatever run storage held when the page loaded.
    this.checked = true;
    try {
      await this.store({ source, weightsHash, startedAt: Date.now() });
      this.gone = null;
      this.starting = true;
      const result = await load();
      if (result === false) await this.undo(previous);
      return result;
    } catch (err) {
      await this.undo(previous);
      throw err;
    }
  }

  private async undo(previous: { run: RunBase | null; gone: BaseGone | null }): Promise<void> {
    this.starting = false;
    this.gone = previous.gone;
    await this.store(previous.run);
  }

  private async store(run: RunBase | null): Promise<void> {
    this.run = run;
    await this.deps.workspace.setRunBase(run);
  }
}
