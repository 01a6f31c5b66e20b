/**
 * A workspace kept in memory: what the page falls back to when the browser refuses IndexedDB
 * (some private windows do), so labelling and tuning still work for the visit, and what the state
 * classes' tests run against. It keeps the same rules as storage where the UI relies on them:
 * ids grow, lists come newest first, a deleted label is gone, the pointer moves on save.
 * Backups and model files need the real database, and say so.
 */
import type { NeedsStorage } from '../contract/messages';
import { StorageError } from '../storage/errors';
import { RUN_SAMPLES_KEPT } from '../storage/run-samples';
import type { HeldOutPairView, SampleView } from '../contract/views';
import { DEFAULT_LABELER_NAME, parseSavedLesson, type SavedLesson } from '../storage/settings';
import type { RecordQuery } from '../storage/query';
import type {
  CheckpointRecord,
  ComparisonRecord,
  DemonstrationRecord,
  PromptRecord,
  RatingRecord,
  RunRecord,
  VoteRecord,
} from '../storage/records';
import type { CheckpointSummary } from '../storage/checkpoints';
import type { RunBase } from '../storage/settings';
import type { LabelKind, Workspace } from './workspace';

interface Searchable {
  id: number;
  prompt: string;
  createdAt: number;
  labeler?: string;
}

function matches(record: Searchable, q: RecordQuery): boolean {
  if (q.prompt !== undefined && record.prompt !== q.prompt) return false;
  if (q.labeler !== undefined && record.labeler !== q.labeler) return false;
  if (q.contains === undefined || q.contains === '') return true;
  const needle = q.contains.toLowerCase();
  return Object.values(record).some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
}

function query<T extends Searchable>(records: T[], q: RecordQuery = {}): T[] {
  const found = records.filter((r) => matches(r, q));
  const ordered = q.order === 'oldest' ? found : [...found].reverse();
  return ordered.slice(0, q.limit ?? Infinity);
}

const unavailable = (work: NeedsStorage) => () =>
  Promise.reject(new StorageError('FAILED', { code: 'NEEDS_STORAGE', params: { work } }));

export function memoryWorkspace(): Workspace {
  let nextId = 1;
  const labels = {
    comparisons: [] as ComparisonRecord[],
    ratings: [] as RatingRecord[],
    demonstrations: [] as DemonstrationRecord[],
  };
  const checkpoints: CheckpointRecord[] = [];
  const current = new Map<string, number>();
  let base: RunBase | null = null;
  let labelerName = DEFAULT_LABELER_NAME;
  let lesson: SavedLesson | null = null;
  const runs: RunRecord[] = [];
  /** Samples or pairs by run, then by step; pruned to the newest RUN_SAMPLES_KEPT steps like storage. */
  const stepsByRun = new Map<number, Map<number, { samples?: SampleView[]; pairs?: HeldOutPairView[] }>>();
  const putStep = (id: number, step: number, record: { samples?: SampleView[]; pairs?: HeldOutPairView[] }) => {
    const steps = stepsByRun.get(id) ?? new Map<number, { samples?: SampleView[]; pairs?: HeldOutPairView[] }>();
    stepsByRun.set(id, steps);
    steps.set(step, record);
    const stale = [...steps.keys()].sort((a, b) => b - a).slice(RUN_SAMPLES_KEPT);
    for (const old of stale) steps.delete(old);
    return Promise.resolve();
  };
  const votes: VoteRecord[] = [];
  const prompts: PromptRecord[] = [];
  const add = <T extends { id: number }>(list: T[], make: (id: number) => T): Promise<number> => {
    const id = nextId++;
    list.push(make(id));
    return Promise.resolve(id);
  };
  const summary = (c: CheckpointRecord): CheckpointSummary => {
    const { bytes, ...rest } = c;
    return { ...rest, byteLength: bytes.byteLength, current: current.get(c.kind) === c.id };
  };
  return {
    addComparison: (c) => add(labels.comparisons, (id) => ({ ...c, id })),
    addRating: (r) => add(labels.ratings, (id) => ({ ...r, id })),
    addDemonstration: (d) => add(labels.demonstrations, (id) => ({ ...d, id })),
    deleteLabel: (kind: LabelKind, id: number) => {
      const list: { id: number }[] = labels[kind];
      const index = list.findIndex((r) => r.id === id);
      if (index < 0)
        return Promise.reject(
          new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'label', id, store: kind } }),
        );
      list.splice(index, 1);
      return Promise.resolve();
    },
    listComparisons: (q) => Promise.resolve(query(labels.comparisons, q)),
    listRatings: (q) => Promise.resolve(query(labels.ratings, q)),
    listDemonstrations: (q) => Promise.resolve(query(labels.demonstrations, q)),
    labelerName: () => Promise.resolve(labelerName),
    setLabelerName: (name) => {
      labelerName = name;
      return Promise.resolve();
    },
    // Copies in and out, as IndexedDB's structured clone would.
    lesson: () => Promise.resolve(lesson === null ? null : parseSavedLesson(structuredClone(lesson))),
    setLesson: (saved) => {
      lesson = structuredClone(saved);
      return Promise.resolve();
    },
    saveCheckpoint: async (kind, input, options) => {
      const bytes = input.bytes instanceof ArrayBuffer ? input.bytes : input.bytes.slice().buffer;
      const metrics = Object.fromEntries(
        Object.entries(input.metrics ?? {}).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
      );
      const record = {
        kind,
        name: input.name,
        named: input.named ?? false,
        bytes,
        config: input.config,
        parentId: input.parentId ?? null,
        metrics,
        createdAt: input.createdAt ?? Date.now(),
        tokenizer: input.tokenizer ?? null,
      };
      const id = await add(checkpoints, (id) => ({ ...record, id }));
      if (options?.makeCurrent ?? true) current.set(kind, id);
      return id;
    },
    currentCheckpoint: (kind) => Promise.resolve(checkpoints.find((c) => c.id === current.get(kind)) ?? null),
    getCheckpoint: (id) => Promise.resolve(checkpoints.find((c) => c.id === id) ?? null),
    listCheckpoints: (kind) =>
      Promise.resolve(checkpoints.filter((c) => kind === undefined || c.kind === kind).map(summary)),
    setCurrentCheckpoint: (id) => {
      const record = checkpoints.find((c) => c.id === id);
      if (record === undefined)
        return Promise.reject(
          new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'checkpoint', id } }),
        );
      current.set(record.kind, id);
      return Promise.resolve();
    },
    setCheckpointName: (id, name) => {
      const record = checkpoints.find((c) => c.id === id);
      if (record === undefined)
        return Promise.reject(
          new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'checkpoint', id } }),
        );
      Object.assign(record, { name, named: true });
      return Promise.resolve();
    },
    runBase: () => Promise.resolve(base === null ? null : { ...base, source: { ...base.source } }),
    setRunBase: (run) => {
      base = run === null ? null : { ...run, source: { ...run.source } };
      return Promise.resolve();
    },
    createRun: (run) => add(runs, (id) => ({ ...run, id, createdAt: Date.now(), updatedAt: Date.now(), points: [] })),
    appendRunPoints: (id, points) => {
      const run = runs.find((r) => r.id === id);
      if (run === undefined)
        return Promise.reject(new StorageError('NOT_FOUND', { code: 'RECORD_NOT_FOUND', params: { kind: 'run', id } }));
      run.points.push(...points.map((p) => ({ step: p.step, values: { ...p.values } })));
      return Promise.resolve();
    },
    listRuns: () => Promise.resolve([...runs].reverse()),
    putRunSamples: (id, step, samples) => putStep(id, step, { samples: samples.map((s) => ({ ...s })) }),
    getRunSamples: (id, step) => Promise.resolve(stepsByRun.get(id)?.get(step)?.samples ?? null),
    putRunPairs: (id, step, pairs) => putStep(id, step, { pairs: pairs.map((p) => ({ ...p })) }),
    getRunPairs: (id, step) => Promise.resolve(stepsByRun.get(id)?.get(step)?.pairs ?? null),
    addVote: (vote) => add(votes, (id) => ({ ...vote, id })),
    listVotes: (round) => Promise.resolve(votes.filter((v) => round === undefined || v.round === round)),
    seedShippedPrompts: async (openings) => {
      let added = 0;
      for (const [split, texts] of [
        ['train', openings.train],
        ['evaluation', openings.evaluation],
      ] as const) {
        for (const text of texts) {
          if (prompts.some((p) => p.text === text)) continue;
          await add(prompts, (id) => ({ id, text, source: 'shipped', split, createdAt: Date.now() }));
          added++;
        }
      }
      return added;
    },
    listPrompts: (split) => Promise.resolve(prompts.filter((p) => p.split === split)),
    addUserPrompt: async (text, split) =>
      prompts.some((p) => p.text === text)
        ? 0
        : (await add(prompts, (id) => ({ id, text, source: 'user', split, createdAt: Date.now() })), 1),
    // One page, one memory: no other tab can be training on it.
    withTrainingLock: async (work) => ({ acquired: true, value: await work() }),
    usage: () => Promise.resolve(null),
    requestPersistence: () => Promise.resolve(false),
    exportLabels: unavailable('exportLabels'),
    previewLabels: unavailable('importLabels'),
    importLabels: unavailable('importLabels'),
    exportBackup: unavailable('exportBackup'),
    restoreBackup: unavailable('restoreBackup'),
    saveHfModel: unavailable('importModel'),
    hfExportSource: unavailable('exportModel'),
  };
}
