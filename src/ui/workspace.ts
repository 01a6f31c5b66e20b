/**
 * What the page's state classes need of storage, as one interface: labels, checkpoints, runs,
 * prompts, usage and backups. `idbWorkspace` binds it to the IndexedDB functions of src/storage;
 * tests give the state classes an in-memory one. Nothing here decides anything: it only names the
 * calls, so the state classes never import idb or know the database's layout.
 */
import * as checkpoints from '../storage/checkpoints';
import * as labels from '../storage/labels';
import { withTrainingLock, type LockResult } from '../storage/lock';
import * as prompts from '../storage/prompts';
import * as quota from '../storage/quota';
import * as runs from '../storage/runs';
import * as runSamples from '../storage/run-samples';
import * as votes from '../storage/votes';
import {
  loadLabelerName,
  loadLesson,
  loadRunBase,
  saveLabelerName,
  saveLesson,
  saveRunBase,
  type RunBase,
  type SavedLesson,
} from '../storage/settings';
import { exportWorkspace, restoreWorkspace, type RestoreSummary } from '../storage/backup';
import { hfExportSource, saveHfModel, type HfExportSource } from '../storage/hf-models';
import type { HfModel } from '../contract/hf-model';
import {
  exportLabelFiles,
  importLabelFiles,
  previewLabelFiles,
  type ImportReport,
  type LabelFile,
} from '../storage/preference-log';
import type { PlaygroundDB } from '../storage/db';
import type { HeldOutPairView, SampleView } from '../contract/views';
import type { RecordQuery } from '../storage/query';
import type { StorageUsage } from '../storage/quota';
import type {
  CheckpointKind,
  CheckpointRecord,
  ComparisonRecord,
  DemonstrationRecord,
  New,
  PromptRecord,
  PromptSplit,
  RatingRecord,
  RunRecord,
  VoteRecord,
} from '../storage/records';
import type { CheckpointInput, CheckpointSummary, SaveOptions } from '../storage/checkpoints';

export type LabelKind = 'comparisons' | 'ratings' | 'demonstrations';

export interface LabelWorkspace {
  addComparison(comparison: New<ComparisonRecord>): Promise<number>;
  addRating(rating: New<RatingRecord>): Promise<number>;
  addDemonstration(demonstration: New<DemonstrationRecord>): Promise<number>;
  deleteLabel(kind: LabelKind, id: number): Promise<void>;
  listComparisons(query?: RecordQuery): Promise<ComparisonRecord[]>;
  listRatings(query?: RecordQuery): Promise<RatingRecord[]>;
  listDemonstrations(query?: RecordQuery): Promise<DemonstrationRecord[]>;
  /** The name the person labels under ("human" until they set one). */
  labelerName(): Promise<string>;
  /** Remembers the labeler name, already cleaned (storage/settings.ts cleanLabelerName). */
  setLabelerName(name: string): Promise<void>;
}

export interface LessonWorkspace {
  /** Where the guided first run stands; null on a first visit. */
  lesson(): Promise<SavedLesson | null>;
  setLesson(lesson: SavedLesson): Promise<void>;
}

export interface TrainingLock {
  /** Runs `work` unless another tab of the app is training; then resolves `{ acquired: false }` at once. */
  withTrainingLock<T>(work: () => Promise<T>): Promise<LockResult<T>>;
}

export interface CheckpointWorkspace {
  saveCheckpoint(kind: CheckpointKind, input: CheckpointInput, options?: SaveOptions): Promise<number>;
  currentCheckpoint(kind: CheckpointKind): Promise<CheckpointRecord | null>;
  getCheckpoint(id: number): Promise<CheckpointRecord | null>;
  listCheckpoints(kind?: CheckpointKind): Promise<CheckpointSummary[]>;
  setCurrentCheckpoint(id: number): Promise<void>;
  /** Names a checkpoint, which keeps it forever (keep-last-N never prunes named ones). */
  setCheckpointName(id: number, name: string): Promise<void>;
  /** The run's base model (shipped or a saved checkpoint) and its hash; null when none is recorded. */
  runBase(): Promise<RunBase | null>;
  setRunBase(run: RunBase | null): Promise<void>;
}

export interface RunWorkspace {
  createRun(run: { kind: string; name: string; config: unknown }): Promise<number>;
  appendRunPoints(runId: number, points: readonly { step: number; values: Record<string, number> }[]): Promise<void>;
  listRuns(): Promise<RunRecord[]>;
  /** Keeps the samples of one step of a run (the last RUN_SAMPLES_KEPT steps of each run stay). */
  putRunSamples(runId: number, step: number, samples: readonly SampleView[]): Promise<void>;
  /** The samples stored for one step of a run, or null. */
  getRunSamples(runId: number, step: number): Promise<SampleView[] | null>;
  /** Keeps the held-out pairs of one reward-model training (step: its label count). */
  putRunPairs(runId: number, step: number, pairs: readonly HeldOutPairView[]): Promise<void>;
  getRunPairs(runId: number, step: number): Promise<HeldOutPairView[] | null>;
}

export interface VoteWorkspace {
  /** Stores one blind A/B vote; resolves once it is on disk. */
  addVote(vote: New<VoteRecord>): Promise<number>;
  /** Every vote in the order given, or those of one round. */
  listVotes(round?: number): Promise<VoteRecord[]>;
}

export interface PromptWorkspace {
  seedShippedPrompts(openings: { train: readonly string[]; evaluation: readonly string[] }): Promise<number>;
  listPrompts(split: PromptSplit): Promise<PromptRecord[]>;
  addUserPrompt(text: string, split: PromptSplit): Promise<number>;
}

export interface ExchangeWorkspace {
  /** Every comparison and rating as TRL JSONL files (preferences, ties, ratings). */
  exportLabels(): Promise<LabelFile[]>;
  /** What importing the files would add, and which labels are already stored or conflict; writes nothing. */
  previewLabels(files: readonly LabelFile[]): Promise<ImportReport>;
  /** Adds the labels of TRL JSONL files, all or none, skipping those already stored; says which. */
  importLabels(files: readonly LabelFile[]): Promise<ImportReport>;
  exportBackup(): Promise<Uint8Array>;
  restoreBackup(bytes: Uint8Array, source: string): Promise<RestoreSummary>;
  /** Stores a Hugging Face GPT-2 model (converted by the worker) as a named policy checkpoint; returns its id. */
  saveHfModel(model: HfModel, name: string): Promise<number>;
  /** A stored policy checkpoint's bytes and tokenizer, for the worker to convert into a GPT-2 directory. */
  hfExportSource(checkpointId: number): Promise<HfExportSource>;
}

export interface Workspace
  extends
    LabelWorkspace,
    CheckpointWorkspace,
    RunWorkspace,
    VoteWorkspace,
    PromptWorkspace,
    ExchangeWorkspace,
    LessonWorkspace,
    TrainingLock {
  usage(): Promise<StorageUsage | null>;
  requestPersistence(): Promise<boolean>;
}

/** The workspace kept in the app's IndexedDB database. */
export function idbWorkspace(db: PlaygroundDB): Workspace {
  return {
    addComparison: (c) => labels.addComparison(db, c),
    addRating: (r) => labels.addRating(db, r),
    addDemonstration: (d) => labels.addDemonstration(db, d),
    deleteLabel: (kind, id) => labels.deleteLabel(db, kind, id),
    listComparisons: (q) => labels.listComparisons(db, q),
    listRatings: (q) => labels.listRatings(db, q),
    listDemonstrations: (q) => labels.listDemonstrations(db, q),
    labelerName: () => loadLabelerName(db),
    setLabelerName: (name) => saveLabelerName(db, name),
    lesson: () => loadLesson(db),
    setLesson: (lesson) => saveLesson(db, lesson),
    saveCheckpoint: (kind, input, options) => checkpoints.saveCheckpoint(db, kind, input, options),
    currentCheckpoint: (kind) => checkpoints.currentCheckpoint(db, kind),
    getCheckpoint: (id) => checkpoints.getCheckpoint(db, id),
    listCheckpoints: (kind) => checkpoints.listCheckpoints(db, kind),
    setCurrentCheckpoint: (id) => checkpoints.setCurrentCheckpoint(db, id),
    setCheckpointName: (id, name) => checkpoints.setCheckpointName(db, id, name),
    runBase: () => loadRunBase(db),
    setRunBase: (run) => saveRunBase(db, run),
    createRun: (run) => runs.createRun(db, run),
    appendRunPoints: (id, points) => runs.appendRunPoints(db, id, points),
    putRunSamples: (id, step, samples) => runSamples.putRunSamples(db, id, step, samples),
    getRunSamples: (id, step) => runSamples.getRunSamples(db, id, step),
    putRunPairs: (id, step, pairs) => runSamples.putRunPairs(db, id, step, pairs),
    getRunPairs: (id, step) => runSamples.getRunPairs(db, id, step),
    listRuns: () => runs.listRuns(db),
    addVote: (vote) => votes.addVote(db, vote),
    listVotes: (round) => votes.listVotes(db, round),
    seedShippedPrompts: (openings) => prompts.seedShippedPrompts(db, openings),
    listPrompts: (split) => prompts.listPrompts(db, { split }),
    addUserPrompt: (text, split) => prompts.addPrompts(db, [{ text, source: 'user', split }]),
    withTrainingLock: (work) => withTrainingLock(db, work),
    usage: () => quota.usage(),
    requestPersistence: () => quota.requestPersistence(),
    exportLabels: () => exportLabelFiles(db),
    previewLabels: (files) => previewLabelFiles(db, files),
    importLabels: (files) => importLabelFiles(db, files),
    exportBackup: () => exportWorkspace(db),
    restoreBackup: (bytes, source) => restoreWorkspace(db, bytes, source),
    // Kept as the current checkpoint only once the person chooses to use it (Model stage).
    saveHfModel: (model, name) => saveHfModel(db, model, { name, makeCurrent: false }),
    hfExportSource: (id) => hfExportSource(db, id),
  };
}
