/**
 * The Data stage: every label, searchable and deletable; export and import (TRL JSONL, the whole
 * workspace, a Hugging Face GPT-2 directory); storage used and quota; and agreement between
 * labelers on the pairs more than one of them labelled. Files go out as `Download`s the component
 * saves, and come in as bytes or text the component has read; no DOM here.
 */
import type { ImportNotice } from '../storage/label-matches';
import type { ImportReport, LabelFile } from '../storage/preference-log';
import type { ComparisonRecord, DemonstrationRecord, RatingRecord } from '../storage/records';
import type { StorageUsage } from '../storage/quota';
import { agreement, secondOpinionAgreement, type Agreement } from './agreement';
import type { EngineClient } from '../workers/client';
import { toProblem, type Problem } from './problem';
import type { ExchangeWorkspace, LabelKind, LabelWorkspace } from './workspace';

export type LabelRow =
  | { kind: 'comparisons'; record: ComparisonRecord }
  | { kind: 'ratings'; record: RatingRecord }
  | { kind: 'demonstrations'; record: DemonstrationRecord };

/** The UTC day of `time` (ms since the epoch) as YYYY-MM-DD, for file names. */
const isoDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

export interface Download {
  name: string;
  type: string;
  bytes: Uint8Array | string;
}

/** What the last import or export did, for the status line. */
export type DataNews =
  | { kind: 'deleted'; what: LabelKind }
  | { kind: 'importedLabels'; comparisons: number; ratings: number; notices: ImportNotice[] }
  | { kind: 'restored'; records: number }
  | { kind: 'importedModel'; name: string }
  | { kind: 'exported'; name: string }
  | { kind: 'exportedModel' };

export interface DataDeps {
  workspace: LabelWorkspace & ExchangeWorkspace & { usage(): Promise<StorageUsage | null> };
  /** Converts Hugging Face GPT-2 directories (in the worker, where the model code lives). */
  converter: Pick<EngineClient, 'importHf' | 'exportHf'>;
  /** Called after labels were deleted or imported, or the workspace restored. */
  changed: () => Promise<void>;
  /** Called after a whole workspace was restored: its policy and reward model replace the ones in use. */
  restored?: () => Promise<void>;
}

/** Rows shown at once; the search narrows them. */
export const ROW_LIMIT = 200;

export class DataState {
  kind = $state<LabelKind>('comparisons');
  search = $state('');
  rows = $state.raw<LabelRow[]>([]);
  usage = $state.raw<StorageUsage | null>(null);
  agreements = $state.raw<Agreement[]>([]);
  /** First answers against second opinions (pairs asked again), per who gave each. */
  secondOpinions = $state.raw<Agreement[]>([]);
  busy = $state(false);
  problem = $state.raw<Problem | null>(null);
  news = $state.raw<DataNews | null>(null);
  /** An import waiting for the person's word: some of its labels are already stored and would be skipped. */
  pendingImport = $state.raw<{ files: readonly LabelFile[]; report: ImportReport } | null>(null);

  constructor(private readonly deps: DataDeps) {}

  /** Reloads the rows for the current kind and search, the agreement table and the usage. */
  async refresh(): Promise<void> {
    const ws = this.deps.workspace;
    const query = { contains: this.search, limit: ROW_LIMIT };
    try {
      if (this.kind === 'comparisons')
        this.rows = (await ws.listComparisons(query)).map((record) => ({ kind: 'comparisons', record }));
      else if (this.kind === 'ratings')
        this.rows = (await ws.listRatings(query)).map((record) => ({ kind: 'ratings', record }));
      else this.rows = (await ws.listDemonstrations(query)).map((record) => ({ kind: 'demonstrations', record }));
      const comparisons = await ws.listComparisons();
      this.agreements = agreement(comparisons);
      this.secondOpinions = secondOpinionAgreement(comparisons);
      this.usage = await ws.usage();
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  async setKind(kind: LabelKind): Promise<void> {
    this.kind = kind;
    await this.refresh();
  }

  async remove(row: LabelRow): Promise<void> {
    await this.act(async () => {
      await this.deps.workspace.deleteLabel(row.kind, row.record.id);
      this.news = { kind: 'deleted', what: row.kind };
      await this.deps.changed();
    });
  }

  /** The labels as TRL JSONL files: strict preferences, ties and star ratings, each in its own. */
  async exportLabels(): Promise<Download[]> {
    const files = await this.produce(() => this.deps.workspace.exportLabels());
    if (files === null) return [];
    this.news = { kind: 'exported', name: files.map((f) => f.name).join(', ') };
    return files.map((f) => ({ name: f.name, type: 'application/jsonl', bytes: f.text }));
  }

  /**
   * Imports label files, all or none. When some labels are already stored from the same labeler,
   * nothing is written yet: the import waits (pendingImport) until the person has read which
   * would be skipped and confirms. The news lists what was skipped and the conflicts kept.
   */
  async importLabels(files: readonly LabelFile[]): Promise<void> {
    this.pendingImport = null;
    const report = await this.produce(() => this.deps.workspace.previewLabels(files));
    if (report === null) return;
    if (report.notices.some((n) => n.code === 'DUPLICATE_LABEL')) this.pendingImport = { files, report };
    else await this.commitImport(files);
  }

  /** Imports the waiting files, skipping the labels already stored. */
  async confirmImport(): Promise<void> {
    const pending = this.pendingImport;
    this.pendingImport = null;
    if (pending !== null) await this.commitImport(pending.files);
  }

  cancelImport(): void {
    this.pendingImport = null;
  }

  private async commitImport(files: readonly LabelFile[]): Promise<void> {
    await this.act(async () => {
      const report = await this.deps.workspace.importLabels(files);
      this.news = { kind: 'importedLabels', ...report };
      await this.deps.changed();
    });
  }

  /** Labels, checkpoints, runs and settings as one backup file. */
  async exportBackup(now = Date.now()): Promise<Download | null> {
    const stamp = isoDay(now);
    return this.produce(async () => ({
      name: `rlhf-playground-${stamp}.safetensors`,
      type: 'application/octet-stream',
      bytes: await this.deps.workspace.exportBackup(),
    }));
  }

  async restoreBackup(bytes: Uint8Array, source: string): Promise<void> {
    await this.act(async () => {
      const summary = await this.deps.workspace.restoreBackup(bytes, source);
      this.news = { kind: 'restored', records: Object.values(summary).reduce((a, b) => a + b, 0) };
      await this.deps.changed();
      await this.deps.restored?.();
    });
  }

  /**
   * A stored policy checkpoint as the files of a Hugging Face GPT-2 directory; `loadedTokenizer`
   * (the loaded model's tokenizer.json text) is written for a checkpoint that carries no tokenizer.
   */
  async exportHfModel(checkpointId: number, loadedTokenizer: string): Promise<Download[]> {
    const files = await this.produce(async () => {
      const source = await this.deps.workspace.hfExportSource(checkpointId);
      const tokenizer = source.tokenizer ?? loadedTokenizer;
      return this.deps.converter.exportHf(source.bytes, tokenizer, `checkpoint "${source.name}"`);
    });
    if (files === null) return [];
    this.news = { kind: 'exportedModel' };
    return [...files].map(([name, bytes]) => ({
      name,
      type: name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      bytes,
    }));
  }

  async importHfModel(files: ReadonlyMap<string, Uint8Array>, name: string): Promise<number | null> {
    const id = await this.produce(async () => {
      const model = await this.deps.converter.importHf(files, name);
      return this.deps.workspace.saveHfModel(model, name);
    });
    if (id !== null) this.news = { kind: 'importedModel', name };
    return id;
  }

  private async act(work: () => Promise<void>): Promise<void> {
    await this.produce(work);
    await this.refresh();
  }

  /** Runs one import or export; a failure is shown in plain words and nothing half-done is kept. */
  private async produce<T>(work: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.problem = null;
    try {
      return await work();
    } catch (err) {
      this.problem = toProblem(err);
      return null;
    } finally {
      this.busy = false;
    }
  }
}
