/**
 * The guided first run as data: its steps in order, the stage and control each points at, when
 * each is done, and the settings a lesson presets. The student walks the real app: every number
 * the guide shows comes from the playground's own state.
 */
import { LEARNING_STUDY_LABELS } from '../contract/learning-defaults';
import type { TuneSettings } from '../contract/tune-settings';
import type { Hideable, Stage } from './page-setup';

export const LESSON_STEP_IDS = ['generate', 'label', 'reward', 'tune', 'compare', 'summary'] as const;
export type LessonStepId = (typeof LESSON_STEP_IDS)[number];

/** What the guide reads of the playground to tell whether a step is done. */
export interface LessonProgress {
  /** A generation is shown in the prompt box. */
  generated: boolean;
  /** Comparisons and ratings given. */
  labels: number;
  /** Reward-model trainings finished (this visit's history). */
  rewardTrainings: number;
  /** Tuning iterations run. */
  iterations: number;
  /** The last run was stopped by the KL budget. */
  budgetStopped: boolean;
  /** Votes in the blind round, and whether the round is complete. */
  blindVotes: number;
  blindDone: boolean;
}

export const NO_PROGRESS: Readonly<LessonProgress> = Object.freeze({
  generated: false,
  labels: 0,
  rewardTrainings: 0,
  iterations: 0,
  budgetStopped: false,
  blindVotes: 0,
  blindDone: false,
});

/** The counts a step measures from: taken when it begins, saved with it. */
export type LessonBaseline = Pick<LessonProgress, 'rewardTrainings' | 'iterations'>;

/**
 * Labels the label step asks for: the size the learning study measures the page's defaults at
 * (docs/learning.md says how far, and how reliably, 40 labels move the policy).
 */
export const LESSON_LABELS = LEARNING_STUDY_LABELS;

/** Iterations the tune step waits for: one press of Play at the default setting. */
export const LESSON_ITERATIONS = 10;

/**
 * The KL budget inside a lesson, in nats per response: below the KL at which the Tune stage warns
 * of a runaway (10), so a lesson's run stops before the text falls apart.
 */
export const LESSON_KL_BUDGET = 6;

export interface LessonStep {
  id: LessonStepId;
  stage: Stage;
  /** The `data-lesson` value of the control the step points at (and moves focus to). */
  target: string;
  /** Whether the stage's explain panel (formula and live values) is pointed out too. */
  explain: boolean;
  /** True once the student has done what the step asks. */
  done(now: LessonProgress, from: LessonBaseline): boolean;
}

export const LESSON_STEPS: readonly LessonStep[] = [
  { id: 'generate', stage: 'model', target: 'generate', explain: false, done: (now) => now.generated },
  { id: 'label', stage: 'label', target: 'label', explain: false, done: (now) => now.labels >= LESSON_LABELS },
  {
    id: 'reward',
    stage: 'reward',
    target: 'reward',
    explain: true,
    done: (now, from) => now.rewardTrainings > from.rewardTrainings,
  },
  {
    id: 'tune',
    stage: 'tune',
    target: 'tune',
    explain: true,
    done: (now, from) => now.iterations - from.iterations >= LESSON_ITERATIONS || now.budgetStopped,
  },
  { id: 'compare', stage: 'compare', target: 'compare', explain: false, done: (now) => now.blindDone },
  // The last step ends on Finish: reading is not something the page can see.
  { id: 'summary', stage: 'compare', target: 'summary', explain: false, done: () => false },
];

/** What a lesson link presets where the link itself does not say. */
export interface LessonPreset {
  tune: Partial<TuneSettings>;
  hide: Hideable[];
}

/**
 * The guided first run: the KL budget on and one Play as long as the tune step waits for. It
 * hides nothing, so skipping the guide leaves the whole page; a teacher's link adds `hide=`.
 */
export const INTRO_PRESET: Readonly<LessonPreset> = Object.freeze<LessonPreset>({
  tune: { klBudget: LESSON_KL_BUDGET, iterations: LESSON_ITERATIONS },
  hide: [],
});

/**
 * The 95% Wilson score interval of a share measured on `n` trials: honest with few trials, where
 * the plain ±1.96·√(p(1-p)/n) goes below 0 or above 1.
 */
export function wilsonInterval(share: number, n: number): { low: number; high: number } {
  if (n <= 0 || !Number.isFinite(share)) return { low: 0, high: 1 };
  const z = 1.96;
  const z2 = z * z;
  const centre = (share + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
