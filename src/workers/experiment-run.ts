/**
 * The worker's side of an experiment that breaks RLHF on purpose (contract/experiments.ts): the
 * engine's runner (engine/loop/experiment.ts, the one `npm run experiment` runs) on a copy of the
 * loaded model, so the session the person tunes (its labels, reward model and policy) is never
 * touched. Each labelling, reward-model training and iteration takes its own turn in the engine's
 * queue, so a cancel stops the run between turns; what the runner reports becomes step reports
 * for the page (its labels, each training's held-out accuracy, each iteration's metrics and samples).
 */
import { experimentSize } from '../contract/experiment-support';
import { EXPERIMENTS } from '../contract/experiments';
import type { Request, RequestResult, StepReport } from '../contract/protocol';
import { builtinLabeler, type GPT, type Tokenizer } from '../engine';
import { runExperiment as runOnEngine } from '../engine/loop/experiment';
import { WorkerFailure } from './failure';

type RunExperiment = Extract<Request, { type: 'runExperiment' }>;

export interface ExperimentContext {
  loaded(): { model: GPT; tokenizer: Tokenizer } | null;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  step(report: StepReport): void;
  signal: AbortSignal;
}

export async function runExperiment(request: RunExperiment, ctx: ExperimentContext): Promise<RequestResult> {
  const experiment = EXPERIMENTS[request.experiment];
  const loaded = ctx.loaded();
  if (loaded === null) throw new WorkerFailure('NO_MODEL', { code: 'NO_MODEL', params: { what: 'tune' } });
  const stop = (): void => {
    if (ctx.signal.aborted) throw new WorkerFailure('CANCELLED', { code: 'CANCELLED', params: { work: 'experiment' } });
  };
  /** Runs `work` in a turn of its own, unless the run was stopped (before or while it waited). */
  const turn = async <T>(work: () => Promise<T>): Promise<T> => {
    // A macrotask turn lets a cancel message in between units of work.
    await new Promise((resolve) => setTimeout(resolve, 0));
    stop();
    return ctx.exclusive(() => (stop(), work()));
  };
  // A copy: loading another model while the experiment waits for a turn must not free its base.
  const base = await ctx.exclusive(async () => loaded.model.clone());
  const size = experimentSize(experiment, request.limits);
  const { maxNewTokens } = request.limits;
  try {
    await runOnEngine(
      experiment,
      { policy: base, codec: loaded.tokenizer, labeler: builtinLabeler(experiment.labeler), prompts: request.prompts },
      {
        seed: request.seed,
        overrides: {
          labels: size.labels,
          iterations: size.iterations,
          ...(maxNewTokens === null ? {} : { policy: { maxNewTokens } }),
        },
        turn,
        onLabels: ({ arm, labels, flipped }) =>
          labels.forEach((label, i) =>
            ctx.step({ kind: 'experimentLabel', arm, done: i + 1, total: labels.length, label, flipped }),
          ),
        onRewardStep: (step, total, loss) => ctx.step({ kind: 'reward', step, total, loss }),
        onReward: ({ accuracy, heldOut, labels }) => ctx.step({ kind: 'experimentReward', accuracy, heldOut, labels }),
        onIteration: ({ arm, iteration, iterations, metrics, views }) =>
          ctx.step({ kind: 'armIteration', arm, iteration, of: iterations, metrics, samples: views }),
      },
    );
    return { kind: 'experimentDone', experiment: experiment.id, arms: experiment.arms.map((a) => a.key) };
  } finally {
    base.dispose();
  }
}
