/**
 * Which model tuning starts from: the shipped one, or a saved checkpoint chosen with "use as base"
 * (an imported Hugging Face model, or one pretrained here). The choice is kept in storage, so a
 * reload loads the same base again before the session starts, and goes back to the shipped model
 * only when the person picks a shipped model.
 */
import type { CheckpointWorkspace } from './workspace';

export interface BaseDeps {
  workspace: CheckpointWorkspace;
  /** Makes a saved model the loaded model; the session then starts again on it. Resolves with success. */
  useModel?: (name: string, bytes: ArrayBuffer, tokenizer: string | null) => Promise<boolean>;
  /** Loads the manifest's default model again; the session then starts again on it. Resolves with success. */
  useShipped?: () => Promise<boolean>;
  /** Shows a failure (storage, mostly) without stopping what called. */
  report: (err: unknown) => void;
}

export class BaseState {
  /** The saved checkpoint that is the base model, or null for the shipped one. */
  id = $state<number | null>(null);
  /** Whether the stored choice was applied since the page loaded (or a backup was restored). */
  private checked = false;

  constructor(private readonly deps: BaseDeps) {}

  /**
   * Once per page load: when a saved checkpoint was chosen as the base, loads it again. Resolves
   * true when it did, in which case the session was already started again on it.
   */
  async switchToSaved(): Promise<boolean> {
    if (this.checked || this.deps.useModel === undefined) return false;
    this.checked = true;
    const ws = this.deps.workspace;
    const previous = this.id;
    try {
      this.id = await ws.baseModel();
      const record = this.id === null ? null : await ws.getCheckpoint(this.id);
      if (this.id !== null && record === null) await this.forget();
      if (record !== null) return await this.deps.useModel(record.name, record.bytes, record.tokenizer);
      // A saved base was loaded and storage no longer names one (a restored backup without a base
      // model): back to the shipped model, as a reload would.
      return previous !== null && this.deps.useShipped !== undefined && (await this.deps.useShipped());
    } catch (err) {
      this.deps.report(err);
      return false;
    }
  }

  /** Applies the stored choice again at the next start (a restored backup may hold another). */
  recheck(): void {
    this.checked = false;
  }

  /**
   * Makes checkpoint `id` the base model and the current policy (the session starting on it puts
   * the same weights into the policy), and remembers it. Resolves with whether it was used.
   */
  async use(id: number): Promise<boolean> {
    const ws = this.deps.workspace;
    try {
      const record = await ws.getCheckpoint(id);
      if (record === null || this.deps.useModel === undefined) return false;
      await ws.setCurrentCheckpoint(id);
      if (!(await this.deps.useModel(record.name, record.bytes, record.tokenizer))) return false;
      await this.remember(id, record.named ? null : record.name);
      return true;
    } catch (err) {
      this.deps.report(err);
      return false;
    }
  }

  /**
   * Stores `id` as the base model. An unnamed checkpoint is named (`name`) first, which keeps it
   * from being pruned by keep-last-N.
   */
  async remember(id: number, name: string | null = null): Promise<void> {
    const ws = this.deps.workspace;
    try {
      if (name !== null) await ws.setCheckpointName(id, name);
      await ws.setBaseModel(id);
      this.id = id;
    } catch (err) {
      this.deps.report(err);
    }
  }

  /** Goes back to the shipped model as the base, after a reload too (a shipped model was chosen). */
  async forget(): Promise<void> {
    this.id = null;
    try {
      await this.deps.workspace.setBaseModel(null);
    } catch (err) {
      this.deps.report(err);
    }
  }
}
