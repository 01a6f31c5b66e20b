/**
 * How the experiments (contract/experiments.ts) run: the caps a quick run applies, the fresh
 * labels an arm gets halfway, and the steps its progress bar counts.
 */
import type { Experiment, ExperimentArm } from './experiments';
import type { ExperimentLimits } from './protocol';

/** The labels and iterations per arm an experiment runs with, after the caps. */
export function experimentSize(
  experiment: Experiment,
  limits: ExperimentLimits,
): { labels: number; iterations: number } {
  return {
    labels: Math.min(experiment.labels, limits.labels ?? Infinity),
    iterations: Math.min(experiment.iterations, limits.iterations ?? Infinity),
  };
}

/**
 * Fresh labels an arm is given halfway through its iterations: half the experiment's labels when
 * its reward model is not frozen and it has iterations to split, else none. A DPO arm gets them
 * too (pairs from its own policy, as online DPO asks), so arms side by side learn from as many labels.
 */
export function relabelCount(arm: ExperimentArm, size: { labels: number; iterations: number }): number {
  return arm.freezeReward !== true && size.iterations >= 2 ? Math.ceil(size.labels / 2) : 0;
}

/**
 * The units of work a run reports, for its progress bar: every label (the first ones and each
 * arm's fresh ones), each arm's reward-model training and retraining, every iteration of every arm.
 */
export function experimentSteps(experiment: Experiment, limits: ExperimentLimits): number {
  const size = experimentSize(experiment, limits);
  const relabels = experiment.arms.map((arm) => relabelCount(arm, size));
  return (
    size.labels +
    experiment.arms.length * (1 + size.iterations) +
    relabels.reduce((sum, n) => sum + (n > 0 ? n + 1 : 0), 0)
  );
}

/** No caps: the experiment as it is defined. */
export const NO_LIMITS: Readonly<ExperimentLimits> = Object.freeze({
  labels: null,
  iterations: null,
  maxNewTokens: null,
});
