/**
 * The Tune stage: the algorithm and its hyperparameters, play / pause / step / stop / reset, the
 * metric history the charts draw, the latest samples and the token view's choices. After every run
 * the policy is saved as a checkpoint and each iteration's metrics are appended to a `policy` run
 * in storage, so a reload finds the tuned policy and its charts where they were.
 */
import type { Algorithm } from '../contract/algorithms';
import type { Message } from '../contract/messages';
import type { SampleView } from '../contract/views';
import type { EngineClient, TuningRun } from '../workers/client';
import { sanitizeTune, withAlgorithm, type TuneSettings } from '../contract/tune-settings';
import { LEARNING_DEFAULTS } from '../contract/learning-defaults';
import { playIterations, type MarkedLabels } from '../contract/marked-play';
import { isCancelled, problemOf, toProblem, type Problem } from './problem';
import { toMetricPoints } from './run-metrics';
import { lock } from './strings';
import type { TokenMeasure } from './token-colour';
import { tuneWarnings, type MetricPoint } from './tune-warnings';
import type { CheckpointWorkspace, RunWorkspace, TrainingLock } from './workspace';

export type TuneClient = Pick<EngineClient, 'configure' | 'iterate' | 'reset' | 'savePolicy' | 'loadPolicy'>;

export interface TuneDeps {
  client: TuneClient;
  workspace: CheckpointWorkspace & RunWorkspace & TrainingLock;
  prompts: () => string[];
  /** Called after each iteration: the policy changed, so prefetched pairs are stale. */
  policyChanged?: () => void;
  /** Called after the policy was saved as a checkpoint. */
  saved?: () => void;
  /** "Reset to reference" starts a new run (same base, charts from zero). */
  newRun?: () => Promise<void>;
  /** Why tuning cannot run now (the run's base is gone), or null. */
  blocked?: () => Problem | null;
  /** How many of the reward model's labels carry marks (null before it is trained): they may lengthen a Play. */
  marked?: () => MarkedLabels | null;
}

/** A sample in the page's lists: the iteration that drew it and an id to key it by. */
export type StreamSample = SampleView & { iteration: number; id: number };

/** Samples kept in the stream, newest first. */
export const STREAM_LENGTH = 24;
const RUN_KIND = 'policy';

export class TuneState {
  settings = $state<TuneSettings>({ ...LEARNING_DEFAULTS.tune });
  running = $state(false);
  paused = $state(false);
  progress = $state.raw<{ iteration: number; of: number } | null>(null);
  points = $state.raw<MetricPoint[]>([]);
  /** Recent samples, newest first, each with the iteration that drew it and an id to key it by. */
  stream = $state.raw<StreamSample[]>([]);
  /**
   * The iteration a chart point opened, with its samples (null when none are stored any more);
   * null while the list shows the latest samples.
   */
  inspected = $state.raw<{ iteration: number; samples: StreamSample[] | null } | null>(null);
  selected = $state(0);
  measure = $state<TokenMeasure>('logProb');
  problem = $state.raw<Problem | null>(null);
  /** Why the last run ended early when the KL budget stopped it (a notice, not a failure), or null. */
  budgetStop = $state.raw<Message<'KL_BUDGET_STOPPED'> | null>(null);
  /** The stored checkpoint the policy was last saved to, or null while it is the base model. */
  checkpointId = $state<number | null>(null);
  /** The stored run this tuning's metric points are appended to; null before the first point. */
  runId = $state<number | null>(null);
  readonly iterations = $derived(this.points.at(-1)?.iteration ?? 0);
  readonly latest = $derived(this.points.at(-1)?.metrics ?? null);
  readonly warnings = $derived(tuneWarnings(this.points, this.settings.klTarget));
  /** The samples listed: the opened iteration's, else the latest. */
  readonly shown = $derived(this.inspected === null ? this.stream : (this.inspected.samples ?? []));
  readonly sample = $derived(this.shown[this.selected] ?? null);
  /** Which policy writes the text now: recorded with every label. */
  readonly version = $derived(this.iterations === 0 ? 'base' : `tuned-${this.iterations}`);
  /** The tuning run under way, which pause and resume act on. */
  private current: TuningRun | null = null;
  private abort: AbortController | null = null;
  private configured: string | null = null;
  private writes: Promise<void> = Promise.resolve();
  /** Samples received so far: the next sample's id. */
  private drawn = 0;

  constructor(private readonly deps: TuneDeps) {}

  /** Iterations one press of Play runs: the setting, or the longer Play marked labels earn (marked-play.ts). */
  get playLength(): number {
    return playIterations(this.settings.algorithm, this.settings.iterations, this.deps.marked?.() ?? null);
  }

  /**
   * Puts back the tuned policy and its chart after a reload; the chart only when it was drawn in
   * the run that started at `since` (charts of an earlier run, before a reset, stay in storage).
   */
  async restore(since = 0): Promise<void> {
    const run = (await this.deps.workspace.listRuns()).find((r) => r.kind === RUN_KIND && r.createdAt >= since);
    const current = await this.deps.workspace.currentCheckpoint('policy');
    if (current !== null) {
      try {
        await this.deps.client.loadPolicy(current.bytes);
      } catch (err) {
        // A checkpoint of another model (say the base was switched): tuning starts from the base.
        this.problem = toProblem(err);
        return;
      }
      this.checkpointId = current.id;
    }
    if (run !== undefined && current !== null) {
      this.runId = run.id;
      this.points = toMetricPoints(run.points);
    }
  }

  /** Switches the algorithm; beta and the learning rate become its own defaults (see withAlgorithm). */
  chooseAlgorithm(algorithm: Algorithm): void {
    if (this.running || algorithm === this.settings.algorithm) return;
    this.settings = withAlgorithm($state.snapshot(this.settings), algorithm);
  }

  /** Sends the settings to the worker when they changed (which starts a fresh optimiser). */
  private async configure(): Promise<void> {
    const settings = sanitizeTune($state.snapshot(this.settings));
    const key = JSON.stringify(settings);
    if (key === this.configured) return;
    await this.deps.client.configure(settings);
    this.configured = key;
  }

  /**
   * Runs `iterations` iterations (default: one Play, `playLength`), then saves the policy. Refused while
   * another tab trains: two tabs would overwrite each other's checkpoints.
   */
  async play(iterations = this.playLength): Promise<boolean> {
    if (this.running) return false;
    const blocked = this.deps.blocked?.() ?? null;
    if (blocked !== null) {
      this.problem = blocked;
      return false;
    }
    this.running = true;
    this.paused = false;
    this.problem = null;
    this.budgetStop = null;
    try {
      const locked = await this.deps.workspace.withTrainingLock(() => this.iterate(iterations));
      if (!locked.acquired) this.problem = problemOf('TRAINING_ELSEWHERE', () => lock.busy);
      return locked.acquired && locked.value;
    } catch (err) {
      this.problem = toProblem(err);
      return false;
    } finally {
      this.running = false;
      this.paused = false;
    }
  }

  private async iterate(iterations: number): Promise<boolean> {
    this.abort = new AbortController();
    let ok = false;
    const start = this.iterations;
    let deviceLost = false;
    try {
      await this.configure();
      this.current = this.deps.client.iterate(this.deps.prompts(), iterations, {
        signal: this.abort.signal,
        onStep: (report) => {
          if (report.kind !== 'iteration') return;
          this.progress = { iteration: report.iteration, of: report.of };
          this.record(start + report.iteration, report.metrics, report.samples);
        },
      });
      await this.current.done;
      const stop = await this.current.stopped;
      if (stop !== null)
        this.budgetStop = { code: 'KL_BUDGET_STOPPED', params: { ...stop, iteration: start + stop.iteration } };
      ok = true;
    } catch (err) {
      if (!isCancelled(err)) this.problem = toProblem(err);
      deviceLost = toProblem(err).code === 'DEVICE_LOST';
    } finally {
      this.current = null;
      this.abort = null;
      this.progress = null;
    }
    await this.writes;
    // After a lost device the worker is back on the last saved checkpoint: the iterations since
    // then are gone, and saving now would store that checkpoint under a later iteration's name.
    if (this.iterations > start && !deviceLost) await this.savePolicy();
    return ok;
  }

  step(): Promise<boolean> {
    return this.play(1);
  }

  async pause(): Promise<void> {
    if (this.current === null) return;
    this.paused = true;
    await this.current.pause();
  }

  async resume(): Promise<void> {
    if (this.current === null) return;
    this.paused = false;
    await this.current.resume();
  }

  /** Stops after the iteration under way; what was learned so far is kept and saved. */
  stop(): void {
    this.abort?.abort();
  }

  /** Puts the policy back to the reference; the charts start again. */
  async reset(): Promise<void> {
    if (this.running) return;
    const blocked = this.deps.blocked?.() ?? null;
    if (blocked !== null) {
      this.problem = blocked;
      return;
    }
    try {
      await this.deps.client.reset();
      this.points = [];
      this.stream = [];
      this.inspected = null;
      this.runId = null;
      await this.deps.newRun?.();
      this.deps.policyChanged?.();
      await this.savePolicy();
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  private record(iteration: number, metrics: Record<string, number>, samples: SampleView[]): void {
    this.points = [...this.points, { iteration, metrics }];
    this.deps.policyChanged?.();
    // The samples and their token view are the largest page update of an iteration: they land in
    // a task of their own, so the metrics and the samples never make one long main-thread task.
    const fresh = samples.map((s) => ({ ...s, iteration, id: this.drawn++ }));
    setTimeout(() => {
      this.stream = [...fresh, ...this.stream].slice(0, STREAM_LENGTH);
      if (this.inspected === null) this.selected = 0;
    }, 0);
    // In order, one at a time: the first point creates the run the others are appended to.
    this.writes = this.writes.then(() => this.storePoint(iteration, metrics, samples));
  }

  /**
   * Opens one iteration of the chart: its samples as stored with the run (the last
   * RUN_SAMPLES_KEPT iterations are kept, also across reloads), else those still in the stream.
   */
  async inspect(iteration: number): Promise<void> {
    let samples: StreamSample[] | null = null;
    if (this.runId !== null) {
      await this.writes;
      try {
        const stored = await this.deps.workspace.getRunSamples(this.runId, iteration);
        samples = stored?.map((s) => ({ ...s, iteration, id: this.drawn++ })) ?? null;
      } catch (err) {
        this.problem = toProblem(err);
      }
    }
    if (samples === null) {
      const recent = this.stream.filter((s) => s.iteration === iteration);
      samples = recent.length > 0 ? recent : null;
    }
    this.inspected = { iteration, samples };
    this.selected = 0;
  }

  /** Back to the latest samples. */
  closeInspection(): void {
    this.inspected = null;
    this.selected = 0;
  }

  private async storePoint(iteration: number, metrics: Record<string, number>, samples: SampleView[]): Promise<void> {
    try {
      this.runId ??= await this.deps.workspace.createRun({
        kind: RUN_KIND,
        name: 'policy tuning',
        config: $state.snapshot(this.settings),
      });
      await this.deps.workspace.appendRunPoints(this.runId, [{ step: iteration, values: metrics }]);
      if (samples.length > 0) await this.deps.workspace.putRunSamples(this.runId, iteration, samples);
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  /** Forgets the chart and samples (the policy now starts from a new base model). */
  forget(): void {
    this.points = [];
    this.stream = [];
    this.inspected = null;
    this.runId = null;
    this.checkpointId = null;
  }

  /** Puts a saved policy checkpoint's weights into the policy and makes it the current one. */
  async useCheckpoint(id: number): Promise<boolean> {
    if (this.running) return false;
    try {
      const record = await this.deps.workspace.getCheckpoint(id);
      if (record === null) return false;
      await this.deps.client.loadPolicy(record.bytes);
      await this.deps.workspace.setCurrentCheckpoint(id);
      this.checkpointId = id;
      this.deps.policyChanged?.();
      return true;
    } catch (err) {
      this.problem = toProblem(err);
      return false;
    }
  }

  /** Saves the policy as the current checkpoint; `name` makes it a named one, kept forever. */
  async savePolicy(name?: string): Promise<number | null> {
    try {
      const label = name ?? `after ${this.iterations} iterations`;
      const { bytes, config } = await this.deps.client.savePolicy(label);
      const metrics = Object.fromEntries(Object.entries(this.latest ?? {}).filter(([, v]) => Number.isFinite(v)));
      const id = await this.deps.workspace.saveCheckpoint('policy', {
        name: label,
        named: name !== undefined,
        bytes,
        config,
        parentId: this.checkpointId,
        metrics: { ...metrics, iterations: this.iterations },
      });
      this.checkpointId = id;
      this.deps.saved?.();
      return id;
    } catch (err) {
      this.problem = toProblem(err);
      return null;
    }
  }
}
