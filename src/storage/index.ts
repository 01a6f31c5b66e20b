/**
 * Storage's public surface for the page and the worker: open the database, then call these with
 * it. Every write is one transaction that lands whole or not at all; failures are StorageError.
 */
export { DB_NAME, DB_VERSION, openPlaygroundDB, type PlaygroundDB } from './db';
export { StorageError, type StorageErrorCode } from './errors';
export type * from './records';
export { BLIND_CHOICES, CHECKPOINT_KINDS } from './records';
export {
  SettingsStore,
  loadLabelerName,
  saveLabelerName,
  cleanLabelerName,
  DEFAULT_LABELER_NAME,
  loadRunBase,
  saveRunBase,
  parseRunBase,
  type BaseSource,
  type RunBase,
  type SavedPromptBox,
} from './settings';
export { addPrompts, seedShippedPrompts, listPrompts, deletePrompt, type PromptInput } from './prompts';
export { addGeneration, listGenerations, generationsByModel, deleteGenerationsBefore } from './generations';
export {
  addComparison,
  addRating,
  addDemonstration,
  listComparisons,
  listRatings,
  listDemonstrations,
  countLabels,
  deleteLabel,
  toComparison,
  toRating,
  type LabelStore,
} from './labels';
export type { RecordQuery } from './query';
export {
  saveCheckpoint,
  currentCheckpoint,
  getCheckpoint,
  listCheckpoints,
  setCurrentCheckpoint,
  setCheckpointName,
  deleteCheckpoint,
  DEFAULT_KEEP_LAST,
  type CheckpointInput,
  type CheckpointSummary,
  type SaveOptions,
} from './checkpoints';
export { createRun, appendRunPoints, getRun, listRuns, deleteRun } from './runs';
export {
  putRunSamples,
  putRunPairs,
  getRunSamples,
  getRunPairs,
  runSampleSteps,
  RUN_SAMPLES_KEPT,
} from './run-samples';
export { addVote, listVotes } from './votes';
export { usage, requestPersistence, type StorageUsage } from './quota';
export { withTrainingLock, TRAINING_LOCK, type LockResult, type TrainingLockOptions } from './lock';
export {
  exportLabelFiles,
  importLabelFiles,
  previewLabelFiles,
  IMPORTED_LABELER,
  type ImportLogOptions,
  type ImportReport,
  type LabelFile,
} from './preference-log';
export type { ImportNotice } from './label-matches';
export { saveHfModel, hfExportSource, type HfExportSource } from './hf-models';
export { exportWorkspace, restoreWorkspace, type RestoreSummary } from './backup';
export { dumpDatabase, type DatabaseDump } from './dump';
