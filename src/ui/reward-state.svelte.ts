/**
 * The Reward model stage: training it (on demand, or in the background every few new labels),
 * its loss as it trains, held-out accuracy and calibration after each training, the labelled
 * pairs it still gets wrong, and "score any text". Each training is logged as a point of a
 * `reward` run in storage, so the accuracy chart survives a reload.
 */
import type { CalibrationBin, RewardEvaluation } from '../engine';
import type { EngineClient } from '../workers/client';
import type { LabelLog } from '../workers/protocol';
import { isCancelled, toProblem, type Problem } from './problem';
import type { RunWorkspace } from './workspace';

export type RewardClient = Pick<EngineClient, 'trainReward' | 'scoreText'>;

export interface RewardDeps {
  client: RewardClient;
  runs: RunWorkspace;
  prompts: () => string[];
  /** The label log last sent to the worker: disagreements point into its comparisons. */
  labels: () => LabelLog;
}

/** One training: how many labels it saw and how it did on the held-out pairs. */
export interface RewardCheck {
  labels: number;
  accuracy: number;
  loss: number;
  heldOut: number;
}

export interface DisagreementView {
  prompt: string;
  a: string;
  b: string;
  choice: 'a' | 'b' | 'tie';
  labeler: string;
  /** The reward model's probability that the labelled winner is better (below 0.5). */
  pLabelled: number;
}

/** Background training starts once this many labels exist, and again every this many new ones. */
export const AUTO_TRAIN_EVERY = 4;

export class RewardState {
  training = $state(false);
  progress = $state.raw<{ step: number; total: number } | null>(null);
  /** Loss at every step of the latest training. */
  curve = $state.raw<{ steps: number[]; losses: number[] }>({ steps: [], losses: [] });
  history = $state.raw<RewardCheck[]>([]);
  evaluation = $state.raw<RewardEvaluation | null>(null);
  disagreements = $state.raw<DisagreementView[]>([]);
  /** Labels the current reward model was trained on; null before the first training. */
  trainedLabels = $state<number | null>(null);
  autoTrain = $state(true);
  problem = $state.raw<Problem | null>(null);
  scorePrompt = $state('');
  scoreResponse = $state('');
  scored = $state.raw<{ score: number; disagreement: number } | null>(null);
  scoring = $state(false);
  readonly trained = $derived(this.trainedLabels !== null);
  readonly calibration = $derived<CalibrationBin[]>(this.evaluation?.calibration ?? []);
  private runId: number | null = null;
  private current: Promise<boolean> | null = null;

  constructor(private readonly deps: RewardDeps) {}

  /** Puts back the accuracy history of the last reward run (after a reload). */
  async restore(): Promise<void> {
    const run = (await this.deps.runs.listRuns()).find((r) => r.kind === 'reward');
    if (run === undefined) return;
    this.runId = run.id;
    this.history = run.points.map((p) => ({
      labels: p.step,
      accuracy: p.values.accuracy ?? NaN,
      loss: p.values.loss ?? NaN,
      heldOut: p.values.heldOut ?? 0,
    }));
  }

  /** Whether a reward model existed before the reload (so it is worth training again at once). */
  get hadModel(): boolean {
    return this.history.length > 0;
  }

  /** Trains on every label; resolves with whether it succeeded. A call during a training joins it. */
  train(): Promise<boolean> {
    this.current ??= this.runTraining().finally(() => (this.current = null));
    return this.current;
  }

  private async runTraining(): Promise<boolean> {
    this.training = true;
    this.problem = null;
    const log = this.deps.labels();
    const steps: number[] = [];
    const losses: number[] = [];
    try {
      const result = await this.deps.client.trainReward(this.deps.prompts(), {
        onStep: (report) => {
          if (report.kind !== 'reward') return;
          this.progress = { step: report.step, total: report.total };
          steps.push(steps.length + 1);
          losses.push(report.loss);
          this.curve = { steps: [...steps], losses: [...losses] };
        },
      });
      this.evaluation = result.evaluation;
      this.trainedLabels = result.labels;
      this.disagreements = result.disagreements.flatMap(({ index, pLabelled }) => {
        const c = log.comparisons[index];
        return c === undefined || c.choice === 'tie' ? [] : [{ ...c, choice: c.choice, pLabelled }];
      });
      const check = { labels: result.labels, accuracy: result.evaluation.accuracy, loss: result.evaluation.loss, heldOut: result.evaluation.pairs };
      this.history = [...this.history, check];
      await this.log(check);
      return true;
    } catch (err) {
      if (!isCancelled(err)) this.problem = toProblem(err);
      return false;
    } finally {
      this.training = false;
      this.progress = null;
    }
  }

  /** Starts a background training when enough new labels have come in since the last one. */
  maybeAutoTrain(labelCount: number): void {
    if (!this.autoTrain || this.training) return;
    const since = labelCount - (this.trainedLabels ?? 0);
    if (labelCount >= AUTO_TRAIN_EVERY && since >= AUTO_TRAIN_EVERY) void this.train();
  }

  /** Scores the text in the "score any text" box. */
  async score(): Promise<void> {
    this.scoring = true;
    this.problem = null;
    try {
      this.scored = await this.deps.client.scoreText(this.scorePrompt, this.scoreResponse);
    } catch (err) {
      this.problem = toProblem(err);
    } finally {
      this.scoring = false;
    }
  }

  /** Adds this training's numbers to the stored reward run (a failure only loses the chart point). */
  private async log(check: RewardCheck): Promise<void> {
    try {
      this.runId ??= await this.deps.runs.createRun({ kind: 'reward', name: 'reward model', config: {} });
      const values = { accuracy: check.accuracy, loss: check.loss, heldOut: check.heldOut };
      await this.deps.runs.appendRunPoints(this.runId, [{ step: check.labels, values }]);
    } catch (err) {
      this.problem = toProblem(err);
    }
  }
}
