/**
 * The Reward model stage: training it (on demand, or in the background every few new labels),
 * its loss as it trains, held-out accuracy and calibration after each training, the labelled
 * pairs it still gets wrong, and "score any text". Each training is logged as a point of a
 * `reward` run in storage, so the accuracy chart survives a reload, and the trained model itself
 * is saved as a `reward` checkpoint, which a reload puts back into the worker instead of training
 * again.
 */
import type { CalibrationBin, RewardEvaluation } from '../engine';
import type { CheckpointRecord } from '../storage/records';
import type { EngineClient } from '../workers/client';
import type { LabelLog } from '../contract/labels';
import { countMarked, type MarkedLabels } from '../contract/marked-play';
import { LEARNING_DEFAULTS } from '../contract/learning-defaults';
import type { RewardTraining } from '../contract/protocol';
import type { HeldOutPairView } from '../contract/views';
import { isCancelled, problemOf, toProblem, type Problem } from './problem';
import { reward as text } from './strings';
import type { CheckpointWorkspace, RunWorkspace } from './workspace';

/** `loadPolicy` restores whichever model a checkpoint holds: a reward checkpoint becomes the reward model. */
export type RewardClient = Pick<EngineClient, 'trainReward' | 'scoreText' | 'loadPolicy'>;

export interface RewardDeps {
  client: RewardClient;
  workspace: RunWorkspace & CheckpointWorkspace;
  prompts: () => string[];
  /** The label log last sent to the worker: disagreements point into its comparisons. */
  labels: () => LabelLog;
}

/** One training: how many labels it saw and how it did on the held-out pairs. */
export interface RewardCheck {
  labels: number;
  /** NaN when no held-out pair has a winner (see `decided`). */
  accuracy: number;
  loss: number;
  /** Held-out pairs, and how many of them have a winner (null when a run stored before did not say). */
  heldOut: number;
  decided: number | null;
  /** Comparisons with marked words among the labels (0 when a run stored before did not say). */
  marked: number;
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
export const AUTO_TRAIN_EVERY = LEARNING_DEFAULTS.backgroundTrainingEvery;

/** What a reward checkpoint keeps beside the weights (in its `config`), for the stage to show again. */
export interface RewardSummary {
  calibration: CalibrationBin[];
  disagreements: DisagreementView[];
}

/** A training's numbers as stored, in its run's point and its checkpoint's metrics (`decided` only when known). */
function checkValues(check: RewardCheck): Record<string, number> {
  const { labels: _labels, decided, ...values } = check;
  return decided === null ? values : { ...values, decided };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A stored summary read back leniently: an older or hand-edited record loses only what is wrong. */
export function readRewardSummary(config: unknown): RewardSummary {
  const fields: Record<string, unknown> = typeof config === 'object' && config !== null ? { ...config } : {};
  const list = (v: unknown): Record<string, unknown>[] =>
    Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null).map((x) => ({ ...x })) : [];
  const calibration = list(fields.calibration).map((b) => ({
    predicted: num(b.predicted),
    observed: num(b.observed),
    count: num(b.count),
  }));
  const disagreements = list(fields.disagreements).flatMap((d): DisagreementView[] =>
    d.choice === 'a' || d.choice === 'b'
      ? [
          {
            prompt: str(d.prompt),
            a: str(d.a),
            b: str(d.b),
            choice: d.choice,
            labeler: str(d.labeler),
            pLabelled: num(d.pLabelled),
          },
        ]
      : [],
  );
  return { calibration: calibration.filter((b) => Number.isFinite(b.count)), disagreements };
}

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
  /** Of those, the comparisons with marked words (0 for a model saved before marks were counted). */
  trainedMarked = $state(0);
  /** True while the model in use is the saved one put back after a reload, not trained this visit. */
  restored = $state(false);
  autoTrain = $state(true);
  problem = $state.raw<Problem | null>(null);
  scorePrompt = $state('');
  scoreResponse = $state('');
  scored = $state.raw<{ score: number; disagreement: number } | null>(null);
  scoring = $state(false);
  /**
   * The training a point of the accuracy chart opened (by its label count), with its held-out
   * pairs (null when none are stored for it); null while closed.
   */
  inspected = $state.raw<{ labels: number; pairs: HeldOutPairView[] | null } | null>(null);
  readonly trained = $derived(this.trainedLabels !== null);
  /** How many of the current model's labels carry marks, or null before the first training. */
  readonly marked = $derived<MarkedLabels | null>(
    this.trainedLabels === null ? null : { labels: this.trainedLabels, marked: this.trainedMarked },
  );
  readonly calibration = $derived<CalibrationBin[]>(this.evaluation?.calibration ?? []);
  private runId: number | null = null;
  private current: Promise<boolean> | null = null;

  constructor(private readonly deps: RewardDeps) {}

  /**
   * After a reload (or a new session): puts back the accuracy history of the last reward run and
   * the saved reward model, into the worker. Resolves with whether a saved model is now in use.
   */
  async restore(): Promise<boolean> {
    // A new session in the worker starts without a reward model: show none until one is back.
    this.trainedLabels = null;
    this.trainedMarked = 0;
    this.evaluation = null;
    this.disagreements = [];
    this.scored = null;
    this.restored = false;
    const run = (await this.deps.workspace.listRuns()).find((r) => r.kind === 'reward');
    if (run !== undefined) {
      this.runId = run.id;
      this.history = run.points.map((p) => ({
        labels: p.step,
        accuracy: p.values.accuracy ?? NaN,
        loss: p.values.loss ?? NaN,
        heldOut: p.values.heldOut ?? 0,
        decided: p.values.decided ?? null,
        marked: p.values.marked ?? 0,
      }));
    }
    const saved = await this.deps.workspace.currentCheckpoint('reward');
    if (saved === null) return false;
    try {
      await this.deps.client.loadPolicy(saved.bytes);
    } catch (err) {
      // Saved for another tokenizer (the base model changed) or unreadable: train again instead.
      const problem = toProblem(err);
      this.problem = problemOf(problem.code, () => text.restoreFailed(problem.message));
      return false;
    }
    this.show(saved);
    return true;
  }

  /** The stage's numbers as they were when `saved` was trained. */
  private show(saved: CheckpointRecord): void {
    const m = saved.metrics;
    const summary = readRewardSummary(saved.config);
    this.trainedLabels = m.labels ?? 0;
    this.trainedMarked = m.marked ?? 0;
    this.evaluation = {
      accuracy: m.accuracy ?? NaN,
      loss: m.loss ?? NaN,
      calibration: summary.calibration,
      pairs: m.heldOut ?? 0,
      decided: m.decided ?? (Number.isFinite(m.accuracy ?? NaN) ? (m.heldOut ?? 0) : 0),
    };
    this.disagreements = summary.disagreements;
    this.restored = true;
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
    const marked = countMarked(log.comparisons);
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
      this.trainedMarked = marked;
      this.disagreements = result.disagreements.flatMap(({ index, pLabelled }) => {
        const c = log.comparisons[index];
        if (c === undefined || c.choice === 'tie') return [];
        return [{ prompt: c.prompt, a: c.a, b: c.b, choice: c.choice, labeler: c.labeler, pLabelled }];
      });
      const check = {
        labels: result.labels,
        accuracy: result.evaluation.accuracy,
        loss: result.evaluation.loss,
        heldOut: result.evaluation.pairs,
        decided: result.evaluation.decided,
        marked,
      };
      this.history = [...this.history, check];
      this.restored = false;
      await this.log(check, result.heldOut);
      await this.store(result, check);
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

  /** Saves the trained model as the current reward checkpoint (a failure means retraining after a reload). */
  private async store(result: RewardTraining, check: RewardCheck): Promise<void> {
    if (result.checkpoint.byteLength === 0) return;
    const summary: RewardSummary = { calibration: result.evaluation.calibration, disagreements: this.disagreements };
    const metrics = { labels: check.labels, ...checkValues(check) };
    try {
      await this.deps.workspace.saveCheckpoint('reward', {
        name: `reward model, ${check.labels} labels`,
        bytes: result.checkpoint,
        config: summary,
        metrics,
      });
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  /** Opens one training of the accuracy chart: its held-out pairs, worst-judged first. */
  async inspect(labels: number): Promise<void> {
    let pairs: HeldOutPairView[] | null = null;
    if (this.runId !== null) {
      try {
        pairs = await this.deps.workspace.getRunPairs(this.runId, labels);
      } catch (err) {
        this.problem = toProblem(err);
      }
    }
    this.inspected = { labels, pairs: pairs === null ? null : [...pairs].sort((a, b) => b.loss - a.loss) };
  }

  closeInspection(): void {
    this.inspected = null;
  }

  /** Adds this training's numbers (and its held-out pairs) to the stored reward run (a failure only loses the chart point). */
  private async log(check: RewardCheck, heldOut: readonly HeldOutPairView[]): Promise<void> {
    try {
      this.runId ??= await this.deps.workspace.createRun({ kind: 'reward', name: 'reward model', config: {} });
      await this.deps.workspace.appendRunPoints(this.runId, [{ step: check.labels, values: checkValues(check) }]);
      if (heldOut.length > 0) await this.deps.workspace.putRunPairs(this.runId, check.labels, heldOut);
    } catch (err) {
      this.problem = toProblem(err);
    }
  }
}
