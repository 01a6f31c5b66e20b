/**
 * The experiments that break RLHF on purpose, as the page runs them. Opening one gives it a
 * workspace of its own (in memory, fresh each time): its labels and its runs' metrics go there,
 * and the worker runs it in a session of its own, so the person's labels, reward model and policy
 * stay exactly as they were. Closing it drops that workspace; there is nothing to put back.
 */
import { EXPERIMENTS, type ExperimentId } from '../contract/experiments';
import { EXPERIMENT_LIST, type ExperimentView } from './page-setup';
import { experimentSteps, NO_LIMITS } from '../contract/experiment-support';
import type { ExperimentLimits, StepReport } from '../contract/protocol';
import type { SampleView } from '../contract/views';
import type { EngineClient } from '../workers/client';
import { readArms, readEvidence, type ArmPoints } from './experiment-evidence';
import { memoryWorkspace } from './memory-workspace';
import { isCancelled, toProblem, type Problem } from './problem';
import type { Workspace } from './workspace';

export type ExperimentStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';
export type ExperimentPhase = 'label' | 'reward' | 'tune';

export interface ExperimentDeps {
  client: Pick<EngineClient, 'runExperiment'>;
  prompts: () => string[];
  seed: () => number;
  /** A fresh workspace for each experiment opened (default: one in memory). */
  newWorkspace?: () => Workspace;
  /** Caps on the experiment's size (a quick look, a test); default none. */
  limits?: ExperimentLimits;
  /** Whether the engine can run one now (a model is loaded and the session started). */
  ready: () => boolean;
  /** Called when the view changes, so the page address follows it. */
  changed: () => void;
}

/** Samples kept, newest first. */
const SAMPLES_KEPT = 12;

export class ExperimentState {
  view = $state<ExperimentView>(null);
  status = $state<ExperimentStatus>('idle');
  phase = $state<ExperimentPhase | null>(null);
  /** Steps done of the whole run: labels, the reward model's training, every arm's iterations. */
  done = $state(0);
  total = $state(0);
  labels = $state(0);
  flipped = $state(0);
  reward = $state.raw<{ accuracy: number; heldOut: number } | null>(null);
  points = $state.raw<ArmPoints>({});
  samples = $state.raw<(SampleView & { arm: string; iteration: number; id: number })[]>([]);
  problem = $state.raw<Problem | null>(null);
  /** The workspace of the open experiment; null on the list and in the person's own run. */
  workspace = $state.raw<Workspace | null>(null);
  readonly open = $derived(this.view === null || this.view === EXPERIMENT_LIST ? null : EXPERIMENTS[this.view]);
  readonly running = $derived(this.status === 'running');
  /** The arm the engine cannot run yet, for the open experiment, or null. */
  readonly readings = $derived(this.open === null ? [] : readEvidence(this.open, this.points));
  readonly armReadings = $derived(this.open === null ? [] : readArms(this.open, this.points));
  private controller: AbortController | null = null;
  private runIds: Record<string, number> = {};
  private sampleId = 0;

  constructor(private readonly deps: ExperimentDeps) {}

  /** Shows `view` as a link asked for it, without running anything yet (see `start`). */
  restore(view: ExperimentView): void {
    if (view === EXPERIMENT_LIST) this.showList();
    else if (view !== null) this.load(view);
  }

  /** Shows the list of experiments (stopping one that runs). */
  showList(): void {
    this.close();
    this.view = EXPERIMENT_LIST;
    this.deps.changed();
  }

  /** Opens `id` in a fresh workspace of its own (nothing of the person's run is touched), and runs it when the engine is ready. */
  async openAndRun(id: ExperimentId): Promise<boolean> {
    this.load(id);
    return this.deps.ready() ? this.run() : false;
  }

  /** Runs an experiment opened before the engine was ready (from a link), once it is. */
  start(): void {
    if (this.open !== null && this.status === 'idle') void this.run();
  }

  private load(id: ExperimentId): void {
    this.close();
    this.view = id;
    this.workspace = (this.deps.newWorkspace ?? memoryWorkspace)();
    this.deps.changed();
  }

  /** Back to the person's own run, exactly as it was: stops the experiment and drops its workspace. */
  leave(): void {
    if (this.view === null) return;
    this.close();
    this.deps.changed();
  }

  /**
   * Runs the open experiment to its end; resolves with whether it finished. A cancel ends it with
   * status `cancelled`; a failure with `failed` and the problem.
   */
  async run(): Promise<boolean> {
    const experiment = this.open;
    const workspace = this.workspace;
    if (experiment === null || workspace === null || this.running) return false;
    const limits = this.deps.limits ?? NO_LIMITS;
    this.reset();
    // Every label, every reward-model training and every iteration is a step.
    this.total = experimentSteps(experiment, limits);
    this.status = 'running';
    this.phase = 'label';
    const controller = new AbortController();
    this.controller = controller;
    const stored: Promise<unknown>[] = [];
    try {
      for (const arm of experiment.arms)
        this.runIds[arm.key] = await workspace.createRun({
          kind: 'experiment',
          name: `${experiment.id} · ${arm.key}`,
          config: { experiment: experiment.id, arm: arm.key, algorithm: arm.algorithm, ...limits },
        });
      await this.deps.client.runExperiment(experiment.id, this.deps.seed(), this.deps.prompts(), limits, {
        signal: controller.signal,
        onStep: (report) => {
          // A step that lands after a cancel or a close belongs to a run no longer shown.
          if (this.controller === controller) stored.push(this.onStep(report, workspace));
        },
      });
      await Promise.all(stored);
      this.status = 'done';
      return true;
    } catch (err) {
      if (this.controller !== controller) return false;
      if (isCancelled(err)) this.status = 'cancelled';
      else {
        this.status = 'failed';
        this.problem = toProblem(err);
      }
      return false;
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.phase = null;
      }
    }
  }

  /** Stops the running experiment; what it measured so far stays on screen. */
  cancel(): void {
    if (!this.running) return;
    this.controller?.abort();
  }

  private close(): void {
    const controller = this.controller;
    this.controller = null;
    controller?.abort();
    this.view = null;
    this.workspace = null;
    this.reset();
  }

  private reset(): void {
    this.status = 'idle';
    this.phase = null;
    this.done = 0;
    this.total = 0;
    this.labels = 0;
    this.flipped = 0;
    this.reward = null;
    this.points = {};
    this.samples = [];
    this.problem = null;
    this.runIds = {};
  }

  private async onStep(report: StepReport, workspace: Workspace): Promise<void> {
    if (report.kind === 'experimentLabel') {
      this.phase = 'label';
      this.labels++;
      this.flipped = report.flipped;
      this.done++;
      const { prompt, a, b, choice, labeler, aEnded, bEnded } = report.label;
      await workspace.addComparison({
        prompt,
        a,
        b,
        choice,
        labeler,
        createdAt: Date.now(),
        modelA: 'base',
        modelB: 'base',
        decisionMs: null,
        aEnded,
        bEnded,
      });
    } else if (report.kind === 'reward') {
      this.phase = 'reward';
    } else if (report.kind === 'experimentReward') {
      this.reward = { accuracy: report.accuracy, heldOut: report.heldOut };
      this.done++;
      this.phase = 'tune';
    } else if (report.kind === 'armIteration') {
      this.phase = 'tune';
      this.done++;
      const point = { iteration: report.iteration, metrics: report.metrics };
      this.points = { ...this.points, [report.arm]: [...(this.points[report.arm] ?? []), point] };
      const fresh = report.samples.map((s) => ({
        ...s,
        arm: report.arm,
        iteration: report.iteration,
        id: this.sampleId++,
      }));
      this.samples = [...fresh, ...this.samples].slice(0, SAMPLES_KEPT);
      const runId = this.runIds[report.arm];
      if (runId !== undefined)
        await workspace.appendRunPoints(runId, [{ step: report.iteration, values: report.metrics }]);
    }
  }
}
