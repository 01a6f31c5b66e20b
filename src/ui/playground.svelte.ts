/**
 * The whole playground's state: which stage is shown, the session in the worker, the label log
 * and its counts, and one state object per stage (built and wired to one another in
 * playground-stages.ts). A new label goes to the worker and may start a background reward-model
 * training; the session starts, and starts again, on the run's base; and the page address keeps in
 * step with the setup, so a reload or a shared link lands in the same place.
 */
import type { LabelLog } from '../contract/labels';
import type { LabelerInfo, SessionInfo } from '../contract/protocol';
import type { BaseState, BaseVerdict } from './base-state.svelte';
import type { ChartState } from './chart-state.svelte';
import type { CompareState } from './compare-state.svelte';
import type { DataState, Download } from './data-state.svelte';
import type { ExperimentState } from './experiment-state.svelte';
import type { LabelState } from './label-state.svelte';
import { NO_TRACE, applyPreset, releasePreset, type PresetTrace } from './lesson-preset';
import type { LoopState } from './loop-state.svelte';
import type { PretrainState } from './pretrain-state.svelte';
import { formatPageSetup, labelerSpec, type Hideable, type PageSetup, type Stage } from './page-setup';
import type { LessonPreset } from './lesson-steps';
import { toProblem, type Problem } from './problem';
import type { RewardState } from './reward-state.svelte';
import type { KeyPress } from './shortcuts';
import type { TuneState } from './tune-state.svelte';
import {
  buildStages,
  labelsSince,
  railCounts,
  stagesWorking,
  type Openings,
  type PlaygroundDeps,
  type Stages,
} from './playground-stages';
import { EMPTY_LOG, readLabels, type LabelCounts } from './label-log';
import { addTrainPrompt, storedPrompts } from './prompt-lists';

export class Playground implements Stages {
  stage = $state<Stage>('model');
  seed = $state(1);
  labeler = $state('happy-endings');
  hide = $state.raw<Hideable[]>([]);
  /** The presentation layout (`?present=1`): one projector screen per stage. */
  present = $state(false);
  labelers = $state.raw<LabelerInfo[]>([]);
  trainPrompts = $state.raw<string[]>([]);
  evalPrompts = $state.raw<string[]>([]);
  counts = $state.raw<LabelCounts>({ comparisons: 0, skips: 0, ratings: 0, demonstrations: 0 });
  /** How many stored labels (comparisons and ratings) each labeler gave: "human" or a simulated labeler's id. */
  labelledBy = $state.raw<Record<string, number>>({});
  ready = $state(false);
  problem = $state.raw<Problem | null>(null);
  /** Why nothing will survive a reload, or null when storage works. */
  readonly storageProblem: string | null;
  readonly label!: LabelState;
  readonly reward!: RewardState;
  readonly tune!: TuneState;
  readonly charts!: ChartState;
  readonly compare!: CompareState;
  readonly data!: DataState;
  readonly loop!: LoopState;
  readonly pretrain!: PretrainState;
  /** The run's base model: what tuning starts from and the KL anchor, kept across reloads. */
  readonly base!: BaseState;
  /** The experiments that break RLHF on purpose, each in a workspace and session of its own. */
  readonly experiments!: ExperimentState;
  /** The loaded model as the session last reported it (the run's base, unless the base is gone). */
  private loaded: SessionInfo['base'] | null = null;
  /** What the stage rail shows under each stage's name. */
  readonly stageCounts = $derived.by(() => railCounts(this, this.counts));
  /** Whether work is under way that a reload would cut short (a new version waits for it to end). */
  readonly working = $derived.by(() => stagesWorking(this));
  /** Labels added since the reward model in use was trained ("M new since"). */
  readonly labelsSinceReward = $derived.by(() => labelsSince(this.reward.trainedLabels, this.counts));
  private log: LabelLog = EMPTY_LOG;
  private presetTrace: PresetTrace = NO_TRACE;

  constructor(private readonly deps: PlaygroundDeps) {
    const { setup } = deps;
    this.storageProblem = deps.storageProblem ?? null;
    this.stage = setup.stage;
    this.seed = setup.seed;
    this.labeler = setup.labeler;
    this.hide = setup.hide;
    this.present = setup.present;
    Object.assign(
      this,
      buildStages(deps, {
        trainPrompts: () => this.trainPrompts,
        evalPrompts: () => this.evalPrompts,
        seed: () => this.seed,
        ready: () => this.ready,
        labels: () => this.log,
        labelledBy: () => this.labelledBy,
        labelers: () => this.labelers,
        labelsChanged: () => this.labelsChanged(),
        syncQuery: () => this.syncQuery(),
        restored: () => this.afterRestore(),
        pretrained: (source, hash) => this.afterPretrain(source, hash),
        report: (err) => (this.problem = toProblem(err)),
      }),
    );
    this.experiments.restore(setup.experiment);
  }

  hidden(control: Hideable): boolean {
    return this.hide.includes(control);
  }

  /** Loads the prompts; the shipped openings are stored once so user prompts sit beside them. */
  async loadPrompts(openings: Openings): Promise<void> {
    let lists = openings;
    try {
      lists = await storedPrompts(this.deps.workspace, openings);
    } catch (err) {
      this.problem = toProblem(err);
    }
    this.trainPrompts = lists.train;
    this.evalPrompts = lists.evaluation;
  }

  /** Adds a prompt of the person's own to the training prompts. */
  async addPrompt(text: string): Promise<void> {
    if (text.trim() === '') return;
    try {
      this.trainPrompts = await addTrainPrompt(this.deps.workspace, text.trim());
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  /**
   * Starts the session on the loaded model and puts back what a reload left behind: the run's base
   * model (loaded again at the first start of a page load), the labels, the simulated labeler, the
   * person's labeler name, the tuned policy and its charts, and the saved reward model. A reward
   * model that was trained but could not be put back (none saved, or saved for another tokenizer)
   * is trained again. When the base cannot be found again, the tuned policy is not put back on
   * another model: the page says so and offers a new run (`startNewRun`).
   */
  async startSession(restorePolicy = true): Promise<void> {
    this.ready = false;
    this.problem = null;
    try {
      const { client } = this.deps;
      const session = await client.startSession(this.seed);
      // Switching the model starts the session again on it (see useModel), so this one stops here.
      if (await this.base.applyStored(session.base)) return;
      const verdict = await this.base.check(session.base);
      this.loaded = session.base;
      this.labelers = session.labelers;
      await client.setLabeler(labelerSpec(this.labeler));
      await client.configure($state.snapshot(this.tune.settings));
      await this.labelsChanged(false);
      const [, rewardBack] = await Promise.all([
        this.restorePolicy(verdict, restorePolicy),
        this.reward.restore(),
        this.compare.refreshCheckpoints(),
        this.compare.blind.restore(),
        this.label.labeler.load(),
      ]);
      this.ready = true;
      this.syncQuery();
      if (!rewardBack && this.reward.hadModel && this.log.comparisons.length + this.log.ratings.length >= 2)
        void this.reward.train();
      this.enter(this.stage);
      this.experiments.start();
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  /**
   * The policy of the run: the stored one for the run's own base, nothing when the base is gone (the
   * tuned weights would sit on another model's anchor). A new run on a shipped model saves its
   * starting policy, so the current checkpoint is this run's (a saved base is that already).
   */
  private async restorePolicy(verdict: BaseVerdict, restore: boolean): Promise<void> {
    if (verdict === 'gone') return this.tune.forget();
    if (verdict === 'new') this.tune.forget();
    if (!restore) return;
    if (verdict === 'new' && this.base.run?.source.kind !== 'checkpoint') {
      await this.tune.savePolicy();
      return;
    }
    await this.tune.restore(this.base.run?.startedAt ?? 0);
  }

  /**
   * The offer shown when the run's base is gone: a new run whose base is the current policy (its
   * last saved checkpoint, made the base), or the loaded model when none is stored.
   */
  async startNewRun(): Promise<void> {
    if (this.loaded === null || this.base.gone === null) return;
    // Using a checkpoint as the base starts the session on it; the loaded model needs a start here.
    if ((await this.base.startFromCurrent(this.loaded)) === 'recorded') await this.startSession();
  }

  /** After a backup was restored: start again on what it holds (base model, policy, reward model), as a reload would. */
  private async afterRestore(): Promise<void> {
    this.base.recheck();
    await this.startSession();
  }

  /**
   * A new seed for the session (sampling, a new reward model's start, the simulated labeler's
   * noise): written into the address, then the session starts again on it, putting back the
   * tuned policy and the reward model, so nothing is lost.
   */
  async setSeed(seed: number): Promise<void> {
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32 || seed === this.seed) return;
    this.seed = seed;
    this.syncQuery();
    if (this.ready && !this.tune.running && !this.reward.training) await this.startSession();
  }

  /**
   * After training on the person's text the model itself has changed: the session starts again
   * with policy and reference both the new model (no earlier tuned policy is put back), and the
   * new model is saved as a named checkpoint, so it can be used again after a reload.
   */
  private async afterPretrain(source: string, weightsHash: string | null): Promise<void> {
    await this.base.pretrained(weightsHash);
    await this.startSession(false);
    const id = this.ready ? await this.tune.savePolicy(`pretrained on ${source}`) : null;
    // The pretrained model is the base from now on, after a reload too.
    if (id !== null) await this.base.saved(id);
  }

  /** Reads the label log from storage, sends it to the worker and updates the counts. */
  async labelsChanged(autoTrain = true): Promise<void> {
    const { log, counts, labelledBy } = await readLabels(this.deps.workspace);
    this.log = log;
    this.labelledBy = labelledBy;
    this.counts = counts;
    try {
      await this.deps.client.setLabels(this.log);
    } catch (err) {
      this.problem = toProblem(err);
      return;
    }
    if (autoTrain) this.reward.maybeAutoTrain(counts.comparisons + counts.ratings);
  }

  /** Shows a stage and records it in the address. */
  goTo(stage: Stage): void {
    this.experiments.leave();
    this.stage = stage;
    this.syncQuery();
    if (this.ready) this.enter(stage);
  }

  /** Leaves the experiments for the person's own run, on the stage they left it (nothing there changed). */
  backToRun(): void {
    this.experiments.leave();
    if (this.ready) this.enter(this.stage);
  }

  /** What a stage needs fresh when it is shown. */
  private enter(stage: Stage): void {
    if (stage === 'label' && this.label.pair === null && this.label.single === null && !this.label.loading)
      void this.label.next();
    if (stage === 'compare') void this.compare.refreshCheckpoints();
    if (stage === 'tune') void this.charts.refresh();
    if (stage === 'data') void this.data.refresh();
  }

  async setLabeler(labeler: string): Promise<void> {
    this.labeler = labeler;
    this.syncQuery();
    try {
      await this.deps.client.setLabeler(labelerSpec(labeler));
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  /**
   * A lesson's preset: its tuning settings and hidden controls, each only where the link did not
   * set it (a teacher's link wins), then written into the address.
   */
  applyLessonPreset(preset: LessonPreset): void {
    const next = applyPreset($state.snapshot(this.tune.settings), this.hide, preset, this.deps.readQuery());
    this.usePreset(next, next.trace);
  }

  /** Takes a lesson's preset back (the guide skipped or turned off), keeping the student's own changes. */
  releaseLessonPreset(): void {
    this.usePreset(releasePreset($state.snapshot(this.tune.settings), this.hide, this.presetTrace), NO_TRACE);
  }

  private usePreset(next: Pick<PageSetup, 'tune' | 'hide'>, trace: PresetTrace): void {
    this.tune.settings = next.tune;
    this.hide = next.hide;
    this.presetTrace = trace;
    this.syncQuery();
  }

  /** Writes the current setup into the page address. */
  syncQuery(): void {
    const setup: PageSetup = {
      stage: this.stage,
      seed: this.seed,
      tune: $state.snapshot(this.tune.settings),
      labeler: this.labeler,
      active: this.label.active,
      stars: this.label.mode === 'stars',
      hide: this.hide,
      base: this.base.run?.source ?? this.deps.setup.base,
      charts: this.charts.extra,
      present: this.present,
      experiment: this.experiments.view,
    };
    this.deps.writeQuery(formatPageSetup(setup, this.deps.readQuery()));
  }

  /**
   * Makes a saved checkpoint the base model tuning starts from (an imported Hugging Face model,
   * or one pretrained here). It becomes the current policy checkpoint too, so the session that
   * starts on it restores the same weights into the policy.
   */
  async useAsBase(id: number): Promise<void> {
    if (await this.base.use(id)) await this.compare.refreshCheckpoints();
  }

  /** A shipped model chosen from the list: a new run on it, kept after a reload too. */
  async chooseShipped(modelId: string): Promise<void> {
    await this.base.chooseShipped(modelId);
  }

  /**
   * The current policy as the files of a Hugging Face GPT-2 directory (saved first if needed),
   * with the tokenizer of the model it was tuned on: the checkpoint's own, or the loaded model's.
   */
  async exportHf(): Promise<Download[]> {
    const id = this.tune.checkpointId ?? (await this.tune.savePolicy());
    if (id === null) return [];
    try {
      return await this.data.exportHfModel(id, await this.deps.client.tokenizer());
    } catch (err) {
      this.problem = toProblem(err);
      return [];
    }
  }

  /** Page-wide keys: the Label stage's shortcuts, or the Compare stage's blind round, while shown. */
  handleKey(press: KeyPress): boolean {
    if (!this.ready || this.experiments.view !== null) return false;
    if (this.stage === 'label') return this.label.handleKey(press);
    return this.stage === 'compare' ? this.compare.handleKey(press) : false;
  }
}
