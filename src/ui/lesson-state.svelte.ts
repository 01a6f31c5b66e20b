/**
 * The guided first run's state: which step is shown, whether the guide is on, and what it
 * announces. It starts on a first visit (nothing saved) and from `?lesson=intro`, resumes the saved
 * step after a reload, and stays away once skipped, finished or turned off (`?lesson=off` hides it
 * for one page without saving anything). Where it stands is kept in the workspace's settings.
 */
import type { LessonStatus } from '../storage/settings';
import {
  LESSON_STEPS,
  LESSON_STEP_IDS,
  NO_PROGRESS,
  type LessonBaseline,
  type LessonProgress,
  type LessonStep,
} from './lesson-steps';
import type { GenerateState } from './generate-state.svelte';
import type { Stage } from './page-setup';
import type { Playground } from './playground.svelte';
import { toProblem, type Problem } from './problem';
import { lesson as text } from './strings';
import type { LessonWorkspace } from './workspace';

/** `auto`: on a first visit; `intro`: the link asks for the lesson; `off`: not on this page. */
export type LessonMode = 'auto' | 'intro' | 'off';

export interface LessonDeps {
  workspace: LessonWorkspace;
  mode: LessonMode;
  /** Shows a stage (the playground's goTo). */
  goTo: (stage: Stage) => void;
  /** Presets the lesson's settings where the link did not set them; called when the guide starts. */
  preset?: () => void;
  /** Takes the preset back; called when the guide is skipped or turned off. */
  release?: () => void;
}

export class LessonState {
  /** Where the guide stands; null until loaded, and on a page opened with `?lesson=off`. */
  status = $state<LessonStatus | null>(null);
  index = $state(0);
  baseline = $state.raw<LessonBaseline>({ rewardTrainings: 0, iterations: 0 });
  /** What the live region reads: the step just shown, or that the guide was skipped or finished. */
  announcement = $state('');
  /** Counts each time a step is shown, so the page moves focus even when the same step returns. */
  shown = $state(0);
  problem = $state.raw<Problem | null>(null);
  /** The playground as last seen, for the summary and for each step's baseline. */
  progress = $state.raw<LessonProgress>({ ...NO_PROGRESS });
  readonly showing = $derived(this.status === 'active');
  readonly step = $derived<LessonStep | null>(this.showing ? LESSON_STEPS[this.index] : null);
  readonly count = LESSON_STEPS.length;
  /** The restart button is there unless the page was opened with `?lesson=off`. */
  readonly canRestart: boolean;

  constructor(private readonly deps: LessonDeps) {
    this.canRestart = deps.mode !== 'off';
  }

  /** Reads where the guide stood and shows it, starts it, or leaves it hidden. */
  async load(): Promise<void> {
    if (this.deps.mode === 'off') return;
    let saved = null;
    try {
      saved = await this.deps.workspace.lesson();
    } catch (err) {
      this.problem = toProblem(err);
    }
    if (saved?.status === 'active') {
      const index = LESSON_STEP_IDS.findIndex((id) => id === saved.step);
      this.baseline = {
        rewardTrainings: saved.baseline.rewardTrainings ?? 0,
        iterations: saved.baseline.iterations ?? 0,
      };
      this.deps.preset?.();
      await this.show(Math.max(0, index), false);
    } else if (saved === null || this.deps.mode === 'intro') await this.restart();
    else this.status = saved.status;
  }

  /** Takes in the playground's progress; moves on when the step shown is done. */
  check(progress: LessonProgress): void {
    this.progress = progress;
    const step = this.step;
    if (step !== null && step.done(progress, this.baseline)) void this.next();
  }

  async next(): Promise<void> {
    if (!this.showing) return;
    if (this.index + 1 < LESSON_STEPS.length) await this.show(this.index + 1);
    else await this.end('done', text.announceDone);
  }

  async back(): Promise<void> {
    if (this.showing && this.index > 0) await this.show(this.index - 1);
  }

  /** Esc: hides the guide; it stays hidden on later visits until restarted. */
  skip(): Promise<void> {
    this.deps.release?.();
    return this.end('skipped', text.announceSkipped);
  }

  /** The setting: the guide no longer starts by itself. */
  turnOff(): Promise<void> {
    this.deps.release?.();
    return this.end('off', text.turnedOff);
  }

  /** Starts the guide from its first step, with the lesson's preset. */
  async restart(): Promise<void> {
    this.deps.preset?.();
    await this.show(0);
  }

  private async show(index: number, fresh = true): Promise<void> {
    const step = LESSON_STEPS[index];
    this.index = index;
    this.status = 'active';
    if (fresh) this.baseline = { rewardTrainings: this.progress.rewardTrainings, iterations: this.progress.iterations };
    this.announcement = text.announce(index + 1, LESSON_STEPS.length, text.steps[step.id].title);
    this.shown++;
    this.deps.goTo(step.stage);
    await this.save();
  }

  private async end(status: Exclude<LessonStatus, 'active'>, announcement: string): Promise<void> {
    this.status = status;
    this.announcement = announcement;
    await this.save();
  }

  private async save(): Promise<void> {
    if (this.status === null) return;
    try {
      await this.deps.workspace.setLesson({
        step: LESSON_STEPS[this.index].id,
        status: this.status,
        baseline: { ...this.baseline },
      });
      this.problem = null;
    } catch (err) {
      this.problem = toProblem(err);
    }
  }
}

/** The playground's progress as the guide reads it. */
export function lessonProgress(
  p: Pick<Playground, 'counts' | 'reward' | 'tune' | 'compare'>,
  generation: Pick<GenerateState, 'result'> | null,
): LessonProgress {
  const blind = p.compare.blind;
  return {
    generated: generation !== null && generation.result !== null,
    labels: p.counts.comparisons + p.counts.ratings,
    rewardTrainings: p.reward.history.length,
    iterations: p.tune.iterations,
    budgetStopped: p.tune.budgetStop !== null,
    blindVotes: blind.votes.length,
    blindDone: blind.items.length > 0 && blind.done,
  };
}
